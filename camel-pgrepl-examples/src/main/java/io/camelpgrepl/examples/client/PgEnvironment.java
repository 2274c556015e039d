package io.camelpgrepl.examples.client;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

import io.camelpgrepl.client.Lsn;
import io.camelpgrepl.client.ReplicationConfig;
import io.camelpgrepl.client.SslMode;

/**
 * The settings the client examples read, named as libpq and the seed crate's examples name them: {@code PGHOST},
 * {@code PGPORT}, {@code PGDATABASE}, {@code PGUSER}, {@code PGPASSWORD}, {@code PGSSLMODE}, {@code PGSLOT},
 * {@code PGPUBLICATION}, {@code PGTLS_CA} (or {@code PGSSLROOTCERT}), {@code PGTLS_CLIENT_CERT} ({@code PGSSLCERT}),
 * {@code PGTLS_CLIENT_KEY} ({@code PGSSLKEY}), {@code PGTLS_SNI}, {@code START_LSN}, {@code STOP_LSN}. Environment
 * variables, overridden by system properties of the same name ({@code -DPGHOST=...}), so a Maven command can set them.
 */
public final class PgEnvironment {

    private final Map<String, String> values;

    private PgEnvironment(Map<String, String> values) {
        this.values = Map.copyOf(values);
    }

    /** The process environment overlaid with system properties of the same names. */
    public static PgEnvironment fromSystem() {
        Map<String, String> values = new HashMap<>(System.getenv());
        System.getProperties().forEach((k, v) -> values.put(k.toString(), v.toString()));
        return of(values);
    }

    /** These values only (tests, and examples that start their own server); blank values count as absent. */
    public static PgEnvironment of(Map<String, String> values) {
        Map<String, String> clean = new HashMap<>();
        values.forEach((k, v) -> {
            if (v != null && !v.isBlank()) {
                clean.put(k, v);
            }
        });
        return new PgEnvironment(clean);
    }

    /** A copy with {@code name} set to {@code value} (a blank value unsets it). */
    public PgEnvironment with(String name, String value) {
        Map<String, String> copy = new HashMap<>(values);
        copy.put(name, value);
        return of(copy);
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    public String get(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    /** The value of the first of {@code names} that is set, or null. */
    public String first(String... names) {
        for (String name : names) {
            if (values.containsKey(name)) {
                return values.get(name);
            }
        }
        return null;
    }

    /** The value, or an error that names the variable (examples say what they need instead of failing later). */
    public String require(String name, String purpose) {
        String value = values.get(name);
        if (value == null) {
            throw new IllegalArgumentException("set " + name + " (" + purpose + ")");
        }
        return value;
    }

    public Lsn lsn(String name) {
        String value = values.get(name);
        return value == null ? null : Lsn.parse(value);
    }

    public String slot() {
        return get("PGSLOT", "example_slot");
    }

    public String publication() {
        return get("PGPUBLICATION", "example_pub");
    }

    /**
     * A replication configuration from these settings: connection, TLS, slot, publication, and the start and stop
     * positions when given ({@code START_LSN} unset = the slot's confirmed position).
     */
    public ReplicationConfig.Builder replicationConfig() {
        ReplicationConfig.Builder builder = ReplicationConfig.builder()
                .host(get("PGHOST", "localhost"))
                .port(Integer.parseInt(get("PGPORT", "5432")))
                .database(get("PGDATABASE", "postgres"))
                .user(get("PGUSER", "postgres"))
                .password(first("PGPASSWORD"))
                .slot(slot())
                .publication(publication().split(","));
        String sslMode = first("PGSSLMODE");
        if (sslMode != null) {
            builder.sslMode(SslMode.valueOf(sslMode.trim().toUpperCase(Locale.ROOT).replace('-', '_')));
        }
        String ca = first("PGTLS_CA", "PGSSLROOTCERT");
        if (ca != null) {
            builder.sslRootCert(Path.of(ca));
        }
        String cert = first("PGTLS_CLIENT_CERT", "PGSSLCERT");
        if (cert != null) {
            builder.sslCert(Path.of(cert));
        }
        String key = first("PGTLS_CLIENT_KEY", "PGSSLKEY");
        if (key != null) {
            builder.sslKey(Path.of(key));
        }
        String sni = first("PGTLS_SNI");
        if (sni != null) {
            builder.sslServerName(sni);
        }
        Lsn start = lsn("START_LSN");
        if (start != null) {
            builder.startLsn(start);
        }
        Lsn stop = lsn("STOP_LSN");
        if (stop != null) {
            builder.stopAtLsn(stop);
        }
        return builder;
    }

    /**
     * A SQL connection for the control plane (publication, slot, positions), as {@code PGADMIN_USER}/{@code
     * PGADMIN_PASSWORD} when set, else as {@code PGUSER}. TLS as the server prefers; the examples' replication
     * connections are the ones that show TLS.
     */
    public Connection sqlConnection() throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", get("PGADMIN_USER", get("PGUSER", "postgres")));
        String password = has("PGADMIN_USER") ? first("PGADMIN_PASSWORD") : first("PGPASSWORD");
        if (password != null) {
            props.setProperty("password", password);
        }
        props.setProperty("sslmode", "prefer");
        return DriverManager.getConnection("jdbc:postgresql://" + get("PGHOST", "localhost") + ":"
                + get("PGPORT", "5432") + "/" + get("PGDATABASE", "postgres"), props);
    }
}
