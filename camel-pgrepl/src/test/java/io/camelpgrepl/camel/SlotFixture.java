package io.camelpgrepl.camel;

import java.util.concurrent.atomic.AtomicInteger;

import io.camelpgrepl.client.Lsn;
import io.camelpgrepl.testing.PostgresServer;
import io.camelpgrepl.testing.TestUsers;

/**
 * A fresh database with table {@code items(id int PRIMARY KEY, name text)}, a publication for it and a pgoutput
 * slot; the base endpoint URI streaming it as the superuser over plain TCP.
 */
final class SlotFixture {

    private static final AtomicInteger COUNTER = new AtomicInteger();

    final PostgresServer server;
    final String db;
    final String slot;
    final String publication;

    private SlotFixture(PostgresServer server, String prefix) {
        int n = COUNTER.incrementAndGet();
        this.server = server;
        this.db = prefix + "_" + n;
        this.slot = prefix + "_slot_" + n;
        this.publication = prefix + "_pub_" + n;
        server.createDatabase(db);
        server.execute(db, "CREATE TABLE items(id int PRIMARY KEY, name text)");
        server.createSlotAndPublication(db, slot, publication, "items");
    }

    /** Names start with {@code prefix} (one per test class, so a server shared by classes keeps them apart). */
    static SlotFixture create(PostgresServer server, String prefix) {
        return new SlotFixture(server, prefix);
    }

    /** Streams the slot as the superuser (trust, no TLS); timing options are the test's to add. */
    String uri() {
        return "pgrepl:" + slot + "?" + connectionOptions() + "&user=" + TestUsers.SUPERUSER + "&sslMode=disable";
    }

    /** publication, host, port and database, without user or security options. */
    String connectionOptions() {
        return "publication=" + publication + "&host=" + server.host() + "&port=" + server.port() + "&database=" + db;
    }

    void insert(int id, String name) {
        server.execute(db, "INSERT INTO items VALUES (" + id + ", '" + name + "')");
    }

    /** The slot's confirmed_flush_lsn (0/0 when unset). */
    Lsn confirmedFlush() {
        return Lsn.parse(server.queryString("postgres",
                "SELECT coalesce(confirmed_flush_lsn::text, '0/0') FROM pg_replication_slots WHERE slot_name = ?", slot));
    }

    /** Whether a walsender holds the slot. */
    boolean isActive() {
        return "t".equals(server.queryString("postgres", "SELECT active FROM pg_replication_slots WHERE slot_name = ?",
                slot));
    }
}
