package io.camelpgrepl.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ProtocolVersionsTest {

    private static ReplicationConfig.Builder base() {
        return ReplicationConfig.builder().slot("s").publication("p");
    }

    @Test
    void defaultIsTheNewestTheServerSpeaks() {
        assertThat(ProtocolVersions.choose(base().build(), 140010)).isEqualTo(2);
        assertThat(ProtocolVersions.choose(base().build(), 150014)).isEqualTo(3);
        assertThat(ProtocolVersions.choose(base().build(), 180001)).isEqualTo(4);
    }

    @Test
    void featuresNeedTheirVersion() {
        assertThatThrownBy(() -> ProtocolVersions.choose(base().streaming(StreamingMode.PARALLEL).build(), 150000))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("streaming=parallel")
                .hasMessageContaining("protocol 4");
        assertThatThrownBy(() -> ProtocolVersions.choose(base().twoPhase(true).build(), 140000))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("twoPhase");
        assertThatThrownBy(() -> ProtocolVersions.choose(base().twoPhase(true).protoVersion(2).build(), 170000))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("protoVersion=2");
        assertThatThrownBy(() -> ProtocolVersions.choose(base().origin("none").build(), 150000))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("origin");
    }

    @Test
    void overrideIsHonouredWhenPossible() {
        assertThat(ProtocolVersions.choose(base().protoVersion(1).build(), 180000)).isEqualTo(1);
        assertThatThrownBy(() -> ProtocolVersions.choose(base().protoVersion(4).build(), 150000))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("protoVersion=4");
    }

    @Test
    void startReplicationQuotesEverything() {
        ReplicationConfig cfg = base().slot("my\"slot").publications(java.util.List.of("a", "b'c")).binary(true)
                .messages(true).streaming(StreamingMode.PARALLEL).twoPhase(true).origin("none")
                .startLsn(Lsn.parse("16/B374D848")).build();
        assertThat(ReplicationClient.startReplicationCommand(cfg, 4, 180000)).isEqualTo(
                "START_REPLICATION SLOT \"my\"\"slot\" LOGICAL 16/B374D848 (proto_version '4', publication_names "
                        + "'\"a\",\"b''c\"', binary 'true', messages 'true', streaming 'parallel', two_phase 'true', "
                        + "origin 'none')");
    }

    @Test
    void serverVersionIsParsedFromTheStartupParameter() {
        assertThat(ReplicationClient.parseServerVersion("18.1")).isEqualTo(180001);
        assertThat(ReplicationClient.parseServerVersion("15.14 (Debian 15.14-0+deb12u1)")).isEqualTo(150014);
        assertThat(ReplicationClient.parseServerVersion("17beta2")).isEqualTo(170000);
    }
}
