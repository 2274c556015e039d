package io.camelpgrepl.testing;

import java.nio.file.Path;

/** Where a {@link PostgresServer} really runs: a local process, a container, or an external server. */
interface PostgresBackend {

    /** Starts the server (again, on the same data and port, after {@link #stop()}). */
    void start();

    /** Stops the server, keeping its data. */
    void stop();

    /**
     * Crashes the server (as a power cut would: no shutdown checkpoint, no goodbye to clients), keeping its data;
     * {@link #start()} then runs crash recovery. Only a local process can be crashed.
     */
    default void crash() {
        throw new UnsupportedOperationException("only a locally started PostgreSQL can be crashed, not " + this);
    }

    /** Promotes a standby to primary. */
    default void promote() {
        throw notSupported("promote()", describe());
    }

    /** Stops the server and deletes everything it created. Must be safe to call twice. */
    void destroy();

    boolean isRunning();

    String host();

    int port();

    /** JDBC URL of {@code database} on this server, without credentials. */
    default String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host() + ":" + port() + "/" + database;
    }

    String superuser();

    /** Null when the superuser logs in by trust. */
    String superuserPassword();

    /** Whether the {@link TestUsers} roles, pg_hba lines and TLS certificates are in place. */
    default boolean hasFullAuthSetup() {
        return false;
    }

    /** Local backends only; null for a container or an external server (likewise the next three). */
    default Path socketDir() {
        return null;
    }

    default Path binDir() {
        return null;
    }

    default Path dataDir() {
        return null;
    }

    default Path logFile() {
        return null;
    }

    /** Human-readable, for error messages: source, version, address. */
    String describe();

    /** The unsupported-operation error for backends that do not own a process. */
    static UnsupportedOperationException notSupported(String what, String backend) {
        return new UnsupportedOperationException(what + " is not possible on " + backend
                + ": use -Dpgrepl.test.pg.source=embedded for tests that need it");
    }
}
