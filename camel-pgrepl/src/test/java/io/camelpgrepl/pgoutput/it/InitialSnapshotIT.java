package io.camelpgrepl.pgoutput.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.camelpgrepl.client.Lsn;
import io.camelpgrepl.client.ReplicationClient;
import io.camelpgrepl.client.ReplicationConfig;
import io.camelpgrepl.client.ReplicationEvent;
import io.camelpgrepl.client.ServerInfo;
import io.camelpgrepl.client.SnapshotListener;
import io.camelpgrepl.client.SnapshotMode;
import io.camelpgrepl.client.SnapshotRow;
import io.camelpgrepl.client.SnapshotTable;
import io.camelpgrepl.fixture.SlotFixture;
import io.camelpgrepl.pgoutput.ChangeEvent;
import io.camelpgrepl.pgoutput.ChangeStream;
import io.camelpgrepl.pgoutput.RowChange;
import io.camelpgrepl.pgoutput.SnapshotRows;
import io.camelpgrepl.testing.PostgresExtension;

/**
 * The initial snapshot ({@code snapshotMode}) of the replication client against a real PostgreSQL, with its rows
 * decoded by {@link SnapshotRows}: rows plus stream rebuild the table exactly while a writer runs; READ rows carry
 * the values an INSERT of the same row streams; only the columns and rows the publication publishes are read; an
 * abandoned snapshot leaves no slot and is taken again, an existing slot is not snapshotted; initialOnly ends the
 * stream leaving no slot. Runs on 18 and on 14 ({@code USE_SNAPSHOT} syntax).
 */
class InitialSnapshotIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.create();

    /** Records the snapshot as RowChanges; {@code onRow} runs before each row is decoded. */
    private static final class Recorder implements SnapshotListener {
        final List<RowChange> rows = new ArrayList<>();
        final List<String> tables = new ArrayList<>();
        Lsn consistentPoint;
        boolean ended;
        Runnable onBegin = () -> { };
        Runnable onRow = () -> { };
        private SnapshotRows decoder;

        @Override
        public void begin(Lsn point, ServerInfo server) {
            consistentPoint = point;
            onBegin.run();
        }

        @Override
        public void table(SnapshotTable table) {
            tables.add(table.schema() + "." + table.table());
            decoder = new SnapshotRows(table, consistentPoint);
        }

        @Override
        public void row(SnapshotRow row) {
            onRow.run();
            rows.add(decoder.decode(row));
        }

        @Override
        public void end() {
            ended = true;
        }
    }

    private static ReplicationConfig.Builder snapshotConfig(SlotFixture f, String slot) {
        return f.config().slot(slot).createSlot(true).snapshotMode(SnapshotMode.INITIAL);
    }

    private static long slotsNamed(String slot) {
        return PG.server().queryLong("postgres", "SELECT count(*) FROM pg_replication_slots WHERE slot_name = ?", slot);
    }

    private static long snapshotSlotsIn(String database) {
        return PG.server().queryLong("postgres", "SELECT count(*) FROM pg_replication_slots WHERE database = ?"
                + " AND slot_name LIKE 'pgrepl\\_snapshot\\_%'", database);
    }

    @Test
    void snapshotPlusStreamRebuildTheTableWhileAWriterRuns() throws Exception {
        SlotFixture f = SlotFixture.create(PG.server(), "snap_writer");
        f.sql("INSERT INTO items SELECT g, 'row ' || g FROM generate_series(1, 20000) g");
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger writes = new AtomicInteger();
        CountDownLatch writesDuringSnapshot = new CountDownLatch(100);
        Thread writer = new Thread(() -> write(f, writing, writes, writesDuringSnapshot), "snapshot-it-writer");
        Recorder snapshot = new Recorder();
        snapshot.onBegin = writer::start;
        snapshot.onRow = () -> {
            if (snapshot.rows.size() == 5000) {
                await().atMost(WAIT).until(() -> writesDuringSnapshot.await(0, TimeUnit.SECONDS));
            }
        };
        String slot = f.slot + "_snap";
        try (ReplicationClient client = ReplicationClient.connect(snapshotConfig(f, slot).build(), snapshot)) {
            writing.set(false);
            writer.join(WAIT.toMillis());
            f.sql("INSERT INTO items VALUES (-1, 'marker')");

            Map<Integer, String> rebuilt = new HashMap<>();
            for (RowChange r : snapshot.rows) {
                assertThat(rebuilt.put((Integer) r.after().get("id"), (String) r.after().get("name")))
                        .as("row %s read twice by the snapshot", r.after()).isNull();
            }
            int streamed = applyUntilMarker(client, rebuilt);

            assertThat(streamed).as("changes streamed after the snapshot").isPositive();
            assertThat(rebuilt).as("snapshot + stream vs the table (%s writes, %s of them streamed)", writes.get(),
                    streamed).isEqualTo(table(f));
        }
        assertThat(slotsNamed(slot)).as("the snapshot's slot was made permanent").isEqualTo(1);
        PG.server().dropSlot(slot);
    }

    /** Inserts, updates and deletes random rows, one transaction each, until told to stop. */
    private static void write(SlotFixture f, AtomicBoolean writing, AtomicInteger writes, CountDownLatch progress) {
        try (Connection c = PG.server().connect(f.database); Statement st = c.createStatement()) {
            int next = 100_000;
            while (writing.get()) {
                int id = ThreadLocalRandom.current().nextInt(1, 20_000);
                switch (writes.get() % 3) {
                    case 0 -> st.execute("INSERT INTO items VALUES (" + next++ + ", 'new')");
                    case 1 -> st.execute("UPDATE items SET name = 'updated " + writes.get() + "' WHERE id = " + id);
                    default -> st.execute("DELETE FROM items WHERE id = " + id);
                }
                writes.incrementAndGet();
                progress.countDown();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Applies streamed changes to {@code rows} until the marker row's INSERT; returns how many were applied. */
    private static int applyUntilMarker(ReplicationClient client, Map<Integer, String> rows) throws Exception {
        ChangeStream changes = new ChangeStream(client.serverInfo().protoVersion(), client.config().streaming());
        int applied = 0;
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            ReplicationEvent e = client.poll(Duration.ofSeconds(1));
            if (!(e instanceof ReplicationEvent.WalMessage wal)) {
                continue;
            }
            ChangeEvent ev = changes.accept(wal);
            if (!(ev instanceof RowChange r)) {
                continue;
            }
            switch (r.operation()) {
                case INSERT -> {
                    Integer id = (Integer) r.after().get("id");
                    assertThat(rows.put(id, (String) r.after().get("name")))
                            .as("streamed INSERT of %s, a row the snapshot already had", id).isNull();
                    if (id == -1) {
                        return applied;
                    }
                }
                case UPDATE -> assertThat(rows.replace((Integer) r.after().get("id"), (String) r.after().get("name")))
                        .as("streamed UPDATE of %s, a row the snapshot did not have", r.after()).isNotNull();
                case DELETE -> assertThat(rows.remove((Integer) r.before().get("id")))
                        .as("streamed DELETE of %s, a row the snapshot did not have", r.before()).isNotNull();
                default -> throw new AssertionError("unexpected " + r);
            }
            applied++;
        }
        throw new AssertionError("the marker row did not arrive within " + WAIT);
    }

    private static Map<Integer, String> table(SlotFixture f) throws Exception {
        Map<Integer, String> rows = new HashMap<>();
        try (Connection c = PG.server().connect(f.database); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id, name FROM items")) {
            while (rs.next()) {
                rows.put(rs.getInt(1), rs.getString(2));
            }
        }
        return rows;
    }

    @Test
    void readRowsCarryTheValuesAStreamedInsertOfTheSameRowCarries() throws Exception {
        String database = "snap_types_" + ProcessHandle.current().pid();
        PG.server().createDatabase(database);
        PG.server().execute(database, "CREATE DOMAIN snap_positive AS int CHECK (VALUE > 0)");
        for (boolean binary : new boolean[] {false, true}) {
            SlotFixture f = SlotFixture.builder(PG.server(), "snap_types").database(database).columns("id int PRIMARY KEY, i2 int2, i8 int8,"
                    + " n numeric(12,3), f8 float8, b bool, t text, vc varchar(10), by bytea, u uuid, d date, tm time,"
                    + " ttz timetz, ts timestamp, tstz timestamptz, iv interval, j json, jb jsonb, ia int4[], ta text[],"
                    + " pos snap_positive, nothing text").create();
            String values = "2, 12345678901, 1234.5, 1.25, true, 'text', 'varchar', '\\x00ff', "
                    + "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '2024-02-29', '12:34:56.789', '12:34:56+05:30', "
                    + "'2024-02-29 12:34:56.123456', '2024-02-29 12:34:56+00', '1 year 2 mons 3 days 04:05:06', "
                    + "'{\"a\": [1, 2]}', '{\"b\": {\"c\": null}}', '{1,NULL,3}', '{\"x y\",z}', 7, NULL";
            f.sql("INSERT INTO " + f.table + " VALUES (1, " + values + ")");
            Recorder snapshot = new Recorder();
            String slot = f.slot + "_snap";
            try (ReplicationClient client = ReplicationClient.connect(snapshotConfig(f, slot).binary(binary).build(),
                    snapshot)) {
                f.sql("INSERT INTO " + f.table + " VALUES (2, " + values + ")");
                List<DecodedStream.Decoded> streamed = DecodedStream.of(client).readUntil(e -> e instanceof RowChange);
                RowChange insert = (RowChange) streamed.get(streamed.size() - 1).event();
                RowChange read = snapshot.rows.get(0);

                assertThat(snapshot.rows).as("rows read").hasSize(1);
                assertThat(read.operation()).isEqualTo(RowChange.Operation.READ);
                assertThat(read.before()).isNull();
                assertThat(read.lsn()).isEqualTo(snapshot.consistentPoint);
                assertThat(read.keyColumns()).isEqualTo(insert.keyColumns()).containsExactly("id");
                assertThat(read.relationId()).isEqualTo(insert.relationId());
                assertThat(comparable(read.after())).as("READ vs INSERT values (binary=%s)", binary)
                        .isEqualTo(comparable(insert.after())).containsEntry("pos", binary ? "00000007" : "7").containsEntry("n",
                                new java.math.BigDecimal("1234.500"));
            }
            PG.server().dropSlot(slot);
        }
    }

    /** The row without its id, byte arrays (bytea; a domain, unknown to the decoder, in binary) as hex. */
    private static Map<String, Object> comparable(Map<String, Object> row) {
        Map<String, Object> m = new LinkedHashMap<>();
        row.forEach((k, v) -> {
            if (!"id".equals(k)) {
                m.put(k, v instanceof byte[] b ? HexFormat.of().formatHex(b) : v);
            }
        });
        return m;
    }

    @Test
    void theSnapshotReadsTheColumnsAndRowsThePublicationPublishes() throws Exception {
        SlotFixture f = SlotFixture.builder(PG.server(), "snap_pub")
                .columns("id int PRIMARY KEY, name text, secret text, doubled int GENERATED ALWAYS AS (id * 2) STORED")
                .create();
        f.sql("INSERT INTO items (id, name, secret) VALUES (1, 'a', 's1'), (2, 'b', 's2'), (3, 'c', 's3')");
        boolean listsAndFilters = PG.server().majorVersion() >= 15;
        if (listsAndFilters) {
            f.sql("ALTER PUBLICATION " + f.publication + " SET TABLE items (id, name) WHERE (id <> 2)");
        }
        Recorder snapshot = new Recorder();
        String slot = f.slot + "_snap";
        try (ReplicationClient client = ReplicationClient.connect(snapshotConfig(f, slot).build(), snapshot)) {
            f.sql("INSERT INTO items (id, name, secret) VALUES (4, 'd', 's4')");
            List<DecodedStream.Decoded> streamed = DecodedStream.of(client).readUntil(e -> e instanceof RowChange);
            RowChange insert = (RowChange) streamed.get(streamed.size() - 1).event();

            assertThat(snapshot.rows).allSatisfy(r -> assertThat(r.after().keySet()).as("the columns pgoutput sends")
                    .containsExactlyElementsOf(insert.after().keySet()));
            assertThat(snapshot.rows).extracting(r -> r.after().get("id")).as("rows (row filter on 15+)")
                    .containsExactlyElementsOf(listsAndFilters ? List.of(1, 3) : List.of(1, 2, 3));
            assertThat(insert.after().keySet()).as("generated column left out%s", listsAndFilters
                    ? ", column list applied" : "").containsExactlyElementsOf(listsAndFilters ? List.of("id", "name")
                    : List.of("id", "name", "secret"));
        }
        PG.server().dropSlot(slot);
    }

    @Test
    void anAbandonedSnapshotLeavesNoSlotAndTheNextConnectTakesItAgainButNotOnceTheSlotExists() throws Exception {
        SlotFixture f = SlotFixture.create(PG.server(), "snap_abandon");
        f.sql("INSERT INTO items SELECT g, 'row ' || g FROM generate_series(1, 100) g");
        String slot = f.slot + "_snap";
        Recorder failing = new Recorder();
        failing.onRow = () -> {
            if (failing.rows.size() == 10) {
                throw new IllegalStateException("the application died mid-snapshot");
            }
        };

        assertThatThrownBy(() -> ReplicationClient.connect(snapshotConfig(f, slot).build(), failing))
                .hasMessageContaining("died mid-snapshot");
        assertThat(failing.ended).as("end() after a failure").isFalse();
        assertThat(slotsNamed(slot)).as("no slot whose snapshot did not complete").isZero();
        await().atMost(WAIT).untilAsserted(() -> assertThat(snapshotSlotsIn(f.database))
                .as("the temporary snapshot slot went with the connection").isZero());

        Recorder again = new Recorder();
        try (ReplicationClient client = ReplicationClient.connect(snapshotConfig(f, slot).build(), again)) {
            assertThat(again.rows).as("the whole snapshot, again").hasSize(100);
            assertThat(again.ended).isTrue();
        }
        Recorder existing = new Recorder();
        try (ReplicationClient client = ReplicationClient.connect(snapshotConfig(f, slot).build(), existing)) {
            assertThat(existing.consistentPoint).as("no snapshot from a slot that exists").isNull();
        }
        PG.server().dropSlot(slot);
    }

    @Test
    void initialOnlyReadsTheTablesInOrderThenEndsTheStreamLeavingNoSlot() throws Exception {
        SlotFixture f = SlotFixture.create(PG.server(), "snap_only");
        f.sql("INSERT INTO items VALUES (1, 'a'), (2, 'b')", "CREATE SCHEMA aaa",
                "CREATE TABLE aaa.first (k text PRIMARY KEY)", "INSERT INTO aaa.first VALUES ('k1')",
                "CREATE TABLE \"Zed\" (k int)", "INSERT INTO \"Zed\" VALUES (5)",
                "ALTER PUBLICATION " + f.publication + " ADD TABLE aaa.first, \"Zed\"");
        String slot = f.slot + "_never_created";
        Recorder snapshot = new Recorder();
        try (ReplicationClient client = ReplicationClient.connect(f.config().slot(slot)
                .snapshotMode(SnapshotMode.INITIAL_ONLY).build(), snapshot)) {
            f.sql("INSERT INTO items VALUES (3, 'after the snapshot')");
            ReplicationEvent first = client.poll(WAIT);
            while (first instanceof ReplicationEvent.KeepAlive) {
                first = client.poll(WAIT);
            }
            assertThat(first).as("the stream ends at the snapshot").isInstanceOf(ReplicationEvent.StoppedAt.class);
            assertThat(client.poll(WAIT)).as("end of stream").isNull();
            assertThat(client.isEnded()).isTrue();
        }
        assertThat(snapshot.tables).as("(schema, table) order, byte-wise").containsExactly("aaa.first", "public.Zed",
                "public.items");
        assertThat(snapshot.rows).extracting(r -> r.after().values().iterator().next())
                .containsExactly("k1", 5, 1, 2);
        assertThat(slotsNamed(slot)).as("initialOnly creates no slot of that name").isZero();
        await().atMost(WAIT).untilAsserted(() -> assertThat(snapshotSlotsIn(f.database))
                .as("no temporary slot left").isZero());
    }
}
