package io.camelpgrepl.client.it;

import java.time.Duration;

import io.camelpgrepl.client.ConfigurationException;
import io.camelpgrepl.client.ReplicationClient;
import io.camelpgrepl.client.SlotStatus;
import io.camelpgrepl.fixture.SlotFixture;
import io.camelpgrepl.testing.PostgresExtension;
import io.camelpgrepl.testing.PostgresServer;
import io.camelpgrepl.testing.TestUsers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** Misconfiguration is found before START_REPLICATION and named with what to do (issue 8, item 5). */
class MisconfigurationIT {

    /** Slots may lose their WAL here (max_slot_wal_keep_size), and roles may be changed. */
    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.create().dedicated().withOptions(PostgresServer.Options
            .builder().setting("max_slot_wal_keep_size", "'1MB'").setting("wal_keep_size", "0").build());

    /** A server that cannot decode logically. */
    @RegisterExtension
    static final PostgresExtension REPLICA_WAL = PostgresExtension.create().dedicated().withOptions(
            PostgresServer.Options.builder().setting("wal_level", "replica").build());

    @Test
    void aPublicationThatDoesNotExistFailsConnectBeforeStreaming() {
        SlotFixture f = SlotFixture.create(PG.server(), "misconfig_it");

        assertThatThrownBy(() -> ReplicationClient.connect(f.config().publication("no_such_pub").build()))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("'no_such_pub'")
                .hasMessageContaining("do not exist").hasMessageContaining("CREATE PUBLICATION");
    }

    @Test
    void walLevelBelowLogicalIsAConfigurationErrorSayingWhatToSet() {
        PostgresServer server = REPLICA_WAL.server();
        server.createDatabase("replica_wal");
        server.createPublication("replica_wal", "p");

        assertThatThrownBy(() -> ReplicationClient.connect(io.camelpgrepl.client.ReplicationConfig.builder()
                .host(server.host()).port(server.port()).database("replica_wal").user(TestUsers.SUPERUSER)
                .sslMode(io.camelpgrepl.client.SslMode.DISABLE).slot("s").publication("p").createSlot(true).build()))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("wal_level=replica")
                .hasMessageContaining("wal_level=logical");
    }

    @Test
    void aRoleWithoutReplicationIsAConfigurationErrorSayingWhatToGrant() {
        SlotFixture f = SlotFixture.create(PG.server(), "misconfig_it");
        PG.server().execute("postgres", "ALTER ROLE " + TestUsers.TRUST_USER + " NOREPLICATION");
        try {
            assertThatThrownBy(() -> ReplicationClient.connect(f.config().user(TestUsers.TRUST_USER).build()))
                    .isInstanceOf(ConfigurationException.class).hasMessageContaining(TestUsers.TRUST_USER)
                    .hasMessageContaining("REPLICATION");
        } finally {
            PG.server().execute("postgres", "ALTER ROLE " + TestUsers.TRUST_USER + " REPLICATION");
        }
    }

    @Test
    void anInvalidatedSlotIsRefusedNamingTheSettingToRaise() {
        SlotFixture f = SlotFixture.create(PG.server(), "misconfig_it");
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            // each switch starts a new 16 MB segment; the checkpoint removes those past max_slot_wal_keep_size
            f.insert((int) (System.nanoTime() & 0x3fffffff), "wal");
            PG.server().execute(f.database, "SELECT pg_switch_wal()", "CHECKPOINT");
            return "lost".equals(PG.server().queryString("postgres",
                    "SELECT wal_status FROM pg_replication_slots WHERE slot_name = ?", f.slot));
        });

        assertThatThrownBy(() -> ReplicationClient.connect(f.config().build()))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("invalidated")
                .hasMessageContaining("max_slot_wal_keep_size");
    }

    @Test
    void theSlotsWalStatusIsReadAtConnect() throws Exception {
        SlotFixture f = SlotFixture.create(PG.server(), "misconfig_it");
        try (ReplicationClient client = ReplicationClient.connect(f.config().build())) {
            SlotStatus status = client.slotStatus();
            assertThat(status.walStatus()).as("wal_status").isIn("reserved", "extended");
            assertThat(status.safeWalSize()).as("bounded by max_slot_wal_keep_size").isNotNull();
            assertThat(status.invalidationReason()).isNull();
            assertThat(status.readAt()).isNotNull();
        }
    }
}
