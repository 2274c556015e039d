package io.camelpgrepl.examples.client;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

import io.camelpgrepl.client.Lsn;
import io.camelpgrepl.client.ReplicationClient;
import io.camelpgrepl.client.ReplicationConfig;

/**
 * The seed's {@code checkpointed} example: control plane and streaming. Creates the publication (for
 * {@code PGTABLES}, default all tables) and the slot when missing, then streams from the LSN saved in
 * {@code CHECKPOINT_FILE} (default {@code checkpoint.lsn}), prints each row, and at each commit first saves the
 * commit LSN durably (written, forced to disk, renamed into place), then acknowledges it. Killed at any moment, the
 * next run resumes after the last saved commit: no gap; a transaction whose rows were printed but whose commit was
 * not yet saved comes again (at-least-once). Runs until Ctrl-C or {@code STOP_LSN}.
 *
 * <pre>PGHOST=db PGUSER=postgres PGPASSWORD=... CHECKPOINT_FILE=/var/lib/cdc/checkpoint.lsn \
 * ./mvnw -q -pl camel-pgrepl-examples -am -DskipTests package exec:exec -Dexec.mainClass=io.camelpgrepl.examples.client.CheckpointedExample</pre>
 */
public final class CheckpointedExample {

    private CheckpointedExample() {
    }

    public static void main(String[] args) throws Exception {
        PgEnvironment env = PgEnvironment.fromSystem();
        if (env.has("PGHOST")) {
            run(env);
            return;
        }
        try (Playground playground = Playground.start(false)) {
            playground.insert(3);
            run(playground.environment().with("STOP_LSN", playground.currentWalLsn())
                    .with("CHECKPOINT_FILE", env.get("CHECKPOINT_FILE", "target/checkpoint.lsn")));
        }
    }

    /** Streams from the saved checkpoint until the stream ends; prints {@code checkpoint <lsn>} after each save. */
    public static void run(PgEnvironment env) throws Exception {
        Path checkpoint = Path.of(env.get("CHECKPOINT_FILE", "checkpoint.lsn"));
        prepare(env);
        Lsn start = load(checkpoint);
        System.out.println("Resuming " + env.slot() + " from " + (start.isValid() ? start : "the slot's position"));
        ReplicationConfig config = env.replicationConfig().startLsn(start).build();
        try (ReplicationClient client = ReplicationClient.connect(config)) {
            DecodedRows.stream(client, new DecodedRows.Handler() {
                @Override
                public void row(io.camelpgrepl.pgoutput.RowChange row) {
                    System.out.println(DecodedRows.describe(row));
                }

                @Override
                public boolean commit(Lsn commitEnd) throws IOException {
                    save(checkpoint, commitEnd);            // durable first ...
                    client.updateAppliedLsn(commitEnd);     // ... then the slot may move past it
                    System.out.println("checkpoint " + commitEnd);
                    return true;
                }
            });
        }
    }

    /** The control plane: publication and slot, created when missing (idempotent, so every run may call it). */
    static void prepare(PgEnvironment env) throws SQLException {
        try (Connection sql = env.sqlConnection()) {
            if (!exists(sql, "SELECT 1 FROM pg_publication WHERE pubname = ?", env.publication())) {
                String tables = env.get("PGTABLES", null);
                try (Statement st = sql.createStatement()) {
                    st.execute("CREATE PUBLICATION " + st.enquoteIdentifier(env.publication(), false)
                            + (tables == null ? " FOR ALL TABLES" : " FOR TABLE " + tables));
                }
            }
            if (!exists(sql, "SELECT 1 FROM pg_replication_slots WHERE slot_name = ?", env.slot())) {
                try (PreparedStatement st = sql.prepareStatement(
                        "SELECT pg_create_logical_replication_slot(?, 'pgoutput')")) {
                    st.setString(1, env.slot());
                    st.execute();
                }
            }
        }
    }

    private static boolean exists(Connection sql, String query, String name) throws SQLException {
        try (PreparedStatement st = sql.prepareStatement(query)) {
            st.setString(1, name);
            try (var rs = st.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** The saved commit LSN, or {@link Lsn#INVALID} (start at the slot's confirmed position) on the first run. */
    static Lsn load(Path checkpoint) throws IOException {
        return Files.exists(checkpoint) ? Lsn.parse(Files.readString(checkpoint).trim()) : Lsn.INVALID;
    }

    /** Write, force, rename: a crash leaves either the old checkpoint or the new one, never half of one. */
    static void save(Path checkpoint, Lsn lsn) throws IOException {
        Path dir = checkpoint.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = dir.resolve(checkpoint.getFileName() + ".tmp");
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            channel.write(StandardCharsets.US_ASCII.encode(lsn + "\n"));
            channel.force(true);
        }
        Files.move(tmp, checkpoint, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
