package io.camelpgrepl.testing;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The official {@code postgres:<major>} image through Testcontainers, for machines with a Docker engine.
 * Simpler than the embedded server: no TLS, and the image's pg_hba (scram for everyone) instead of one
 * method per role; {@link PostgresServer#hasFullAuthSetup()} says so.
 */
final class ContainerPostgres implements PostgresBackend {

    private static final String SUPERUSER_PASSWORD = "postgres";

    private final PostgreSQLContainer container;

    ContainerPostgres(PostgresServer.Options options) {
        List<String> command = new ArrayList<>(List.of("postgres"));
        Map<String, String> settings = new java.util.LinkedHashMap<>();
        settings.put("wal_level", "logical");
        settings.put("max_replication_slots", "256");
        settings.put("max_wal_senders", "64");
        settings.put("max_connections", "100");
        settings.put("fsync", "off");
        settings.put("full_page_writes", "off");
        settings.putAll(options.settings());
        settings.forEach((k, v) -> {
            command.add("-c");
            command.add(k + "=" + unquote(v));
        });
        container = new PostgreSQLContainer("postgres:" + options.majorVersion())
                .withUsername(TestUsers.SUPERUSER)
                .withPassword(SUPERUSER_PASSWORD)
                .withDatabaseName("postgres")
                .withCommand(command.toArray(String[]::new));
    }

    @Override
    public void start() {
        container.start();
    }

    @Override
    public void stop() {
        throw PostgresBackend.notSupported("stopping and restarting a container server on the same port", describe());
    }

    @Override
    public void destroy() {
        container.stop();
    }

    @Override
    public boolean isRunning() {
        return container.isRunning();
    }

    @Override
    public String host() {
        return container.getHost();
    }

    @Override
    public int port() {
        return container.getMappedPort(PostgreSQLContainer.POSTGRESQL_PORT);
    }

    @Override
    public String superuser() {
        return TestUsers.SUPERUSER;
    }

    @Override
    public String superuserPassword() {
        return SUPERUSER_PASSWORD;
    }






    @Override
    public String describe() {
        return "container " + container.getDockerImageName()
                + (container.isRunning() ? " on " + host() + ":" + port() : " (not running)");
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("'") && value.endsWith("'") ? value.substring(1, value.length() - 1) : value;
    }
}
