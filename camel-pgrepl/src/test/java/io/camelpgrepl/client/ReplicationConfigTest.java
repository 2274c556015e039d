package io.camelpgrepl.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

class ReplicationConfigTest {

    @Test
    void toStringNeverShowsSecrets() {
        ReplicationConfig cfg = ReplicationConfig.builder().slot("s").publication("p").password("hunter2-secret")
                .sslCert(Path.of("/c.pem")).sslKey(Path.of("/k.pem")).sslKeyPassword("key-pass-secret").build();
        assertThat(cfg.toString()).doesNotContain("hunter2-secret").doesNotContain("key-pass-secret")
                .contains("password=<redacted>");
    }

    @Test
    void errorsNameTheOption() {
        assertThatThrownBy(() -> ReplicationConfig.builder().publication("p").build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("slot");
        assertThatThrownBy(() -> ReplicationConfig.builder().slot("s").build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("publication");
        assertThatThrownBy(() -> ReplicationConfig.builder().slot("s").publication("p").port(0).build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("port");
        assertThatThrownBy(() -> ReplicationConfig.builder().slot("s").publication("p")
                .stopAtLsn(Lsn.parse("1/0")).streaming(StreamingMode.ON).build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("stopAtLsn");
        assertThatThrownBy(() -> ReplicationConfig.builder().slot("s").publication("p")
                .sslCert(Path.of("/c.pem")).build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("sslKey");
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(value = SslMode.class, names = {"DISABLE", "ALLOW", "PREFER"})
    void directTlsNegotiationWithAWeakSslModeIsRefusedAtConfigurationTime(SslMode weak) {
        assertThatThrownBy(() -> ReplicationConfig.builder().slot("s").publication("p")
                .sslNegotiation(SslNegotiation.DIRECT).sslMode(weak).build())
                .isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("sslNegotiation=direct").hasMessageContaining("sslMode=" + weak.libpqName());
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.EnumSource(value = SslMode.class, names = {"REQUIRE", "VERIFY_CA", "VERIFY_FULL"})
    void directTlsNegotiationWithAnSslModeThatRequiresTlsIsAccepted(SslMode strong) {
        assertThat(ReplicationConfig.builder().slot("s").publication("p").sslNegotiation(SslNegotiation.DIRECT)
                .sslMode(strong).build().sslMode()).isEqualTo(strong);
    }

    @Test
    void snapshotModeInitialNeedsCreateSlotAndInitialOnlyRefusesStopAtLsn() {
        ReplicationConfig.Builder b = ReplicationConfig.builder().slot("s").publication("p");

        assertThatThrownBy(() -> b.snapshotMode(SnapshotMode.INITIAL).build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("createSlot=true");
        assertThat(b.createSlot(true).build().snapshotMode()).isEqualTo(SnapshotMode.INITIAL);
        assertThatThrownBy(() -> b.snapshotMode(SnapshotMode.INITIAL_ONLY).stopAtLsn(Lsn.parse("1/0")).build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("remove stopAtLsn");
        assertThat(ReplicationConfig.builder().slot("s").publication("p").build().snapshotMode())
                .as("default").isEqualTo(SnapshotMode.NEVER);
        assertThat(SnapshotMode.parse("INITIALONLY")).isEqualTo(SnapshotMode.INITIAL_ONLY);
        assertThat(SnapshotMode.INITIAL_ONLY).hasToString("initialOnly");
    }

    @Test
    void absolutePathHostIsAUnixSocketDirectory() {
        ReplicationConfig cfg = ReplicationConfig.builder().host("/var/run/postgresql").port(5433).slot("s")
                .publication("p").build();
        assertThat(cfg.isUnixSocket()).isTrue();
        assertThat(cfg.unixSocketPath()).isEqualTo(Path.of("/var/run/postgresql/.s.PGSQL.5433"));
    }

    @Test
    void requireAuthUsesLibpqSyntax() {
        assertThat(AuthMethod.parseAllowList("scram-sha-256")).containsExactly(AuthMethod.SCRAM_SHA_256);
        assertThat(AuthMethod.parseAllowList("!password,!md5"))
                .containsExactlyInAnyOrder(AuthMethod.NONE, AuthMethod.SCRAM_SHA_256);
        assertThatThrownBy(() -> AuthMethod.parseAllowList("md5,!password"))
                .isInstanceOf(ConfigurationException.class);
        assertThatThrownBy(() -> AuthMethod.parseAllowList("gss")).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("gss");
    }
}
