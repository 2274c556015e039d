package io.camelpgrepl.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The libpq ways to configure a connection: URI, host lists, password file, service file, environment, precedence. */
class LibpqFormsTest {

    @TempDir
    Path dir;

    private static ReplicationConfig.Builder base() {
        return ReplicationConfig.builder().slot("s").publication("p").fromEnvironment(Map.of("HOME", "/nonexistent"));
    }

    @Test
    void uriGivesUserHostsPortsDatabaseAndParameters() {
        Map<String, String> k = ConnectionUri.parse(
                "postgresql://repl@h1:5432,h2:5433/shop?sslmode=verify-full&target_session_attrs=primary");
        assertThat(k).containsEntry("user", "repl").containsEntry("host", "h1,h2").containsEntry("port", "5432,5433")
                .containsEntry("dbname", "shop").containsEntry("sslmode", "verify-full")
                .containsEntry("target_session_attrs", "primary");
    }

    @Test
    void uriDecodesPercentEncodingBracketedIpv6AndSocketDirectories() {
        Map<String, String> k = ConnectionUri.parse("postgres://us%40er:p%3Aw%2B@[::1]:5433,%2Fvar%2Frun%2Fpostgresql/d%20b");
        assertThat(k).containsEntry("user", "us@er").containsEntry("password", "p:w+")
                .containsEntry("host", "::1,/var/run/postgresql").containsEntry("port", "5433,")
                .containsEntry("dbname", "d b");
        ReplicationConfig cfg = base().url("postgresql://[2001:db8::7]:6000,h2/db").build();
        assertThat(cfg.hosts()).containsExactly(new ServerAddress("2001:db8::7", 6000), new ServerAddress("h2", 5432));
        assertThat(cfg.endpoint()).isEqualTo("[2001:db8::7]:6000,h2:5432");
    }

