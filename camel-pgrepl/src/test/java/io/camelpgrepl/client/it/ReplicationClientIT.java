package io.camelpgrepl.client.it;

import static io.camelpgrepl.client.it.ClientEvents.readTransactions;
import static io.camelpgrepl.client.it.ClientEvents.types;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.camelpgrepl.client.ConfigurationException;
import io.camelpgrepl.client.Lsn;
import io.camelpgrepl.client.ReplicationClient;
import io.camelpgrepl.client.ReplicationEvent;
import io.camelpgrepl.client.ServerErrorException;
import io.camelpgrepl.fixture.SlotFixture;
import io.camelpgrepl.testing.PostgresExtension;

/** The client's streaming semantics against a real PostgreSQL (the default major, 18 unless told otherwise). */
class ReplicationClientIT {

    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.create();

    /** Text values of the new tuple of an Insert/Update, or the old key of a Delete. */
    static List<String> tuple(ReplicationEvent e) {
        ByteBuffer b = ((ReplicationEvent.WalMessage) e).data().duplicate();
        byte type = b.get();
        b.getInt(); // relation id
        byte marker = b.get();
        if (type == 'U' && (marker == 'K' || marker == 'O')) {
            skipTuple(b);
            marker = b.get();
        }
        assertThat(marker).as("tuple marker").isIn((byte) 'N', (byte) 'K', (byte) 'O');
        int n = b.getShort();
        List<String> values = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte kind = b.get();
            if (kind == 't') {
                byte[] v = new byte[b.getInt()];
                b.get(v);
                values.add(new String(v, StandardCharsets.UTF_8));
            } else {
                values.add(null);
            }
        }
        return values;
    }

    private static void skipTuple(ByteBuffer b) {
        int n = b.getShort();
        for (int i = 0; i < n; i++) {
            if (b.get() == 't') {
                b.position(b.position() + b.getInt());
            }
        }
    }

    @Test
    void streamsInsertsUpdatesAndDeletesWithTheirValues() throws Exception {
        SlotFixture f = SlotFixture.inDatabase(PG.server(), "postgres", "client_it");
        try (ReplicationClient client = ReplicationClient.connect(f.config().build())) {
            assertThat(client.serverInfo().systemId()).as("IDENTIFY_SYSTEM system id").isNotBlank();
            assertThat(client.serverInfo().timeline()).isEqualTo(1);
            assertThat(client.serverInfo().xlogPos().isValid()).isTrue();
            f.sql("INSERT INTO " + f.table + " VALUES (1, 'one'), (2, 'zwei ü')");
            f.sql("UPDATE " + f.table + " SET name = 'two' WHERE id = 2");
            f.sql("DELETE FROM " + f.table + " WHERE id = 1");
            List<ReplicationEvent> events = readTransactions(client, 3);
            assertThat(types(events)).as("message types").isEqualTo("BRIICBUCBDC");
            assertThat(tuple(events.get(2))).containsExactly("1", "one");
            assertThat(tuple(events.get(3))).containsExactly("2", "zwei ü");
            assertThat(tuple(events.get(6))).containsExactly("2", "two");
            assertThat(tuple(events.get(9))).as("delete carries the key").containsExactly("1", null);
            ReplicationEvent.Begin begin = (ReplicationEvent.Begin) events.get(0);
            ReplicationEvent.Commit commit = (ReplicationEvent.Commit) events.get(4);
            assertThat(commit.commitLsn()).as("Begin's final LSN is the commit LSN").isEqualTo(begin.finalLsn());
            assertThat(commit.endLsn()).isGreaterThan(commit.commitLsn());
            assertThat(events.get(1)).as("Relation carries 0/0").extracting(e ->
                    ((ReplicationEvent.WalMessage) e).walStart()).isEqualTo(Lsn.INVALID);
        }
    }

    @Test
    void confirmedFlushEqualsTheAcknowledgementAndNeverMovesBeforeIt() throws Exception {
        SlotFixture f = SlotFixture.inDatabase(PG.server(), "postgres", "client_it");
        Lsn initial = f.confirmedFlush();
        try (ReplicationClient client = ReplicationClient.connect(f.config().ackIdleKeepalive(false).build())) {
            f.sql("INSERT INTO " + f.table + " VALUES (1, 'a')");
            f.sql("INSERT INTO " + f.table + " VALUES (2, 'b')");
            List<ReplicationEvent> events = readTransactions(client, 2);
            long statusBefore = client.stats().statusUpdatesSent();
            await().atMost(Duration.ofSeconds(10)).until(() -> client.stats().statusUpdatesSent() >= statusBefore + 3);
            assertThat(f.confirmedFlush()).as("no acknowledgement yet: slot must not move").isEqualTo(initial);

            ReplicationEvent.Commit first = (ReplicationEvent.Commit) events.stream()
                    .filter(e -> e instanceof ReplicationEvent.Commit).findFirst().orElseThrow();
            client.updateAppliedLsn(first.endLsn());
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThat(f.confirmedFlush()).as("slot at the acknowledged commit").isEqualTo(first.endLsn()));
            long statusNow = client.stats().statusUpdatesSent();
            await().atMost(Duration.ofSeconds(10)).until(() -> client.stats().statusUpdatesSent() >= statusNow + 3);
            assertThat(f.confirmedFlush()).as("and not past it").isEqualTo(first.endLsn());
        }
    }

    @Test
    void idleSlotAdvancesWhileAnotherDatabaseWrites() throws Exception {
        PG.server().createDatabase("other_db");
        SlotFixture f = SlotFixture.inDatabase(PG.server(), "postgres", "client_it");
        try (ReplicationClient client = ReplicationClient.connect(f.config().build())) {
            Lsn before = f.confirmedFlush();
            PG.server().execute("other_db", "CREATE TABLE IF NOT EXISTS noise (x int)",
                    "INSERT INTO noise SELECT generate_series(1, 1000)");
            Lsn written = Lsn.parse(PG.server().queryString("other_db", "SELECT pg_current_wal_lsn()"));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertThat(f.confirmedFlush()).as("idle slot follows WAL written elsewhere")
                            .isGreaterThanOrEqualTo(written));
            assertThat(f.confirmedFlush()).isGreaterThan(before);
            assertThat(client.failure()).isNull();
        }
    }

    @Test
    void idleAdvancementCanBeSwitchedOff() throws Exception {
        PG.server().createDatabase("other_db2");
        SlotFixture f = SlotFixture.inDatabase(PG.server(), "postgres", "client_it");
        try (ReplicationClient client = ReplicationClient.connect(f.config().ackIdleKeepalive(false).build())) {
            Lsn before = f.confirmedFlush();
            PG.server().execute("other_db2", "CREATE TABLE IF NOT EXISTS noise (x int)",
                    "INSERT INTO noise SELECT generate_series(1, 1000)");
            Lsn written = Lsn.parse(PG.server().queryString("other_db2", "SELECT pg_current_wal_lsn()"));
            await().atMost(Duration.ofSeconds(30)).until(() -> client.stats().receivedLsn().compareTo(written) >= 0);
            long sent = client.stats().statusUpdatesSent();
            await().atMost(Duration.ofSeconds(10)).until(() -> client.stats().statusUpdatesSent() >= sent + 2);
            assertThat(f.confirmedFlush()).as("received, but nothing acknowledged").isEqualTo(before);
        }
    }

    @Test
    void aConsumerThatDoesNotReadKeepsItsConnectionPastTheSenderTimeout() throws Exception {
        SlotFixture f = SlotFixture.inDatabase(PG.server(), "postgres", "client_it");
        Duration senderTimeout = Duration.ofSeconds(1);
        f.sql("ALTER SYSTEM SET wal_sender_timeout = '1s'", "SELECT pg_reload_conf()");
        try (ReplicationClient client = ReplicationClient.connect(f.config().bufferEvents(4)
                .statusInterval(Duration.ofSeconds(10)).build())) {
            f.sql("INSERT INTO " + f.table + " SELECT g, repeat('x', 500) FROM generate_series(1, 20000) g");
            await().atMost(Duration.ofSeconds(10)).until(() -> client.stats().stalls() > 0);
            await().during(senderTimeout.multipliedBy(3)).atMost(senderTimeout.multipliedBy(5))
                    .until(f::isActive);
            assertThat(client.failure()).as("the client saw no error while not reading").isNull();
            int inserts = 0;
            while (inserts < 20000) {
                ReplicationEvent e = client.poll(Duration.ofSeconds(30));
                assertThat(e).as("stream still alive after the stall").isNotNull();
                if (e instanceof ReplicationEvent.XLogData x && x.messageType() == 'I') {
                    inserts++;
                }
            }
        } finally {
            f.sql("ALTER SYSTEM RESET wal_sender_timeout", "SELECT pg_reload_conf()");
        }
    }

    @Test
    void stopAtLsnDeliversWholeTransactionsAndStopsOnAnIdleServer() throws Exception {
        SlotFixture f = SlotFixture.inDatabase(PG.server(), "postgres", "client_it");
        f.sql("INSERT INTO " + f.table + " VALUES (1, 'a')");
        f.sql("INSERT INTO " + f.table + " VALUES (2, 'b'), (3, 'c')");
        Lsn bound = f.currentWal();
        f.sql("INSERT INTO " + f.table + " VALUES (4, 'past the bound')");
        try (ReplicationClient client = ReplicationClient.connect(f.config().stopAtLsn(bound).build())) {
            List<ReplicationEvent> events = new ArrayList<>();
            ReplicationEvent e;
            while ((e = client.poll(Duration.ofSeconds(30))) != null) {
                if (!(e instanceof ReplicationEvent.KeepAlive)) {
                    events.add(e);
                }
            }
            assertThat(client.isEnded()).as("stream ended, not timed out").isTrue();
            assertThat(types(events)).as("two whole transactions, then the stop").isEqualTo("BRICBIIC");
            assertThat(events.get(events.size() - 1)).isInstanceOf(ReplicationEvent.StoppedAt.class);
            assertThat(((ReplicationEvent.StoppedAt) events.get(events.size() - 1)).reached()).isGreaterThan(bound);
        }

        // Idle server: nothing past the bound ever arrives; a keepalive ends the replay.
        SlotFixture idle = SlotFixture.inDatabase(PG.server(), "postgres", "client_it");
        idle.sql("INSERT INTO " + idle.table + " VALUES (1, 'a')");
        Lsn idleBound = idle.currentWal();
        try (ReplicationClient client = ReplicationClient.connect(idle.config().stopAtLsn(idleBound).build())) {
            List<ReplicationEvent> events = new ArrayList<>();
            ReplicationEvent e;
            while ((e = client.poll(Duration.ofSeconds(30))) != null) {
                if (!(e instanceof ReplicationEvent.KeepAlive)) {
                    events.add(e);
                }
            }
            assertThat(client.isEnded()).isTrue();
            assertThat(types(events)).isEqualTo("BRIC");
            assertThat(events.get(events.size() - 1)).isInstanceOf(ReplicationEvent.StoppedAt.class);
        }
    }

    @Test
    void restartFromTheAcknowledgedLsnDeliversOnlyWhatCameAfter() throws Exception {
        SlotFixture f = SlotFixture.inDatabase(PG.server(), "postgres", "client_it");
        f.sql("INSERT INTO " + f.table + " VALUES (1, 'first')");
        f.sql("INSERT INTO " + f.table + " VALUES (2, 'second')");
        Lsn acked;
        try (ReplicationClient client = ReplicationClient.connect(f.config().ackIdleKeepalive(false).build())) {
            List<ReplicationEvent> events = readTransactions(client, 1);
            acked = ((ReplicationEvent.Commit) events.get(events.size() - 1)).endLsn();
            client.updateAppliedLsn(acked);
        }
        assertThat(f.confirmedFlush()).as("the graceful close sent the acknowledgement").isEqualTo(acked);
        f.sql("INSERT INTO " + f.table + " VALUES (3, 'third')");
        try (ReplicationClient client = ReplicationClient.connect(f.config().startLsn(acked).build())) {
            List<ReplicationEvent> events = readTransactions(client, 2);
            List<String> ids = new ArrayList<>();
            for (ReplicationEvent e : events) {
                if (e instanceof ReplicationEvent.XLogData x && x.messageType() == 'I') {
                    ids.add(tuple(e).get(0));
                }
            }
            assertThat(ids).as("the unacknowledged and the new transaction, nothing acknowledged")
                    .containsExactly("2", "3");
        }
    }

    @Test
    void startLsnOlderThanTheSlotIsRefusedWhenStrict() throws Exception {
        SlotFixture f = SlotFixture.inDatabase(PG.server(), "postgres", "client_it");
        f.sql("INSERT INTO " + f.table + " VALUES (1, 'a')");
        try (ReplicationClient client = ReplicationClient.connect(f.config().build())) {
            List<ReplicationEvent> events = readTransactions(client, 1);
            client.updateAppliedLsn(((ReplicationEvent.Commit) events.get(events.size() - 1)).endLsn());
        }
        assertThatThrownBy(() -> ReplicationClient.connect(f.config().startLsn(Lsn.parse("0/10")).strictStartLsn(true)
                .build())).isInstanceOf(ConfigurationException.class).hasMessageContaining("confirmed_flush_lsn")
                .hasMessageContaining(f.slot);
    }

    @Test
    void aMissingSlotFailsFromConnectAsAPermanentError() {
        SlotFixture f = SlotFixture.inDatabase(PG.server(), "postgres", "client_it");
        assertThatThrownBy(() -> ReplicationClient.connect(f.config().slot("no_such_slot").build()))
                .isInstanceOfSatisfying(ServerErrorException.class, e -> {
                    assertThat(e.sqlState()).isEqualTo("42704");
                    assertThat(e.isTransient()).isFalse();
                    assertThat(e.getMessage()).contains("no_such_slot");
                });
    }

    @Test
    void anUnexpectedSystemIdIsRefused() {
        SlotFixture f = SlotFixture.inDatabase(PG.server(), "postgres", "client_it");
        assertThatThrownBy(() -> ReplicationClient.connect(f.config().expectedSystemId(42L).build()))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("expectedSystemId");
    }

    @Test
    void connectsOverAUnixDomainSocket() throws Exception {
        SlotFixture f = SlotFixture.inDatabase(PG.server(), "postgres", "client_it");
        try (ReplicationClient client = ReplicationClient.connect(f.config()
                .host(PG.server().socketDir().toString()).build())) {
            f.sql("INSERT INTO " + f.table + " VALUES (1, 'over a socket')");
            assertThat(tuple(readTransactions(client, 1).get(2))).containsExactly("1", "over a socket");
        }
    }

    @Test
    void createsSlotAndPublicationWhenAskedAndDropsTheSlotOnStop() throws Exception {
        String slot = "created_slot_" + ProcessHandle.current().pid();
        String pub = "created \"pub\"";
        PG.server().execute("postgres", "CREATE TABLE IF NOT EXISTS managed (id int primary key)");
        SlotFixture f = SlotFixture.inDatabase(PG.server(), "postgres", "client_it");
        try (ReplicationClient client = ReplicationClient.connect(f.config().slot(slot).publication(pub)
                .createSlot(true).createPublication(true).publicationTables(List.of("public.managed"))
                .dropSlotOnStop(true).build())) {
            assertThat(PG.server().queryString("postgres", "SELECT count(*) FROM pg_replication_slots WHERE "
                    + "slot_name = '" + slot + "'")).isEqualTo("1");
            PG.server().execute("postgres", "INSERT INTO managed VALUES (7)");
            assertThat(tuple(readTransactions(client, 1).get(2))).containsExactly("7");
            assertThat(client.shutdown(Duration.ofSeconds(10))).isTrue();
        }
        assertThat(PG.server().queryString("postgres", "SELECT count(*) FROM pg_replication_slots WHERE slot_name = '"
                + slot + "'")).as("dropped on stop").isEqualTo("0");
    }

    @Test
    void createsFailoverAndTwoPhaseSlotsWhereTheServerSupportsThem() throws Exception {
        SlotFixture f = SlotFixture.inDatabase(PG.server(), "postgres", "client_it");
        int major = PG.server().majorVersion();
        String slot = "failover_2pc_" + ProcessHandle.current().pid();
        io.camelpgrepl.client.ReplicationConfig config = f.config().slot(slot).createSlot(true).failoverSlot(true)
                .twoPhase(true).dropSlotOnStop(true).build();
        if (major < 17) {
            assertThatThrownBy(() -> ReplicationClient.connect(config)).isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining(major < 15 ? "twoPhase" : "failoverSlot");
            return;
        }
        try (ReplicationClient client = ReplicationClient.connect(config)) {
            assertThat(PG.server().queryString("postgres", "SELECT failover::text || '/' || two_phase::text FROM "
                    + "pg_replication_slots WHERE slot_name = '" + slot + "'"))
                    .as("failover / two_phase flags of the created slot").isEqualTo("true/true");
            assertThat(client.serverInfo().protoVersion()).isGreaterThanOrEqualTo(3);
        }
    }

    @Test
    void stopShutdownAndAbortLeaveNoThreadBehind() throws Exception {
        SlotFixture f = SlotFixture.inDatabase(PG.server(), "postgres", "client_it");
        f.sql("INSERT INTO " + f.table + " SELECT g, 'x' FROM generate_series(1, 100) g");

        ReplicationClient stopped = ReplicationClient.connect(f.config().build());
        stopped.stop();
        while (stopped.recv() != null) {
            // buffered events are still delivered after stop()
        }
        assertThat(stopped.isEnded()).isTrue();

        ReplicationClient shut = ReplicationClient.connect(f.config().build());
        assertThat(shut.shutdown(Duration.ofSeconds(10))).isTrue();

        ReplicationClient aborted = ReplicationClient.connect(f.config().bufferEvents(2).build());
        aborted.abort();
        assertThat(aborted.recv()).as("an aborted stream ends").isNull();

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(ClientEvents.clientThreads()).as("client threads still alive").isEmpty());
    }
}
