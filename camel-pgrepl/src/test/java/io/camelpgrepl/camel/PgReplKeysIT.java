package io.camelpgrepl.camel;

import java.io.StringReader;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import io.camelpgrepl.fixture.SlotFixture;
import io.camelpgrepl.testing.PostgresExtension;
import io.camelpgrepl.testing.PostgresServer;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.postgresql.PGConnection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code CamelPgReplKey}, {@code CamelPgReplOldKey} and {@code CamelPgReplEventId} on a real PostgreSQL: the primary
 * key whatever the replica identity, the index's columns or all columns without one, the new key (and the old one)
 * on a key-changing UPDATE, the old key on DELETE; event ids distinct for the rows of one COPY and identical when a
 * transaction is redelivered, whether it comes streamed or whole.
 */
class PgReplKeysIT extends CamelTestSupport {

    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.create();

    /** What the route saw of one row change. */
    record Seen(String table, String operation, Map<String, Object> key, Map<String, Object> oldKey, String keyJson,
                String eventId, Object id) {
        static Seen of(Exchange e) {
            Message m = e.getMessage();
            Map<?, ?> body = m.getBody(Map.class);
            Map<?, ?> row = (Map<?, ?>) (body.get("after") != null ? body.get("after") : body.get("before"));
            @SuppressWarnings("unchecked")
            Map<String, Object> key = m.getHeader(PgReplConstants.KEY, Map.class);
            @SuppressWarnings("unchecked")
            Map<String, Object> oldKey = m.getHeader(PgReplConstants.OLD_KEY, Map.class);
            return new Seen(m.getHeader(PgReplConstants.TABLE, String.class),
                    m.getHeader(PgReplConstants.OPERATION, String.class), key, oldKey,
                    m.getHeader(PgReplConstants.KEY, String.class), m.getHeader(PgReplConstants.EVENT_ID, String.class),
                    row.get(row.containsKey("id") ? "id" : row.keySet().iterator().next()));
        }
    }

    private final List<Seen> seen = new CopyOnWriteArrayList<>();

