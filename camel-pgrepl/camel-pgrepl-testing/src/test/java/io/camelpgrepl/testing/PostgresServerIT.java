package io.camelpgrepl.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The harness gives tests a real, correctly configured PostgreSQL server. */
class PostgresServerIT {

    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.create();

    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(ints = {14, 15, 16, 17, 18})
    void aServerOfEachSupportedMajorStartsWithLogicalWal(int major) {
        try (PostgresServer server = PostgresServer.start(PostgresServer.Options.builder().majorVersion(major).build())) {
            assertThat(server.serverVersionNum() / 10000).as("server_version_num of %s", server).isEqualTo(major);
            assertThat(server.queryString("postgres", "SHOW wal_level")).as("wal_level").isEqualTo("logical");
            assertThat(server.queryLong("postgres", "SELECT count(*) FROM pg_roles WHERE rolname LIKE '%\\_user'"))
                    .as("test roles").isEqualTo(6);
        }
    }

    @Test
    void serverIsConfiguredForReplicationTests() {
        PostgresServer server = PG.server();

        assertThat(server.queryString("postgres", "SHOW max_replication_slots")).isEqualTo("256");
        assertThat(server.queryString("postgres", "SHOW ssl")).isEqualTo("on");
        assertThat(server.queryString("postgres", "SHOW listen_addresses")).isEqualTo("127.0.0.1");
        assertThat(server.socketDir().resolve(".s.PGSQL." + server.port())).as("unix socket").exists();
        assertThat(server.socketDir().toString().length()).as("socket dir length").isLessThan(100);
        assertThat(server.logFile()).as("server log").exists();
    }

    @Test
    void createSlotAndPublicationPreparesLogicalReplication() {
        PostgresServer server = PG.server();
        server.createDatabase("slot_test");
        server.execute("slot_test", "CREATE TABLE items(id int primary key, name text)");

        String lsn = server.createSlotAndPublication("slot_test", "items_slot", "items_pub", "items");

        assertThat(lsn).as("slot consistent point").matches("[0-9A-F]+/[0-9A-F]+");
        assertThat(server.queryString("slot_test", "SELECT plugin FROM pg_replication_slots WHERE slot_name = ?", "items_slot"))
                .isEqualTo("pgoutput");
        server.dropSlot("items_slot");
        assertThat(server.queryLong("postgres", "SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'items_slot'"))
                .as("slot dropped").isZero();
    }

    @Test
    void terminateWalSendersDropsTheReplicationConnectionOfASlot() throws SQLException {
        PostgresServer server = PG.server();
        server.createDatabase("walsender_test");
        server.execute("walsender_test", "CREATE TABLE t(id int primary key)");
        server.createSlotAndPublication("walsender_test", "walsender_slot", "walsender_pub", "t");
        Properties properties = new Properties();
        properties.setProperty("user", TestUsers.SCRAM_USER);
        properties.setProperty("password", TestUsers.SCRAM_USER_PASSWORD);
        properties.setProperty("replication", "database");
        properties.setProperty("assumeMinServerVersion", "10");
        properties.setProperty("preferQueryMode", "simple");
        try (Connection replication = DriverManager.getConnection(server.jdbcUrl("walsender_test") + "?sslmode=disable", properties)) {
            replication.unwrap(org.postgresql.PGConnection.class).getReplicationAPI().replicationStream().logical()
                    .withSlotName("walsender_slot")
                    .withSlotOption("proto_version", "1")
                    .withSlotOption("publication_names", "walsender_pub")
                    .start();
            org.awaitility.Awaitility.await("walsender active").atMost(java.time.Duration.ofSeconds(10)).until(() ->
                    server.queryLong("postgres", "SELECT count(*) FROM pg_replication_slots WHERE slot_name = ? AND active",
                            "walsender_slot") == 1);

            int terminated = server.terminateWalSenders("walsender_slot");

            assertThat(terminated).as("walsenders terminated").isEqualTo(1);
            org.awaitility.Awaitility.await("slot released").atMost(java.time.Duration.ofSeconds(10)).until(() ->
                    server.queryLong("postgres", "SELECT count(*) FROM pg_replication_slots WHERE slot_name = ? AND active",
                            "walsender_slot") == 0);
        } finally {
            server.dropSlot("walsender_slot");
        }
    }

    @ParameterizedTest(name = "{0} authenticates with {1}")
    @org.junit.jupiter.params.provider.CsvSource({
            "password_user, password-user-secret, password",
            "md5_user, md5-user-secret, md5",
            "scram_user, scram-user-secret, scram-sha-256"})
    void eachPasswordUserAuthenticatesWithItsMethod(String user, String password, String method) throws SQLException {
        try (Connection connection = connect(plainUrl(), user, password)) {
            assertThat(single(connection, "SELECT system_user")).as("authenticated identity").isEqualTo(method + ":" + user);
        }
    }

