package io.camelpgrepl.client.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import io.camelpgrepl.client.Lsn;
import io.camelpgrepl.client.ReplicationClient;
import io.camelpgrepl.client.ReplicationConfig;
import io.camelpgrepl.client.ReplicationEvent;
import io.camelpgrepl.client.SslMode;
import io.camelpgrepl.testing.PostgresServer;

/** A table, a publication and a slot of their own for one test, on a shared server. */
final class StreamFixture {

    private static final AtomicInteger COUNTER = new AtomicInteger();

    final PostgresServer server;
    final String database;
    final String table;
    final String publication;
    final String slot;

    private StreamFixture(PostgresServer server, String database) {
        int n = COUNTER.incrementAndGet();
        this.server = server;
        this.database = database;
        this.table = "t" + n + "_" + ProcessHandle.current().pid();
        this.publication = "pub_" + table;
        this.slot = "slot_" + table;
    }

    /** Creates table {@code (id int primary key, v text)}, a publication for it, and a pgoutput slot. */
    static StreamFixture create(PostgresServer server, String database) {
        StreamFixture f = new StreamFixture(server, database);
        server.execute(database, "CREATE TABLE " + f.table + " (id int PRIMARY KEY, v text)",
                "CREATE PUBLICATION " + f.publication + " FOR TABLE " + f.table);
        server.execute(database, "SELECT pg_create_logical_replication_slot('" + f.slot + "', 'pgoutput')");
        return f;
    }

    /** Trust-authenticated superuser over TCP without TLS: the baseline for stream semantics. */
    ReplicationConfig.Builder config() {
        return ReplicationConfig.builder().host(server.host()).port(server.port()).database(database)
                .user("postgres").sslMode(SslMode.DISABLE).slot(slot).publication(publication)
                .statusInterval(Duration.ofMillis(200));
    }

    void sql(String... statements) {
        server.execute(database, statements);
    }

    Lsn confirmedFlushLsn() {
        String v = server.queryString(database,
                "SELECT confirmed_flush_lsn FROM pg_replication_slots WHERE slot_name = '" + slot + "'");
        return v == null ? Lsn.INVALID : Lsn.parse(v);
    }

    boolean slotActive() {
        return "t".equals(server.queryString(database,
                "SELECT active FROM pg_replication_slots WHERE slot_name = '" + slot + "'"));
    }

    Lsn currentWalLsn() {
        return Lsn.parse(server.queryString(database, "SELECT pg_current_wal_lsn()"));
    }

    /** Reads events until {@code commits} Commits have arrived; returns the pgoutput events (no keepalives). */
    static List<ReplicationEvent> readTransactions(ReplicationClient client, int commits) throws InterruptedException {
        List<ReplicationEvent> out = new ArrayList<>();
        int seen = 0;
        while (seen < commits) {
            ReplicationEvent e = client.poll(Duration.ofSeconds(30));
            if (e == null) {
                throw new AssertionError("stream ended or stalled after " + out.size() + " events (" + seen + " of "
                        + commits + " commits)");
            }
            if (e instanceof ReplicationEvent.KeepAlive) {
                continue;
            }
            out.add(e);
            if (e instanceof ReplicationEvent.Commit) {
                seen++;
            }
        }
        return out;
    }

    /** pgoutput message type letters of the events, e.g. "BRIC". */
    static String types(List<ReplicationEvent> events) {
        return events.stream().filter(e -> e instanceof ReplicationEvent.WalMessage)
                .map(e -> String.valueOf((char) ((ReplicationEvent.WalMessage) e).messageType()))
                .collect(Collectors.joining());
    }

    /** Names of live threads started by the client. */
    static Set<String> clientThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("pgrepl-") && !n.equals("pgrepl-connect-watchdog"))
                .collect(Collectors.toSet());
    }
}
