package io.camelpgrepl.client;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The libpq ways of supplying connection settings, merged with libpq's precedence: a connection URI (our explicit
 * builder options above it), then the service file's section for {@code service}, then the {@code PG*} environment
 * variables; what none of them sets keeps the builder's default. Settings are libpq keywords ({@code dbname},
 * {@code sslmode}, {@code target_session_attrs}...); {@link ReplicationConfig.Builder} maps them onto its options.
 */
final class LibpqSettings {

    private static final Logger LOG = LoggerFactory.getLogger(LibpqSettings.class);

    /** libpq keywords this client uses. */
    static final Set<String> SUPPORTED = Set.of("host", "port", "dbname", "user", "password", "passfile", "service",
            "application_name", "connect_timeout", "sslmode", "sslnegotiation", "sslrootcert", "sslcert", "sslkey",
            "sslpassword", "channel_binding", "require_auth", "target_session_attrs", "load_balance_hosts");

    /** libpq keywords that change nothing here (socket tuning, settings this client fixes itself): accepted, ignored. */
    private static final Set<String> IGNORED = Set.of("fallback_application_name", "keepalives", "keepalives_idle",
            "keepalives_interval", "keepalives_count", "tcp_user_timeout", "sslcompression", "sslsni", "gssencmode",
            "client_encoding", "replication", "connect_timeout_ms");

    /** libpq's environment variables, as documented in "Environment Variables", for the keywords above. */
    static final Map<String, String> ENVIRONMENT = Map.ofEntries(
            Map.entry("PGHOST", "host"), Map.entry("PGPORT", "port"), Map.entry("PGDATABASE", "dbname"),
            Map.entry("PGUSER", "user"), Map.entry("PGPASSWORD", "password"), Map.entry("PGPASSFILE", "passfile"),
            Map.entry("PGSERVICE", "service"), Map.entry("PGAPPNAME", "application_name"),
            Map.entry("PGCONNECT_TIMEOUT", "connect_timeout"), Map.entry("PGSSLMODE", "sslmode"),
            Map.entry("PGSSLNEGOTIATION", "sslnegotiation"), Map.entry("PGSSLROOTCERT", "sslrootcert"),
            Map.entry("PGSSLCERT", "sslcert"), Map.entry("PGSSLKEY", "sslkey"),
            Map.entry("PGCHANNELBINDING", "channel_binding"), Map.entry("PGREQUIREAUTH", "require_auth"),
            Map.entry("PGTARGETSESSIONATTRS", "target_session_attrs"),
            Map.entry("PGLOADBALANCEHOSTS", "load_balance_hosts"));

    private LibpqSettings() {
    }

    /**
     * The merged settings, without those the caller set explicitly.
     *
     * @param url         a connection URI, or null
     * @param service     the service named explicitly, or null (then the URI's {@code service}, then {@code PGSERVICE})
     * @param environment the {@code PG*} variables to use as a layer, or null for none
     * @param files       the variables that locate files ({@code PGSERVICEFILE}, {@code PGSYSCONFDIR}, {@code HOME})
     * @param explicit    keywords set explicitly, which no layer overrides
     */
    static Map<String, String> resolve(String url, String service, Map<String, String> environment,
                                       Map<String, String> files, Set<String> explicit) {
        Map<String, String> merged = new LinkedHashMap<>();
        if (url != null && !url.isBlank()) {
            addAll(merged, ConnectionUri.parse(url.trim()), "url");
        }
        Map<String, String> env = new LinkedHashMap<>();
        if (environment != null) {
            ENVIRONMENT.forEach((variable, keyword) -> {
                String value = environment.get(variable);
                if (value != null && !value.isEmpty()) {
                    env.put(keyword, value);
                }
            });
        }
        String serviceName = service != null ? service : merged.getOrDefault("service", env.get("service"));
        if (serviceName != null && !serviceName.isBlank()) {
            addAll(merged, ServiceFile.lookup(serviceName, files), "service '" + serviceName + "'");
        }
        addAll(merged, env, "the environment");
        merged.remove("service");
        merged.keySet().removeAll(explicit);
        return merged;
    }

    private static void addAll(Map<String, String> into, Map<String, String> layer, String source) {
        layer.forEach((key, value) -> {
            if (SUPPORTED.contains(key)) {
                into.putIfAbsent(key, value);
            } else if (IGNORED.contains(key)) {
                LOG.debug("Connection setting '{}' from {} does not apply to camel-pgrepl; ignored", key, source);
            } else {
                throw new ConfigurationException("Connection setting '" + key + "' from " + source
                        + " is not a libpq keyword camel-pgrepl supports; supported: " + String.join(", ",
                        new java.util.TreeSet<>(SUPPORTED)));
            }
        });
    }

    /** libpq's home directory: {@code HOME}, else the JVM's user.home. */
    static Path home(Map<String, String> env) {
        String home = env.get("HOME");
        return Path.of(home != null && !home.isEmpty() ? home : System.getProperty("user.home"));
    }

    /** The password file libpq would read when none is named: {@code PGPASSFILE}, else {@code ~/.pgpass}. */
    static Path defaultPassfile(Map<String, String> env) {
        String file = env.get("PGPASSFILE");
        return file != null && !file.isEmpty() ? Path.of(file) : home(env).resolve(".pgpass");
    }
}
