package io.camelpgrepl.client.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.camelpgrepl.client.AllHostsFailedException;
import io.camelpgrepl.client.AuthenticationException;
import io.camelpgrepl.client.ConnectionException;
import io.camelpgrepl.client.ReplicationClient;
import io.camelpgrepl.client.ReplicationConfig;
import io.camelpgrepl.client.ServerAddress;
import io.camelpgrepl.client.SslMode;
import io.camelpgrepl.client.TargetSessionAttrs;
import io.camelpgrepl.fixture.SlotFixture;
import io.camelpgrepl.testing.PostgresExtension;
import io.camelpgrepl.testing.TestUsers;

/**
 * Every libpq way to say where to connect reaches a real server: host lists (a dead host skipped, a Unix-socket
 * directory among them), target_session_attrs, a connection URI, a password file, a service file (read by psql too)
 * and the PG* environment.
 */
class ConnectionFormsIT {

    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.create();

    private static final Path PSQL = Path.of("/usr/lib/postgresql/15/bin/psql");
    private static SlotFixture f;

    @TempDir
    Path dir;

    @BeforeAll
    static void slot() {
        f = SlotFixture.create(PG.server(), "forms");
    }

    private static ReplicationConfig.Builder stream() {
        return ReplicationConfig.builder().slot(f.slot).publication(f.publication).fromEnvironment(Map.of("HOME", "/nonexistent"));
    }

    private static ServerAddress connectAndClose(ReplicationConfig config) {
        try (ReplicationClient client = ReplicationClient.connect(config)) {
            return client.server();
        }
    }

    private static int deadPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private Path file(String name, String content, String permissions) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
        return file;
    }

    @Test
    void aDeadHostIsSkippedAndTheNextOneUsed() throws IOException {
        int dead = deadPort();
        ServerAddress used = connectAndClose(f.config().host("localhost,localhost").port(dead + "," + f.server.port())
                .build());
        assertThat(used).isEqualTo(new ServerAddress("localhost", f.server.port()));
    }

    @Test
    void aUnixSocketDirectoryInTheListKeepsWorking() {
        ServerAddress used = connectAndClose(f.config().host("/nonexistent-socket-dir," + f.server.socketDir())
                .port(f.server.port()).build());
        assertThat(used.isUnixSocket()).isTrue();
    }

    @Test
    void whenEveryHostFailsEachIsNamedWithItsReason() throws IOException {
        int dead1 = deadPort();
        int dead2 = deadPort();
        assertThatThrownBy(() -> connectAndClose(f.config().host("localhost,127.0.0.1").port(dead1 + "," + dead2).build()))
                .isInstanceOf(AllHostsFailedException.class)
                .hasMessageContaining("localhost:" + dead1 + ": Cannot connect")
                .hasMessageContaining("127.0.0.1:" + dead2 + ": Cannot connect")
                .matches(e -> ((AllHostsFailedException) e).isTransient(), "transient");
    }

    @Test
    void targetSessionAttrsTellsAPrimaryFromAStandby() {
        assertThatThrownBy(() -> connectAndClose(f.config().targetSessionAttrs(TargetSessionAttrs.STANDBY).build()))
                .isInstanceOf(ConnectionException.class).hasMessageContaining("server is a primary");
        assertThat(connectAndClose(f.config().targetSessionAttrs(TargetSessionAttrs.PREFER_STANDBY).build()))
                .as("prefer-standby takes any server on its second walk").isNotNull();
        assertThat(connectAndClose(f.config().targetSessionAttrs(TargetSessionAttrs.READ_WRITE).build())).isNotNull();
    }

    @Test
    void aConnectionUriConnectsWithPercentEncodedCredentials() {
        String password = URLEncoder.encode(TestUsers.SCRAM_USER_PASSWORD, StandardCharsets.UTF_8);
        ReplicationConfig config = stream().url("postgresql://" + TestUsers.SCRAM_USER + ":" + password + "@localhost:1,"
                + "localhost:" + f.server.port() + "/" + f.database + "?sslmode=disable&target_session_attrs=primary").build();
        assertThat(connectAndClose(config).port()).isEqualTo(f.server.port());
        assertThat(config.toString()).doesNotContain(TestUsers.SCRAM_USER_PASSWORD);
    }

    @Test
    void aPasswordFileSuppliesThePasswordUnlessOthersCanReadIt() throws IOException {
        String line = "localhost:" + f.server.port() + ":" + f.database + ":" + TestUsers.SCRAM_USER + ":"
                + TestUsers.SCRAM_USER_PASSWORD + "\n";
        ReplicationConfig.Builder scram = stream().host("localhost").port(f.server.port()).database(f.database)
                .user(TestUsers.SCRAM_USER).sslMode(SslMode.DISABLE);
        assertThat(connectAndClose(scram.passfile(file("pgpass", line, "rw-------")).build())).isNotNull();

        assertThatThrownBy(() -> connectAndClose(scram.passfile(file("open", line, "rw-r--r--")).build()))
                .isInstanceOf(AuthenticationException.class).hasMessageNotContaining(TestUsers.SCRAM_USER_PASSWORD);
    }

    @Test
    void aServiceFileConnectsHereAndInPsql() throws Exception {
        Path services = file("pg_service.conf", "[orders]\nhost=localhost\nport=" + f.server.port() + "\ndbname="
                + f.database + "\nuser=" + TestUsers.SCRAM_USER + "\nsslmode=disable\n", "rw-r--r--");
        Path pgpass = file("pgpass", "*:*:*:" + TestUsers.SCRAM_USER + ":" + TestUsers.SCRAM_USER_PASSWORD + "\n",
                "rw-------");
        Map<String, String> env = Map.of("PGSERVICEFILE", services.toString(), "PGPASSFILE", pgpass.toString(),
                "HOME", dir.toString());

        assertThat(connectAndClose(stream().fromEnvironment(env).service("orders").build()).port())
                .isEqualTo(f.server.port());

        assumeTrue(Files.isExecutable(PSQL), "psql 15 for the cross-check");
        ProcessBuilder psql = new ProcessBuilder(PSQL.toString(), "service=orders", "-XAtc",
                "SELECT current_user || '@' || current_database()").redirectErrorStream(true);
        psql.environment().putAll(env);
        Process p = psql.start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim())
                .as("psql reads the same service file").isEqualTo(TestUsers.SCRAM_USER + "@" + f.database);
    }

    @Test
    void thePgEnvironmentVariablesConnect() {
        Map<String, String> env = Map.of("PGHOST", "localhost", "PGPORT", Integer.toString(f.server.port()),
                "PGDATABASE", f.database, "PGUSER", TestUsers.SCRAM_USER, "PGPASSWORD", TestUsers.SCRAM_USER_PASSWORD,
                "PGSSLMODE", "disable", "PGAPPNAME", "forms-env", "HOME", "/nonexistent");
        ReplicationConfig config = ReplicationConfig.builder().slot(f.slot).publication(f.publication)
                .fromEnvironment(env).build();
        assertThat(config.applicationName()).isEqualTo("forms-env");
        assertThat(List.of(connectAndClose(config).port())).containsExactly(f.server.port());
    }
}
