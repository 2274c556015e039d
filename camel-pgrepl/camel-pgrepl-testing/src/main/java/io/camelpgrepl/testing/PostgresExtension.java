package io.camelpgrepl.testing;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives a test class a real PostgreSQL server:
 * <pre>{@code
 * @RegisterExtension
 * static final PostgresExtension PG = PostgresExtension.create();
 * ... PG.server().connect("postgres") ...
 * }</pre>
 * Classes asking for equal {@link PostgresServer.Options} share one server per JVM (stopped at JVM
 * exit); {@link #dedicated()} gives the class its own server, closed after the class, for tests that
 * stop, restart or break it. When no server can start the test fails (never skips), saying why.
 */
public final class PostgresExtension implements BeforeAllCallback, AfterAllCallback {

    private static final Map<PostgresServer.Options, PostgresServer> SHARED = new ConcurrentHashMap<>();

    private final PostgresServer.Options options;
    private final boolean dedicated;
    private volatile PostgresServer server;

    private PostgresExtension(PostgresServer.Options options, boolean dedicated) {
        this.options = options;
        this.dedicated = dedicated;
    }

    /** A shared server with default options (major from {@code -Dpgrepl.test.pg.version}, TLS on). */
    public static PostgresExtension create() {
        return new PostgresExtension(PostgresServer.Options.defaults(), false);
    }

    /** The same extension with other options (e.g. another major or postgresql.conf settings). */
    public PostgresExtension withOptions(PostgresServer.Options options) {
        return new PostgresExtension(options, dedicated);
    }

    /** The same extension with a server of its own, closed after the test class. */
    public PostgresExtension dedicated() {
        return new PostgresExtension(options, true);
    }

    /** The server of the running test class; available from {@code @BeforeAll} on. */
    public PostgresServer server() {
        PostgresServer current = server;
        if (current == null) {
            throw new IllegalStateException("no PostgreSQL server yet: register the extension with @RegisterExtension"
                    + " on a static field, and use server() in or after @BeforeAll");
        }
        return current;
    }

    public PostgresServer.Options options() {
        return options;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        try {
            server = dedicated ? PostgresServer.start(options) : shared(options);
        } catch (RuntimeException e) {
            boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
            throw new IllegalStateException("cannot start a PostgreSQL " + options.majorVersion() + " test server"
                    + (ci ? " (CI=true: integration tests fail rather than skip)" : "") + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        PostgresServer current = server;
        server = null;
        if (dedicated && current != null) {
            current.close();
        } else if (current != null && !current.isRunning()) {
            // A class stopped a shared server and did not start it again: start it for the next class.
            current.start();
        }
    }

    private static PostgresServer shared(PostgresServer.Options options) {
        return SHARED.computeIfAbsent(options, PostgresServer::start);
    }
}
