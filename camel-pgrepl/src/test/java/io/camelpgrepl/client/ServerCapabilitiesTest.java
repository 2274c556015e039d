package io.camelpgrepl.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ServerCapabilitiesTest {

    private static ReplicationConfig.Builder base() {
        return ReplicationConfig.builder().slot("s").publication("p");
    }

    @Test
    void defaultIsTheNewestTheServerSpeaks() {
        assertThat(new ServerCapabilities(140010).chooseProtocol(base().build())).isEqualTo(2);
        assertThat(new ServerCapabilities(150014).chooseProtocol(base().build())).isEqualTo(3);
        assertThat(new ServerCapabilities(180001).chooseProtocol(base().build())).isEqualTo(4);
    }

    @Test
    void featuresNeedTheirVersion() {
        assertThatThrownBy(() -> new ServerCapabilities(150000).chooseProtocol(base().streaming(StreamingMode.PARALLEL).build()))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("streaming=parallel")
                .hasMessageContaining("protocol 4");
        assertThatThrownBy(() -> new ServerCapabilities(140000).chooseProtocol(base().twoPhase(true).build()))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("twoPhase");
        assertThatThrownBy(() -> new ServerCapabilities(170000).chooseProtocol(base().twoPhase(true).protoVersion(2).build()))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("protoVersion=2");
        assertThatThrownBy(() -> new ServerCapabilities(150000).chooseProtocol(base().origin("none").build()))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("origin");
    }

    @Test
    void overrideIsHonouredWhenPossible() {
        assertThat(new ServerCapabilities(180000).chooseProtocol(base().protoVersion(1).build())).isEqualTo(1);
        assertThatThrownBy(() -> new ServerCapabilities(150000).chooseProtocol(base().protoVersion(4).build()))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("protoVersion=4");
    }

    @Test
    void startReplicationQuotesEverything() {
        ReplicationConfig cfg = base().slot("my\"slot").publications(java.util.List.of("a", "b'c")).binary(true)
                .messages(true).streaming(StreamingMode.PARALLEL).twoPhase(true).origin("none")
                .startLsn(Lsn.parse("16/B374D848")).build();
        assertThat(ReplicationBootstrap.startReplicationCommand(cfg, 4, new ServerCapabilities(180000))).isEqualTo(
                "START_REPLICATION SLOT \"my\"\"slot\" LOGICAL 16/B374D848 (proto_version '4', publication_names "
                        + "'\"a\",\"b''c\"', binary 'true', messages 'true', streaming 'parallel', two_phase 'true', "
                        + "origin 'none')");
    }

    @Test
    void serverVersionIsParsedFromTheStartupParameter() {
        assertThat(ServerCapabilities.parse("18.1").versionNum()).isEqualTo(180001);
        assertThat(ServerCapabilities.parse("15.14 (Debian 15.14-0+deb12u1)").versionNum()).isEqualTo(150014);
        assertThat(ServerCapabilities.parse("17beta2").versionNum()).isEqualTo(170000);
    }

    @Test
    void slotCreationUsesTheSyntaxOfTheServersMajor() {
        assertThat(new ServerCapabilities(140010).createSlotOptions(base().build()))
                .as("14: no option list").isEqualTo(" NOEXPORT_SNAPSHOT");
        assertThat(new ServerCapabilities(170002).createSlotOptions(base().twoPhase(true).failoverSlot(true).build()))
                .as("17: option list").isEqualTo(" (SNAPSHOT 'nothing', TWO_PHASE true, FAILOVER true)");
        assertThatThrownBy(() -> new ServerCapabilities(160000).createSlotOptions(base().failoverSlot(true).build()))
                .as("failover before 17").isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("failoverSlot needs PostgreSQL 17");
        assertThatThrownBy(() -> new ServerCapabilities(140000).createSlotOptions(base().twoPhase(true).build()))
                .as("two-phase before 15").isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("twoPhase needs PostgreSQL 15");
    }

    @Test
    void aSnapshotSlotUsesItsSnapshotInTheSyntaxOfTheServersMajor() {
        assertThat(new ServerCapabilities(140010).snapshotSlotOptions(false)).as("14").isEqualTo(" USE_SNAPSHOT");
        assertThat(new ServerCapabilities(150000).snapshotSlotOptions(false)).as("15+").isEqualTo(" (SNAPSHOT 'use')");
        assertThat(new ServerCapabilities(180001).snapshotSlotOptions(true)).as("two-phase")
                .isEqualTo(" (SNAPSHOT 'use', TWO_PHASE true)");
        assertThat(new ServerCapabilities(140010).publicationColumnListsAndRowFilters()).isFalse();
        assertThat(new ServerCapabilities(150000).publicationColumnListsAndRowFilters()).isTrue();
    }

    @Test
    void streamingOnIsSpelledTrueBefore16() {
        assertThat(new ServerCapabilities(150000).streamingValue(StreamingMode.ON)).as("15").isEqualTo("true");
        assertThat(new ServerCapabilities(160000).streamingValue(StreamingMode.ON)).as("16").isEqualTo("on");
        assertThat(new ServerCapabilities(160000).streamingValue(StreamingMode.PARALLEL)).as("parallel")
                .isEqualTo("parallel");
    }

    @Test
    void serversOlderThanSupportedAreRefused() {
        assertThatThrownBy(() -> ServerCapabilities.parse("9.6.24")).as("9.6")
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("PostgreSQL 14 or newer");
        assertThatThrownBy(() -> ServerCapabilities.parse(null)).as("not reported")
                .isInstanceOf(ProtocolException.class).hasMessageContaining("server_version");
    }
}
