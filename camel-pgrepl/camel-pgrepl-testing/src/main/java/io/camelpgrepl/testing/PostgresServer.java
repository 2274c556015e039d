package io.camelpgrepl.testing;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A real PostgreSQL server for tests (and the examples' demo): started from zonky binaries as a local
 * process (as an unprivileged user when the JVM is root), a Testcontainers container, or an external
 * server, depending on {@code -Dpgrepl.test.pg.source}. Configured for logical replication, TLS with
 * generated certificates and one login role per authentication method ({@link TestUsers}).
 *
 * <p>Servers not closed are stopped and deleted by a JVM shutdown hook.
 *
 * <p>Over 400 lines on purpose: this is the launcher's whole API in one place (lifecycle, the SQL helpers tests
 * arrange data with, and the {@link Options} they configure it with); the work behind it is in the backends.
 */
public final class PostgresServer implements AutoCloseable {

    /** System property: the default PostgreSQL major version (14 to 18). */
    public static final String VERSION_PROPERTY = "pgrepl.test.pg.version";
    public static final int DEFAULT_MAJOR = 18;

    private static final Set<PostgresServer> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(PostgresServer::destroyAllLive, "camel-pgrepl-postgres-cleanup"));
    }

    private final Options options;
    private final PostgresBackend backend;
    private volatile Integer serverVersionNum;

    private PostgresServer(Options options, PostgresBackend backend) {
        this.options = options;
        this.backend = backend;
    }

    /**
     * Starts a new server with these options, ready for connections and with the test roles created.
     *
     * @throws IllegalStateException saying what is missing (binaries, Docker, URL) and what to do
     */
    public static PostgresServer start(Options options) {
        PostgresSource source = options.source().resolve();
        PostgresBackend backend = switch (source) {
            case EMBEDDED -> new LocalPostgres(options, PostgresBinaries.forMajor(options.majorVersion()));
            case SYSTEM -> new LocalPostgres(options, PostgresBinaries.machineInstall(options.majorVersion())
                    .orElseThrow(() -> new IllegalStateException("no PostgreSQL " + options.majorVersion()
                            + " installed in /usr/lib/postgresql/" + options.majorVersion()
                            + "/bin: install it or use -D" + PostgresSource.SOURCE_PROPERTY + "=embedded")));
            case DOCKER -> new ContainerPostgres(options);
            case EXTERNAL -> new ExternalPostgres(PostgresSource.externalUrl());
            case AUTO -> throw new AssertionError("AUTO is resolved above");
        };
        PostgresServer server = new PostgresServer(options, backend);
        LIVE.add(server);
        try {
            backend.start();
            server.createTestRoles();
            server.serverVersionNum(); // cached, so majorVersion() also answers while the server is stopped
            return server;
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /** A server of the default major with default options. */
    public static PostgresServer startDefault() {
        return start(Options.defaults());
    }

    public Options options() {
        return options;
    }

    public int majorVersion() {
        return serverVersionNum() / 10000;
    }

    /** {@code server_version_num}, e.g. 180001, read from the server once. */
    public int serverVersionNum() {
        Integer known = serverVersionNum;
        if (known == null) {
            known = (int) queryLong("postgres", "SELECT current_setting('server_version_num')::int");
            serverVersionNum = known;
        }
        return known;
    }

    public String host() {
        return backend.host();
    }

    public int port() {
        return backend.port();
    }

    /** Directory of the unix socket (null for container and external servers). */
    public Path socketDir() {
        return backend.socketDir();
    }

    /** Server binaries (initdb, pg_ctl, postgres); null for container and external servers. */
    public Path binDir() {
        return backend.binDir();
    }

    public Path dataDir() {
        return backend.dataDir();
    }

    /** The server log, to read when a test fails. */
    public Path logFile() {
        return backend.logFile();
    }

    /** TLS files the server trusts and presents; only for servers with TLS on. */
    public TlsMaterial tls() {
        if (!options.tls() || !backend.hasFullAuthSetup()) {
            throw new IllegalStateException("TLS is off on " + backend.describe()
                    + ": start it with Options.builder().tls(true) on the embedded source");
        }
        return TlsMaterial.get();
    }

    /** Whether pg_hba, roles and certificates follow {@link TestUsers} (false for external and container servers). */
    public boolean hasFullAuthSetup() {
        return backend.hasFullAuthSetup();
    }

    public boolean isRunning() {
        return backend.isRunning();
    }

    /** JDBC URL of {@code database}, without credentials. */
    public String jdbcUrl(String database) {
        return backend.jdbcUrl(database);
    }

    /** A pgjdbc connection to {@code database} as the superuser. */
    public Connection connect(String database) throws SQLException {
        return connect(database, backend.superuser(), backend.superuserPassword());
    }

    /** A pgjdbc connection to {@code database} as {@code user} (password may be null), TLS if the server offers it. */
    public Connection connect(String database, String user, String password) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        if (password != null) {
            properties.setProperty("password", password);
        }
        properties.setProperty("connectTimeout", "10");
        return DriverManager.getConnection(jdbcUrl(database), properties);
    }

    /** Runs statements in order, each in autocommit, as the superuser. */
    public void execute(String database, String... sql) {
        try (Connection connection = connect(database); Statement statement = connection.createStatement()) {
            for (String each : sql) {
                statement.execute(each);
            }
        } catch (SQLException e) {
            throw failure("SQL failed in database " + database, e);
        }
    }

    /** First column of the first row as a long (a query returning nothing fails). */
    public long queryLong(String database, String sql, Object... parameters) {
        String value = queryString(database, sql, parameters);
        if (value == null) {
            throw new IllegalStateException("NULL from: " + sql);
        }
        return Long.parseLong(value);
    }

    /** First column of the first row as text (null for SQL NULL; a query returning nothing fails). */
    public String queryString(String database, String sql, Object... parameters) {
        try (Connection connection = connect(database); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet rows = statement.executeQuery()) {
                if (!rows.next()) {
                    throw new IllegalStateException("no row from: " + sql);
                }
                return rows.getString(1);
            }
        } catch (SQLException e) {
            throw failure("query failed in database " + database + ": " + sql, e);
        }
    }

    /** Creates a database (owned by the superuser). */
    public void createDatabase(String name) {
        execute("postgres", "CREATE DATABASE " + quoteIdentifier(name));
    }

    /**
     * Creates a publication for {@code tables} (all tables when none are given) and a pgoutput logical
     * replication slot, the usual arrangement of a replication test.
     *
     * @return the slot's consistent point (confirmed_flush_lsn) as text, e.g. {@code 0/1A2B3C8}
     */
    public String createSlotAndPublication(String database, String slot, String publication, String... tables) {
        createPublication(database, publication, tables);
        return createSlot(database, slot, false);
    }

    /** Creates a publication for {@code tables} (all tables when none are given). */
    public void createPublication(String database, String publication, String... tables) {
        String target = tables.length == 0 ? "FOR ALL TABLES" : "FOR TABLE " + String.join(", ", tables);
        execute(database, "CREATE PUBLICATION " + quoteIdentifier(publication) + " " + target);
    }

    /**
     * Creates a pgoutput logical replication slot for {@code database}, with {@code two_phase} (decoding of
     * prepared transactions, PostgreSQL 14 and later) when asked.
     *
     * @return the slot's consistent point (confirmed_flush_lsn) as text
     */
    public String createSlot(String database, String slot, boolean twoPhase) {
        return queryString(database, "SELECT lsn::text FROM pg_create_logical_replication_slot(?, 'pgoutput', false, "
                + twoPhase + ")", slot);
    }

    /** Drops a replication slot, terminating the walsender that holds it first. */
    public void dropSlot(String slot) {
        terminateWalSenders(slot);
        queryString("postgres", "SELECT count(pg_drop_replication_slot(slot_name)) FROM pg_replication_slots WHERE slot_name = ?",
                slot);
    }

    /** Kills the walsender streaming {@code slot} (the client sees the connection drop); returns how many. */
    public int terminateWalSenders(String slot) {
        return (int) queryLong("postgres", "SELECT count(pg_terminate_backend(active_pid)) FROM pg_replication_slots"
                + " WHERE slot_name = ? AND active_pid IS NOT NULL", slot);
    }

    /** Kills every walsender (logical and physical); returns how many. */
    public int terminateWalSenders() {
        return (int) queryLong("postgres", "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                + " WHERE backend_type = 'walsender'");
    }

    /** Stops the server (pg_ctl stop -m fast) keeping data and port, e.g. to test reconnection. */
    public void stop() {
        backend.stop();
    }

    /** Crashes the server (pg_ctl stop -m immediate: no checkpoint, clients cut off), keeping data and port. */
    public void crash() {
        backend.crash();
    }

    /** Starts a stopped server again on the same data directory and port. */
    public void start() {
        backend.start();
    }

    /** Stops and starts the server. */
    public void restart() {
        backend.stop();
        backend.start();
    }

    /**
     * Starts a physical standby of this (embedded, running) server: creates the physical slot {@code physicalSlot}
     * here, stops this server cleanly for a moment to copy its data directory, and starts both. The standby streams
     * through that slot with {@code hot_standby_feedback} on and, on PostgreSQL 17+, {@code sync_replication_slots}
     * on (failover slots are synchronised to it). Close it like any server.
     *
     * @param settings extra postgresql.conf settings of the standby
     */
    public PostgresServer startStandby(String physicalSlot, Map<String, String> settings) {
        if (!(backend instanceof LocalPostgres primary)) {
            throw PostgresBackend.notSupported("a standby", backend.describe());
        }
        execute("postgres", "SELECT pg_catalog.pg_create_physical_replication_slot(" + quoteLiteral(physicalSlot)
                + ", true) WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_replication_slots WHERE slot_name = "
                + quoteLiteral(physicalSlot) + ")");
        // the standby's own settings only: the primary's are in the copied postgresql.conf already
        Options standbyOptions = Options.builder().majorVersion(options.majorVersion()).tls(options.tls())
                .serverCertSignature(options.serverCertSignature()).source(options.source()).settings(settings).build();
        LocalPostgres standbyBackend;
        backend.stop();
        try {
            standbyBackend = new LocalPostgres(primary, standbyOptions, physicalSlot);
        } finally {
            backend.start();
        }
        PostgresServer standby = new PostgresServer(standbyOptions, standbyBackend);
        LIVE.add(standby);
        try {
            standbyBackend.start();
            standby.serverVersionNum();
            return standby;
        } catch (RuntimeException e) {
            standby.close();
            throw e;
        }
    }

    /** Promotes this standby to primary ({@code pg_ctl promote}, waiting until it accepts writes). */
    public void promote() {
        backend.promote();
    }

    /** Stops the server and deletes its data. */
    @Override
    public void close() {
        try {
            backend.destroy();
        } finally {
            LIVE.remove(this);
        }
    }

    @Override
    public String toString() {
        return backend.describe();
    }

    private void createTestRoles() {
        if (!backend.hasFullAuthSetup()) {
            ensureRolesExist();
            return;
        }
        execute("postgres", TestUsers.createRolesSql().toArray(String[]::new));
    }

    /** External and container servers may have the roles already; create the missing ones. */
    private void ensureRolesExist() {
        try (Connection connection = connect("postgres"); Statement statement = connection.createStatement()) {
            for (String sql : TestUsers.createRolesSql()) {
                try {
                    statement.execute(sql);
                } catch (SQLException e) {
                    if (!"42710".equals(e.getSQLState())) { // duplicate_object: the role exists
                        throw e;
                    }
                }
            }
        } catch (SQLException e) {
            throw failure("cannot create the test roles", e);
        }
    }

    private IllegalStateException failure(String what, SQLException e) {
        return new IllegalStateException(what + " on " + backend.describe() + ": " + e.getMessage(), e);
    }

    static String quoteLiteral(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    static String quoteIdentifier(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    private static void destroyAllLive() {
        for (PostgresServer server : LIVE) {
            try {
                server.backend.destroy();
            } catch (RuntimeException e) {
                System.err.println("camel-pgrepl test harness: could not stop " + server + ": " + e.getMessage());
            }
        }
    }

    /**
     * How a server is set up. Equal options may share one server (see {@code PostgresExtension}).
     *
     * @param majorVersion        PostgreSQL major (14 to 18)
     * @param settings            extra postgresql.conf settings, applied last (values as written in the file)
     * @param tls                 ssl=on with the generated certificates
     * @param serverCertSignature signature algorithm of the server certificate (decides the channel-binding hash)
     * @param source              where the server comes from
     */
    public record Options(int majorVersion, Map<String, String> settings, boolean tls,
                          TlsMaterial.ServerCertSignature serverCertSignature, PostgresSource source) {

        public Options {
            Objects.requireNonNull(serverCertSignature, "serverCertSignature");
            Objects.requireNonNull(source, "source");
            settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
        }

        /** Default major from {@code -Dpgrepl.test.pg.version}, TLS on, SHA256withRSA, configured source. */
        public static Options defaults() {
            return builder().build();
        }

        public static Builder builder() {
            return new Builder();
        }

        public Builder toBuilder() {
            Builder builder = new Builder().majorVersion(majorVersion).tls(tls).serverCertSignature(serverCertSignature)
                    .source(source);
            settings.forEach(builder::setting);
            return builder;
        }

        /** The major version configured by {@code -Dpgrepl.test.pg.version} (default 18). */
        public static int defaultMajor() {
            String value = System.getProperty(VERSION_PROPERTY);
            if (value == null || value.isBlank()) {
                return DEFAULT_MAJOR;
            }
            try {
                return Integer.parseInt(value.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("-D" + VERSION_PROPERTY + "=" + value + " is not a major version like 16", e);
            }
        }

        public static final class Builder {
            private int majorVersion = defaultMajor();
            private final Map<String, String> settings = new LinkedHashMap<>();
            private boolean tls = true;
            private TlsMaterial.ServerCertSignature serverCertSignature = TlsMaterial.ServerCertSignature.SHA256_WITH_RSA;
            private PostgresSource source = PostgresSource.configured();

            private Builder() {
            }

            public Builder majorVersion(int majorVersion) {
                this.majorVersion = majorVersion;
                return this;
            }

            /** One postgresql.conf line {@code name = value}; quote string values yourself ({@code "'2s'"} or {@code "2s"}). */
            public Builder setting(String name, String value) {
                settings.put(name, value);
                return this;
            }

            public Builder settings(Map<String, String> settings) {
                this.settings.putAll(settings);
                return this;
            }

            public Builder tls(boolean tls) {
                this.tls = tls;
                return this;
            }

            public Builder serverCertSignature(TlsMaterial.ServerCertSignature serverCertSignature) {
                this.serverCertSignature = serverCertSignature;
                return this;
            }

            public Builder source(PostgresSource source) {
                this.source = source;
                return this;
            }

            public Options build() {
                return new Options(majorVersion, settings, tls, serverCertSignature, source);
            }
        }
    }
}