    @ParameterizedTest(name = "{0} with a wrong password is rejected")
    @ValueSource(strings = {TestUsers.PASSWORD_USER, TestUsers.MD5_USER, TestUsers.SCRAM_USER, TestUsers.SCRAM_SSL_USER})
    void aWrongPasswordIsRejected(String user) {
        assertThatThrownBy(() -> connect(PG.server().jdbcUrl("postgres") + "?sslmode=require", user, "wrong").close())
                .isInstanceOfSatisfying(SQLException.class,
                        e -> assertThat(e.getSQLState()).as("SQLSTATE invalid_password").isEqualTo("28P01"));
    }

    @Test
    void trustUserNeedsNoPassword() throws SQLException {
        try (Connection connection = connect(plainUrl(), TestUsers.TRUST_USER, null)) {
            assertThat(single(connection, "SELECT current_user")).isEqualTo(TestUsers.TRUST_USER);
        }
    }

    @Test
    void verifyFullSucceedsForLocalhost() throws SQLException {
        String url = verifyFullUrl("localhost", PG.server().tls().caCert());

        try (Connection connection = connect(url, TestUsers.SCRAM_SSL_USER, TestUsers.SCRAM_SSL_USER_PASSWORD)) {
            assertThat(single(connection, "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")).isEqualTo("t");
        }
    }

    @Test
    void verifyFullFailsForAnIpAddressTheCertificateDoesNotName() {
        String url = verifyFullUrl("127.0.0.1", PG.server().tls().caCert());

        assertThatThrownBy(() -> connect(url, TestUsers.SCRAM_USER, TestUsers.SCRAM_USER_PASSWORD).close())
                .as("server cert has SAN DNS:localhost only").isInstanceOf(SQLException.class);
    }

    @Test
    void verifyFullFailsWithTheWrongCa() {
        String url = verifyFullUrl("localhost", PG.server().tls().wrongCaCert());

        assertThatThrownBy(() -> connect(url, TestUsers.SCRAM_USER, TestUsers.SCRAM_USER_PASSWORD).close())
                .isInstanceOf(SQLException.class);
    }

    @Test
    void scramSslUserIsRejectedWithoutTls() {
        assertThatThrownBy(() -> connect(plainUrl(), TestUsers.SCRAM_SSL_USER, TestUsers.SCRAM_SSL_USER_PASSWORD).close())
                .isInstanceOfSatisfying(SQLException.class,
                        e -> assertThat(e.getSQLState()).as("SQLSTATE invalid_authorization_specification").isEqualTo("28000"));
    }

    @Test
    void certUserAuthenticatesWithItsClientCertificate() throws SQLException {
        TlsMaterial tls = PG.server().tls();
        String url = verifyFullUrl("localhost", tls.caCert()) + "&sslcert=" + tls.clientCert() + "&sslkey=" + tls.clientKeyPk8Der();

        try (Connection connection = connect(url, TestUsers.CERT_USER, null)) {
            assertThat(single(connection, "SELECT current_user")).isEqualTo(TestUsers.CERT_USER);
            assertThat(single(connection, "SELECT system_user")).as("identity is the certificate subject")
                    .isEqualTo("cert:CN=" + TestUsers.CERT_USER);
        }
    }

    @Test
    void clientKeysAreWrittenInEveryPemFormat() throws Exception {
        TlsMaterial tls = TlsMaterial.get();

        assertThat(Files.readString(tls.clientKeyPkcs8())).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(Files.readString(tls.clientKeyPkcs1())).startsWith("-----BEGIN RSA PRIVATE KEY-----");
        assertThat(Files.readString(tls.clientKeyEncryptedPkcs8())).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
        assertThat(Files.readString(tls.ecClientKeySec1())).startsWith("-----BEGIN EC PRIVATE KEY-----");
        assertThat(Files.readString(tls.ecClientKeyPkcs8())).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(Files.readString(tls.ecClientKeyEncryptedPkcs8())).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
        assertThat(Files.readString(tls.ecClientCert())).startsWith("-----BEGIN CERTIFICATE-----");
    }

    @Test
    void everyKeyFormatHoldsTheKeyOfItsCertificate() throws Exception {
        TlsMaterial tls = TlsMaterial.get();
        byte[] rsa = PemKeys.privateKeyInfo(tls.clientKeyPkcs8());
        byte[] ec = PemKeys.privateKeyInfo(tls.ecClientKeyPkcs8());

        assertThat(PemKeys.privateKeyInfo(tls.clientKeyPkcs1())).as("PKCS#1").isEqualTo(rsa);
        assertThat(PemKeys.privateKeyInfo(tls.clientKeyEncryptedPkcs8())).as("encrypted PKCS#8").isEqualTo(rsa);
        assertThat(Files.readAllBytes(tls.clientKeyPk8Der())).as("PKCS#8 DER").isEqualTo(rsa);
        assertThat(PemKeys.privateKeyInfo(tls.ecClientKeyEncryptedPkcs8())).as("encrypted EC PKCS#8").isEqualTo(ec);
        assertThat(PemKeys.sec1PublicKey(tls.ecClientKeySec1())).as("SEC1 carries curve and public key")
                .isEqualTo(PemKeys.certificatePublicKey(tls.ecClientCert()));
        assertThat(PemKeys.sec1PrivateKeyInfo(tls.ecClientKeySec1())).as("SEC1 private value").isEqualTo(ec);
    }

