package io.camelpgrepl.client.it;

import static io.camelpgrepl.client.it.ClientEvents.readTransactions;
import static io.camelpgrepl.client.it.ClientEvents.types;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.camelpgrepl.client.ChannelBinding;
import io.camelpgrepl.client.ReplicationClient;
import io.camelpgrepl.client.ReplicationEvent;
import io.camelpgrepl.client.SslMode;
import io.camelpgrepl.fixture.SlotFixture;
import io.camelpgrepl.testing.PostgresServer;
import io.camelpgrepl.testing.TestUsers;

/** A smoke run of the whole path on every supported major: SCRAM-PLUS over verify-full TLS, stream, acknowledge. */
class VersionMatrixIT {

    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(ints = {14, 15, 16, 17, 18})
    void streamsAndAcknowledgesOverScramPlusAndTls(int major) throws Exception {
        try (PostgresServer server = PostgresServer.start(PostgresServer.Options.builder().majorVersion(major).build())) {
            SlotFixture f = SlotFixture.inDatabase(server, "postgres", "client_it");
            try (ReplicationClient client = ReplicationClient.connect(f.config().host("localhost")
                    .user(TestUsers.SCRAM_SSL_USER).password(TestUsers.SCRAM_SSL_USER_PASSWORD)
                    .sslMode(SslMode.VERIFY_FULL).sslRootCert(server.tls().caCert())
                    .channelBinding(ChannelBinding.REQUIRE).ackIdleKeepalive(false).build())) {
                assertThat(client.serverInfo().serverVersionNum() / 10000).isEqualTo(major);
                assertThat(client.serverInfo().protoVersion()).as("newest pgoutput protocol of the server")
                        .isEqualTo(major >= 16 ? 4 : major == 15 ? 3 : 2);
                f.sql("INSERT INTO " + f.table + " VALUES (1, 'a')", "UPDATE " + f.table + " SET name = 'b'",
                        "DELETE FROM " + f.table);
                List<ReplicationEvent> events = readTransactions(client, 3);
                assertThat(types(events)).isEqualTo("BRICBUCBDC");
                assertThat(ReplicationClientIT.tuple(events.get(5))).containsExactly("1", "b");
                ReplicationEvent.Commit last = (ReplicationEvent.Commit) events.get(events.size() - 1);
                client.updateAppliedLsn(last.endLsn());
                await().atMost(Duration.ofSeconds(10)).until(() -> f.confirmedFlush().equals(last.endLsn()));
            }
        }
    }
}