    @Test
    void theKeyIsThePrimaryKeyElseTheReplicaIdentityAndFollowsTheRow() throws Exception {
        PostgresServer server = PG.server();
        String db = "keys_it";
        server.createDatabase(db);
        server.execute(db,
                "CREATE TABLE pk_t (id int PRIMARY KEY, name text)",
                // an identity index that is not the primary key: the primary key is still the key
                "CREATE TABLE pk_idx_t (id int PRIMARY KEY, code text NOT NULL UNIQUE, name text)",
                "ALTER TABLE pk_idx_t REPLICA IDENTITY USING INDEX pk_idx_t_code_key",
                "CREATE TABLE idx_t (a int NOT NULL, b int NOT NULL, name text)",
                "CREATE UNIQUE INDEX idx_t_ab ON idx_t (a, b)",
                "ALTER TABLE idx_t REPLICA IDENTITY USING INDEX idx_t_ab",
                "CREATE TABLE full_t (x int, y text)", "ALTER TABLE full_t REPLICA IDENTITY FULL",
                "CREATE TABLE full_pk_t (id int PRIMARY KEY, v text)", "ALTER TABLE full_pk_t REPLICA IDENTITY FULL");
        server.createSlotAndPublication(db, "keys_slot", "keys_pub", "pk_t", "pk_idx_t", "idx_t", "full_t",
                "full_pk_t");
        String uri = "pgrepl:keys_slot?publication=keys_pub&host=" + server.host() + "&port=" + server.port()
                     + "&database=" + db + "&user=" + io.camelpgrepl.testing.TestUsers.SUPERUSER + "&sslMode=disable";
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).process(e -> seen.add(Seen.of(e)));
            }
        });

        server.execute(db,
                "INSERT INTO pk_t VALUES (1, 'a')",
                "UPDATE pk_t SET name = 'b' WHERE id = 1",
                "UPDATE pk_t SET id = 2 WHERE id = 1",
                "DELETE FROM pk_t WHERE id = 2",
                "INSERT INTO pk_idx_t VALUES (1, 'c1', 'n')",
                "UPDATE pk_idx_t SET code = 'c2' WHERE id = 1",
                "DELETE FROM pk_idx_t WHERE id = 1",
                "INSERT INTO idx_t VALUES (1, 2, 'n')",
                "UPDATE idx_t SET b = 3",
                "DELETE FROM idx_t",
                "INSERT INTO full_t VALUES (7, 'z')",
                "DELETE FROM full_t",
                "INSERT INTO full_pk_t VALUES (5, 'v')",
                "UPDATE full_pk_t SET v = 'w'",
                "DELETE FROM full_pk_t");
        await().atMost(Duration.ofSeconds(20)).until(() -> seen.size() == 15);

        assertKey(0, "pk_t", "INSERT", Map.of("id", 1), null);
        assertKey(1, "pk_t", "UPDATE", Map.of("id", 1), null);
        assertKey(2, "pk_t", "UPDATE", Map.of("id", 2), Map.of("id", 1));
        assertKey(3, "pk_t", "DELETE", Map.of("id", 2), null);
        assertKey(4, "pk_idx_t", "INSERT", Map.of("id", 1), null);
        assertKey(5, "pk_idx_t", "UPDATE", Map.of("id", 1), null);
        // the old tuple carries the identity index's column only: that is all a DELETE can be keyed by
        assertKey(6, "pk_idx_t", "DELETE", Map.of("code", "c2"), null);
        assertKey(7, "idx_t", "INSERT", Map.of("a", 1, "b", 2), null);
        assertKey(8, "idx_t", "UPDATE", Map.of("a", 1, "b", 3), Map.of("a", 1, "b", 2));
        assertKey(9, "idx_t", "DELETE", Map.of("a", 1, "b", 3), null);
        assertKey(10, "full_t", "INSERT", Map.of("x", 7, "y", "z"), null);
        assertKey(11, "full_t", "DELETE", Map.of("x", 7, "y", "z"), null);
        assertKey(12, "full_pk_t", "INSERT", Map.of("id", 5), null);
        assertKey(13, "full_pk_t", "UPDATE", Map.of("id", 5), null);
        assertKey(14, "full_pk_t", "DELETE", Map.of("id", 5), null);
        assertThat(seen.get(8).keyJson()).as("the key converts to JSON, e.g. for a Kafka key")
                .isEqualTo("{\"a\":1,\"b\":3}");
    }

    private void assertKey(int i, String table, String operation, Map<String, Object> key, Map<String, Object> oldKey) {
        Seen s = seen.get(i);
        assertThat(s.table() + " " + s.operation()).as("event %d", i).isEqualTo(table + " " + operation);
        assertThat(s.key()).as("CamelPgReplKey of %s %s", operation, table).isEqualTo(key);
        assertThat(s.oldKey()).as("CamelPgReplOldKey of %s %s", operation, table).isEqualTo(oldKey);
    }

    @Test
    void rowsOfOneCopyHaveDistinctIdsAndARedeliveryRepeatsThemForTheIdempotentConsumerToDrop() throws Exception {
        SlotFixture f = SlotFixture.create(PG.server(), "event_ids");
        List<String> delivered = new CopyOnWriteArrayList<>();
        AtomicBoolean failedOnce = new AtomicBoolean();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(f.uri() + "&reconnectDelay=100ms")
                        .process(e -> seen.add(Seen.of(e)))
                        .idempotentConsumer(header(PgReplConstants.EVENT_ID),
                                MemoryIdempotentRepository.memoryIdempotentRepository(100))
                            .process(e -> {
                                // the third row of the COPY fails once: the whole transaction comes again
                                if (Integer.valueOf(3).equals(Seen.of(e).id()) && failedOnce.compareAndSet(false, true)) {
                                    throw new IllegalStateException("first delivery of row 3 fails");
                                }
                            })
                            .process(e -> delivered.add(e.getMessage().getHeader(PgReplConstants.EVENT_ID, String.class)));
            }
        });
        await().atMost(Duration.ofSeconds(20)).until(f::isActive);

        try (Connection c = f.server.connect(f.database)) {
            c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY items FROM STDIN",
                    new StringReader("1\tone\n2\ttwo\n3\tthree\n4\tfour\n"));
        }
        f.server.execute(f.database, "INSERT INTO items VALUES (5, 'five')");
        await().atMost(Duration.ofSeconds(20)).until(() -> delivered.size() == 5);

        Map<Object, List<String>> idsByRow = new java.util.TreeMap<>();
        for (Seen s : seen) {
            idsByRow.computeIfAbsent(s.id(), k -> new ArrayList<>()).add(s.eventId());
        }
        assertThat(idsByRow.get(1)).as("row 1 was delivered twice (the failed transaction came again)").hasSize(2);
        idsByRow.forEach((row, ids) -> assertThat(ids).as("row %s: one id however often delivered", row)
                .containsOnly(ids.get(0)));
        List<String> distinct = idsByRow.values().stream().map(ids -> ids.get(0)).toList();
        assertThat(distinct).as("one id per row").doesNotHaveDuplicates();
        assertThat(distinct.subList(0, 4)).as("rows of one COPY share a WAL record and differ by ordinal")
                .allMatch(id -> id.startsWith(distinct.get(0).substring(0, distinct.get(0).indexOf(':') + 1)));
        assertThat(delivered).as("behind the idempotent consumer each row once, in order").isEqualTo(distinct);
    }

    @Test
    void aTransactionHasTheSameEventIdsStreamedOrWhole() throws Exception {
        SlotFixture f = SlotFixture.create(PG.server(), "ids_streamed");
        // small decoding memory so a 2,000-row COPY is streamed to a slot that asks for it (and spilled otherwise)
        f.server.execute(f.database, "ALTER DATABASE " + f.database + " SET logical_decoding_work_mem = '64kB'");
        String whole = f.anotherSlot();
        List<String> streamedIds = new CopyOnWriteArrayList<>();
        List<String> wholeIds = new CopyOnWriteArrayList<>();
        List<Boolean> uncommitted = new CopyOnWriteArrayList<>();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(f.uri() + "&streaming=on").filter(header(PgReplConstants.OPERATION).isNotNull()).process(e -> {
                    streamedIds.add(e.getMessage().getHeader(PgReplConstants.EVENT_ID, String.class));
                    uncommitted.add(e.getMessage().getHeader(PgReplConstants.UNCOMMITTED, Boolean.class));
                });
                from(f.uri().replace(f.slot, whole)).process(
                        e -> wholeIds.add(e.getMessage().getHeader(PgReplConstants.EVENT_ID, String.class)));
            }
        });
        await().atMost(Duration.ofSeconds(20)).until(f::isActive);

        StringBuilder rows = new StringBuilder();
        for (int i = 1; i <= 2000; i++) {
            rows.append(i).append("\trow ").append(i).append(" ").append("x".repeat(40)).append('\n');
        }
        try (Connection c = f.server.connect(f.database)) {
            c.setAutoCommit(false);
            c.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY items FROM STDIN", new StringReader(rows.toString()));
            c.createStatement().execute("INSERT INTO items VALUES (0, 'single')");
            c.commit();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> streamedIds.size() == 2001 && wholeIds.size() == 2001);

        assertThat(uncommitted).as("the transaction really was streamed").contains(Boolean.TRUE);
        assertThat(new ArrayList<>(streamedIds)).as("streamed and whole: the same ids").isEqualTo(new ArrayList<>(wholeIds))
                .doesNotHaveDuplicates();
    }
}
