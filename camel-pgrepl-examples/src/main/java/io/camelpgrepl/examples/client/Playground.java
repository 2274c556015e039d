package io.camelpgrepl.examples.client;

import java.util.HashMap;
import java.util.Map;

import io.camelpgrepl.testing.PostgresServer;
import io.camelpgrepl.testing.TestUsers;
import io.camelpgrepl.testing.TlsMaterial;

/**
 * What the client examples stream from when {@code PGHOST} is not set (and what their tests use): an embedded
 * PostgreSQL with table {@value #TABLE}, publication {@code example_pub} and slot {@code example_slot}, started as
 * an unprivileged user when run as root. With TLS on, the server presents a certificate for {@code localhost} signed
 * by a CA generated for the run, and accepts client certificates for {@code cert_user}.
 */
public final class Playground implements AutoCloseable {

    public static final String TABLE = "example_items";

    private final PostgresServer server;
    private int nextId = 1;

    private Playground(PostgresServer server) {
        this.server = server;
    }

    /** Starts the server and creates the table, the publication and the slot (before any row is written). */
    public static Playground start(boolean tls) {
        System.out.println("Starting an embedded PostgreSQL" + (tls ? " with TLS" : "") + " (set PGHOST to use yours) ...");
        PostgresServer server = PostgresServer.start(PostgresServer.Options.builder().tls(tls).build());
        server.execute("postgres", "CREATE TABLE " + TABLE + " (id int PRIMARY KEY, name text NOT NULL)");
        server.createSlotAndPublication("postgres", "example_slot", "example_pub", TABLE);
        System.out.println("PostgreSQL " + server.majorVersion() + " is up on " + server.host() + ":" + server.port());
        return new Playground(server);
    }

    public PostgresServer server() {
        return server;
    }

    /** Settings for a plain connection as the superuser (trusted on the loopback). */
    public PgEnvironment environment() {
        Map<String, String> env = new HashMap<>();
        env.put("PGHOST", server.host());
        env.put("PGPORT", String.valueOf(server.port()));
        env.put("PGDATABASE", "postgres");
        env.put("PGUSER", TestUsers.SUPERUSER);
        env.put("PGSLOT", "example_slot");
        env.put("PGPUBLICATION", "example_pub");
        return PgEnvironment.of(env);
    }

    /**
     * Settings for TLS with {@code verify-full} against the generated CA, as a SCRAM user whose pg_hba line accepts
     * TLS connections only; with {@code clientCertificate}, as {@code cert_user} authenticated by its certificate.
     */
    public PgEnvironment tlsEnvironment(boolean clientCertificate) {
        TlsMaterial tls = server.tls();
        PgEnvironment env = environment()
                .with("PGHOST", "localhost") // the name on the server certificate
                .with("PGSSLMODE", "verify-full")
                .with("PGTLS_CA", tls.caCert().toString())
                .with("PGADMIN_USER", TestUsers.SUPERUSER);
        if (clientCertificate) {
            return env.with("PGUSER", TestUsers.CERT_USER)
                    .with("PGTLS_CLIENT_CERT", tls.clientCert().toString())
                    .with("PGTLS_CLIENT_KEY", tls.clientKeyPkcs8().toString());
        }
        return env.with("PGUSER", TestUsers.SCRAM_SSL_USER).with("PGPASSWORD", TestUsers.SCRAM_SSL_USER_PASSWORD);
    }

    /** Commits {@code transactions} transactions of one new row each; returns the ids written. */
    public synchronized int[] insert(int transactions) {
        int[] ids = new int[transactions];
        for (int i = 0; i < transactions; i++) {
            ids[i] = nextId++;
            server.execute("postgres", "INSERT INTO " + TABLE + " VALUES (" + ids[i] + ", 'item " + ids[i] + "')");
        }
        return ids;
    }

    /** The server's current WAL position (a bound that covers everything committed so far). */
    public String currentWalLsn() {
        return server.queryString("postgres", "SELECT pg_current_wal_lsn()::text");
    }

    @Override
    public void close() {
        server.close();
    }
}
