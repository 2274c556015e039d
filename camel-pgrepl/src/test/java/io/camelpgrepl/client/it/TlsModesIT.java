package io.camelpgrepl.client.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import io.camelpgrepl.client.ChannelBinding;
import io.camelpgrepl.client.ReplicationClient;
import io.camelpgrepl.client.ReplicationConfig;
import io.camelpgrepl.client.ReplicationEvent;
import io.camelpgrepl.client.SslMode;
import io.camelpgrepl.client.TlsException;
import io.camelpgrepl.fixture.SlotFixture;
import io.camelpgrepl.testing.PostgresServer;
import io.camelpgrepl.testing.TestUsers;
import io.camelpgrepl.testing.TlsMaterial;

/** sslMode against servers with and without TLS, and channel binding for each server-certificate signature. */
class TlsModesIT {

    private static boolean streamsEncrypted(PostgresServer server, ReplicationConfig.Builder builder) throws Exception {
        SlotFixture f = SlotFixture.inDatabase(server, "postgres", "client_it");
        ReplicationConfig config = builder.host("localhost").port(server.port()).slot(f.slot).publication(f.publication)
                .applicationName("tls_modes").build();
        try (ReplicationClient client = ReplicationClient.connect(config)) {
            f.sql("INSERT INTO " + f.table + " VALUES (1, 'x')");
            List<ReplicationEvent> events = ClientEvents.readTransactions(client, 1);
            assertThat(ClientEvents.types(events)).isEqualTo("BRIC");
            return "t".equals(server.queryString("postgres", "SELECT s.ssl FROM pg_stat_ssl s JOIN "
                    + "pg_stat_replication r ON r.pid = s.pid WHERE r.application_name = 'tls_modes'"));
        }
    }

    private static ReplicationConfig.Builder scram() {
        return ReplicationConfig.builder().user(TestUsers.SCRAM_USER).password(TestUsers.SCRAM_USER_PASSWORD)
                .connectTimeout(Duration.ofSeconds(10));
    }

    @Test
    void withoutServerTlsPreferAndAllowFallBackToPlainAndStricterModesRefuse() throws Exception {
        try (PostgresServer plain = PostgresServer.start(PostgresServer.Options.builder().tls(false).build())) {
            assertThat(streamsEncrypted(plain, scram().sslMode(SslMode.PREFER))).as("prefer falls back").isFalse();
            assertThat(streamsEncrypted(plain, scram().sslMode(SslMode.ALLOW))).as("allow stays plain").isFalse();
            for (SslMode strict : List.of(SslMode.REQUIRE, SslMode.VERIFY_CA, SslMode.VERIFY_FULL)) {
                assertThatThrownBy(() -> ReplicationClient.connect(scram().host("localhost").port(plain.port())
                        .slot("any").publication("any").sslMode(strict).sslRootCert(TlsMaterial.get().caCert()).build()))
                        .as("sslMode=%s", strict.libpqName()).isInstanceOf(TlsException.class)
                        .hasMessageContaining("does not accept TLS");
            }
        }
    }

    @Test
    void allowUpgradesToTlsWhenTheServerRefusesPlainConnections() throws Exception {
        try (PostgresServer server = PostgresServer.start(PostgresServer.Options.builder().build())) {
            assertThat(streamsEncrypted(server, ReplicationConfig.builder().user(TestUsers.SCRAM_SSL_USER)
                    .password(TestUsers.SCRAM_SSL_USER_PASSWORD).sslMode(SslMode.ALLOW)))
                    .as("hostnossl reject, so allow retries with TLS").isTrue();
        }
    }

    @ParameterizedTest(name = "server certificate signed {0}")
    @EnumSource(TlsMaterial.ServerCertSignature.class)
    void channelBindingWorksForEachServerCertificateSignature(TlsMaterial.ServerCertSignature signature)
            throws Exception {
        try (PostgresServer server = PostgresServer.start(PostgresServer.Options.builder()
                .serverCertSignature(signature).build())) {
            assertThat(streamsEncrypted(server, ReplicationConfig.builder().user(TestUsers.SCRAM_SSL_USER)
                    .password(TestUsers.SCRAM_SSL_USER_PASSWORD).sslMode(SslMode.VERIFY_FULL)
                    .sslRootCert(server.tls().caCert()).channelBinding(ChannelBinding.REQUIRE))).isTrue();
        }
    }

    @ParameterizedTest(name = "channelBinding={0} without TLS")
    @ValueSource(strings = {"prefer", "disable"})
    void scramWithoutTlsDoesNotBind(String mode) throws Exception {
        try (PostgresServer server = PostgresServer.start(PostgresServer.Options.builder().build())) {
            assertThat(streamsEncrypted(server, scram().sslMode(SslMode.DISABLE)
                    .channelBinding(ChannelBinding.parse(mode)))).isFalse();
        }
    }
}