    @ParameterizedTest(name = "server certificate signed {0}")
    @EnumSource(value = TlsMaterial.ServerCertSignature.class, names = {"SHA384_WITH_RSA", "SHA256_WITH_ECDSA"})
    void otherServerCertificateSignaturesVerify(TlsMaterial.ServerCertSignature signature) throws SQLException {
        PostgresServer.Options options = PostgresServer.Options.builder().serverCertSignature(signature).build();
        try (PostgresServer server = PostgresServer.start(options)) {
            String url = "jdbc:postgresql://localhost:" + server.port() + "/postgres?sslmode=verify-full&sslrootcert="
                    + server.tls().caCert();
            try (Connection connection = connect(url, TestUsers.SCRAM_USER, TestUsers.SCRAM_USER_PASSWORD)) {
                assertThat(single(connection, "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")).isEqualTo("t");
            }
        }
    }

    @Test
    void extraSettingsReachPostgresqlConf() {
        PostgresServer.Options options = PostgresServer.Options.builder()
                .tls(false).setting("wal_sender_timeout", "'2s'").setting("logical_decoding_work_mem", "'64kB'").build();
        try (PostgresServer server = PostgresServer.start(options)) {
            assertThat(server.queryString("postgres", "SHOW wal_sender_timeout")).isEqualTo("2s");
            assertThat(server.queryString("postgres", "SHOW logical_decoding_work_mem")).isEqualTo("64kB");
            assertThat(server.queryString("postgres", "SHOW ssl")).isEqualTo("off");
        }
    }

    @Test
    void twoServersRunConcurrently() {
        PostgresServer.Options options = PostgresServer.Options.builder().tls(false).build();
        CompletableFuture<PostgresServer> first = CompletableFuture.supplyAsync(() -> PostgresServer.start(options));
        CompletableFuture<PostgresServer> second = CompletableFuture.supplyAsync(() -> PostgresServer.start(options));
        try (PostgresServer a = first.join(); PostgresServer b = second.join()) {
            assertThat(a.port()).isNotEqualTo(b.port());
            a.execute("postgres", "CREATE TABLE only_in_a(x int)");
            assertThat(b.queryLong("postgres", "SELECT count(*) FROM pg_tables WHERE tablename = 'only_in_a'"))
                    .as("servers do not share data").isZero();
        }
    }

    @Nested
    class DedicatedServer {

        @RegisterExtension
        static final PostgresExtension OWN = PostgresExtension.create().dedicated();

        @Test
        void stopAndStartKeepDataAndPort() {
            PostgresServer server = OWN.server();
            server.execute("postgres", "CREATE TABLE survives(x int)", "INSERT INTO survives VALUES (42)");
            int port = server.port();

            server.stop();
            assertThatThrownBy(() -> server.connect("postgres").close()).as("stopped server").isInstanceOf(SQLException.class);
            server.start();

            assertThat(server.port()).isEqualTo(port);
            assertThat(server.queryLong("postgres", "SELECT x FROM survives")).isEqualTo(42);
        }

        @Test
        void restartAndCloseRemoveNothingButTheServer() {
            PostgresServer server = OWN.server();
            Path dataDir = server.dataDir();

            server.restart();

            assertThat(server.queryLong("postgres", "SELECT 1")).isEqualTo(1);
            assertThat(dataDir).exists();
        }

        @Test
        void terminateWalSendersCountsTerminatedWalsenders() {
            assertThat(OWN.server().terminateWalSenders()).as("no walsender runs").isZero();
        }
    }

    private static String plainUrl() {
        return PG.server().jdbcUrl("postgres") + "?sslmode=disable";
    }

    private static String verifyFullUrl(String host, Path rootCert) {
        return "jdbc:postgresql://" + host + ":" + PG.server().port() + "/postgres?sslmode=verify-full&sslrootcert=" + rootCert;
    }

    private static Connection connect(String url, String user, String password) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", user);
        if (password != null) {
            properties.setProperty("password", password);
        }
        return DriverManager.getConnection(url, properties);
    }

    private static String single(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            assertThat(rows.next()).as("a row from %s", sql).isTrue();
            return rows.getString(1);
        }
    }
}