    @Test
    void malformedUrisAreRefusedWithoutRepeatingThePassword() {
        assertThatThrownBy(() -> ConnectionUri.parse("mysql://h/db")).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("postgresql://");
        assertThatThrownBy(() -> ConnectionUri.parse("postgresql://u:s3cret%zz@h/db"))
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("password")
                .hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> ConnectionUri.parse("postgresql://[::1/db")).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("']'");
        assertThatThrownBy(() -> base().url("postgresql://h/db?options=-c%20x").build())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("options");
    }

    @Test
    void explicitOptionsOverrideTheUrlWhicheverComesFirst() {
        ReplicationConfig cfg = base().database("explicit").url("postgresql://u:urlpass@h1,h2:6000/fromurl"
                + "?application_name=a&load_balance_hosts=random&connect_timeout=1").user("me").build();
        assertThat(cfg.database()).isEqualTo("explicit");
        assertThat(cfg.user()).isEqualTo("me");
        assertThat(cfg.password()).isEqualTo("urlpass");
        assertThat(cfg.hosts()).containsExactly(new ServerAddress("h1", 5432), new ServerAddress("h2", 6000));
        assertThat(cfg.applicationName()).isEqualTo("a");
        assertThat(cfg.loadBalanceHosts()).isTrue();
        assertThat(cfg.connectTimeout()).as("libpq counts below 2 s as 2 s").isEqualTo(Duration.ofSeconds(2));
        assertThat(cfg.toString()).doesNotContain("urlpass");
    }

    @Test
    void hostAndPortListsPairUpOrShareOnePort() {
        assertThat(base().host("a,b,/tmp").port(6000).build().hosts()).containsExactly(new ServerAddress("a", 6000),
                new ServerAddress("b", 6000), new ServerAddress("/tmp", 6000));
        assertThat(base().host("a,b").port("6000,").build().hosts()).containsExactly(new ServerAddress("a", 6000),
                new ServerAddress("b", 5432));
        assertThat(base().host("/var/run/postgresql").port(5433).build().hosts().get(0).unixSocketPath())
                .isEqualTo(Path.of("/var/run/postgresql/.s.PGSQL.5433"));
        assertThatThrownBy(() -> base().host("a,b,c").port("1,2").build()).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("2 ports for 3 hosts");
    }

    @Test
    void targetSessionAttrsDecidesByTheServersKind() {
        assertThat(TargetSessionAttrs.parse("Prefer-Standby")).isEqualTo(TargetSessionAttrs.PREFER_STANDBY);
        assertThat(TargetSessionAttrs.PRIMARY.accepts(false, false)).isTrue();
        assertThat(TargetSessionAttrs.PRIMARY.accepts(true, true)).isFalse();
        assertThat(TargetSessionAttrs.STANDBY.accepts(true, true)).isTrue();
        assertThat(TargetSessionAttrs.READ_WRITE.accepts(false, true)).as("primary with default read only").isFalse();
        assertThat(TargetSessionAttrs.READ_ONLY.accepts(false, true)).isTrue();
        assertThatThrownBy(() -> TargetSessionAttrs.parse("master")).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("prefer-standby");
    }

    @Test
    void passfileMatchesLikeLibpq() throws IOException {
        Path pgpass = write(".pgpass", """
                # comment
                other:*:*:*:nope
                h1:5432:shop:repl:first\\:pa\\\\ss
                *:*:*:repl:wildcard
                """, "rw-------");
        assertThat(PassFile.lookup(pgpass, new ServerAddress("h1", 5432), "shop", "repl")).isEqualTo("first:pa\\ss");
        assertThat(PassFile.lookup(pgpass, new ServerAddress("h2", 5433), "db", "repl")).isEqualTo("wildcard");
        assertThat(PassFile.lookup(pgpass, new ServerAddress("h2", 5433), "db", "other")).isNull();
        Path socketPass = write("sock", "localhost:5432:*:*:viaLocalhost\n", "rw-------");
        assertThat(PassFile.lookup(socketPass, new ServerAddress("/var/run/postgresql", 5432), "d", "u"))
                .as("a default socket directory matches localhost").isEqualTo("viaLocalhost");
    }

    @Test
    void passfileReadableByOthersIsIgnored() throws IOException {
        Path pgpass = write("open", "*:*:*:*:leaked\n", "rw-r--r--");
        assertThat(PassFile.lookup(pgpass, new ServerAddress("h", 5432), "d", "u")).isNull();
    }

    @Test
    void serviceFileSuppliesWhatTheUrlDoesNotAndTheEnvironmentComesLast() throws IOException {
        Path services = write("pg_service.conf", """
                [other]
                host=wrong
                [orders]
                # comment
                host=svc-host
                port=6001
                dbname=svcdb
                user=svcuser
                """, "rw-r--r--");
        Map<String, String> env = Map.of("PGSERVICEFILE", services.toString(), "PGUSER", "envuser",
                "PGAPPNAME", "envapp", "PGHOST", "envhost", "HOME", "/nonexistent");
        ReplicationConfig cfg = ReplicationConfig.builder().slot("s").publication("p").fromEnvironment(env)
                .url("postgresql:///urldb?service=orders").build();
        assertThat(cfg.database()).as("url over service").isEqualTo("urldb");
        assertThat(cfg.hosts()).as("service over environment").containsExactly(new ServerAddress("svc-host", 6001));
        assertThat(cfg.user()).isEqualTo("svcuser");
        assertThat(cfg.applicationName()).as("environment over defaults").isEqualTo("envapp");

        assertThatThrownBy(() -> ReplicationConfig.builder().slot("s").publication("p").fromEnvironment(env)
                .service("missing").build()).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("definition of service 'missing' not found");
    }

    @Test
    void serviceFallsBackToTheSystemFileAndPgServiceNamesIt() throws IOException {
        Path sysconf = Files.createDirectories(dir.resolve("etc"));
        Files.writeString(sysconf.resolve("pg_service.conf"), "[sys]\nhost=sys-host\ntarget_session_attrs=standby\n");
        ReplicationConfig cfg = ReplicationConfig.builder().slot("s").publication("p").fromEnvironment(Map.of(
                "PGSERVICE", "sys", "PGSYSCONFDIR", sysconf.toString(), "HOME", dir.toString())).build();
        assertThat(cfg.host()).isEqualTo("sys-host");
        assertThat(cfg.targetSessionAttrs()).isEqualTo(TargetSessionAttrs.STANDBY);
    }

    @Test
    void environmentVariablesMapToTheirOptions() {
        ReplicationConfig cfg = ReplicationConfig.builder().slot("s").publication("p").fromEnvironment(Map.ofEntries(
                Map.entry("PGHOST", "e1,e2"), Map.entry("PGPORT", "7001,7002"), Map.entry("PGDATABASE", "edb"),
                Map.entry("PGUSER", "eu"), Map.entry("PGPASSWORD", "epw"), Map.entry("PGSSLMODE", "require"),
                Map.entry("PGSSLROOTCERT", "/ca.pem"), Map.entry("PGCONNECT_TIMEOUT", "7"),
                Map.entry("PGTARGETSESSIONATTRS", "read-write"), Map.entry("PGPASSFILE", "/pgpass"),
                Map.entry("PGAPPNAME", "eapp"))).password("explicit").build();
        assertThat(cfg.hosts()).containsExactly(new ServerAddress("e1", 7001), new ServerAddress("e2", 7002));
        assertThat(List.of(cfg.database(), cfg.user(), cfg.password(), cfg.applicationName()))
                .containsExactly("edb", "eu", "explicit", "eapp");
        assertThat(cfg.sslMode()).isEqualTo(SslMode.REQUIRE);
        assertThat(cfg.sslRootCert()).isEqualTo(Path.of("/ca.pem"));
        assertThat(cfg.connectTimeout()).isEqualTo(Duration.ofSeconds(7));
        assertThat(cfg.targetSessionAttrs()).isEqualTo(TargetSessionAttrs.READ_WRITE);
        assertThat(cfg.passfile()).isEqualTo(Path.of("/pgpass"));
    }

    @Test
    void withoutFromEnvironmentNoPgVariableSetsAnOption() {
        ReplicationConfig cfg = ReplicationConfig.builder().slot("s").publication("p").build();
        assertThat(cfg.host()).isEqualTo("localhost");
        assertThat(cfg.passfile()).as("libpq's default password file").isNotNull();
    }

    private Path write(String name, String content, String permissions) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(permissions));
        return file;
    }
}
