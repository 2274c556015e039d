package io.camelpgrepl.examples;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import io.camelpgrepl.testing.PostgresServer;

/**
 * Where the examples stream from: the PostgreSQL named by {@code PGREPL_DEMO_HOST} (with {@code _PORT},
 * {@code _DATABASE}, {@code _USER}, {@code _PASSWORD}; system properties {@code demo.host} etc. work too), or an
 * embedded PostgreSQL started for the run (as an unprivileged user when run as root).
 */
final class DemoDatabase implements AutoCloseable {

    final String host;
    final int port;
    final String database;
    final String user;
    final String password;
    private final PostgresServer embedded;

    private DemoDatabase(String host, int port, String database, String user, String password,
                         PostgresServer embedded) {
        this.host = host;
        this.port = port;
        this.database = database;
        this.user = user;
        this.password = password;
        this.embedded = embedded;
    }

    static DemoDatabase open() {
        String host = setting("host", null);
        if (host != null) {
            System.out.println("Using your PostgreSQL at " + host + " (it needs wal_level=logical)");
            return new DemoDatabase(host, Integer.parseInt(setting("port", "5432")), setting("database", "postgres"),
                    setting("user", "postgres"), setting("password", null), null);
        }
        System.out.println("Starting an embedded PostgreSQL (set PGREPL_DEMO_HOST to use yours) ...");
        PostgresServer server = PostgresServer.start(PostgresServer.Options.builder().tls(false).build());
        System.out.println("PostgreSQL " + server.majorVersion() + " is up on " + server.host() + ":" + server.port());
        return new DemoDatabase(server.host(), server.port(), "postgres", "postgres", null, server);
    }

    Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + database, user, password);
    }

    void execute(String... sql) throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }

    @Override
    public void close() {
        if (embedded != null) {
            embedded.close();
        }
    }

    private static String setting(String name, String fallback) {
        String v = System.getProperty("demo." + name);
        if (v == null) {
            v = System.getenv("PGREPL_DEMO_" + name.toUpperCase(java.util.Locale.ROOT));
        }
        return v == null || v.isBlank() ? fallback : v;
    }
}
