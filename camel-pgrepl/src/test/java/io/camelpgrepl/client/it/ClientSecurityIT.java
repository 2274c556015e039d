package io.camelpgrepl.client.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import io.camelpgrepl.client.AuthenticationException;
import io.camelpgrepl.client.ChannelBinding;
import io.camelpgrepl.client.ReplicationClient;
import io.camelpgrepl.client.ReplicationConfig;
import io.camelpgrepl.client.SecretAssertions;
import io.camelpgrepl.client.SslMode;
import io.camelpgrepl.client.SslNegotiation;
import io.camelpgrepl.client.TlsException;
import io.camelpgrepl.fixture.SlotFixture;
import io.camelpgrepl.testing.PostgresExtension;
import io.camelpgrepl.testing.TestUsers;
import io.camelpgrepl.testing.TlsMaterial;

/** Every authentication method against the TLS modes that apply to it, on a real server. */
class ClientSecurityIT {

    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.create();

    private static SlotFixture fixture;

    @BeforeAll
    static void slot() {
        fixture = SlotFixture.inDatabase(PG.server(), "postgres", "client_it");
    }

    private static TlsMaterial tls() {
        return PG.server().tls();
    }

    /** A config for {@code user} on the shared slot, to {@code localhost} (the name on the server certificate). */
    private static ReplicationConfig.Builder as(String user, String password) {
        return fixture.config().host("localhost").user(user).password(password);
    }

    /** Connects, streams one insert, and returns whether it arrived encrypted. */
    private static boolean streamsOneRow(ReplicationConfig config) throws Exception {
        try (ReplicationClient client = ReplicationClient.connect(config)) {
            String id = String.valueOf(System.nanoTime() & 0x7fffffff);
            fixture.sql("INSERT INTO " + fixture.table + " VALUES (" + id + ", 'secure')");
            boolean seen = false;
            while (!seen) {
                io.camelpgrepl.client.ReplicationEvent e = client.poll(java.time.Duration.ofSeconds(30));
                assertThat(e).as("the insert arrives").isNotNull();
                if (e instanceof io.camelpgrepl.client.ReplicationEvent.XLogData x && x.messageType() == 'I') {
                    seen = ReplicationClientIT.tuple(e).equals(java.util.Arrays.asList(id, "secure"));
                } else if (e instanceof io.camelpgrepl.client.ReplicationEvent.Commit c) {
                    client.updateAppliedLsn(c.endLsn());
                }
            }
            String ssl = PG.server().queryString("postgres", "SELECT s.ssl FROM pg_stat_ssl s JOIN pg_stat_replication r "
                    + "ON r.pid = s.pid WHERE r.application_name = '" + config.applicationName() + "'");
            return "t".equals(ssl);
        }
    }

    static List<Object[]> passwordUsers() {
        return List.of(
                new Object[] {TestUsers.MD5_USER, TestUsers.MD5_USER_PASSWORD},
                new Object[] {TestUsers.SCRAM_USER, TestUsers.SCRAM_USER_PASSWORD});
    }

    @ParameterizedTest(name = "{0} over plain TCP")
    @MethodSource("passwordUsers")
    void md5AndScramAuthenticateWithoutTls(String user, String password) throws Exception {
        assertThat(streamsOneRow(as(user, password).sslMode(SslMode.DISABLE).applicationName("plain_" + user).build()))
                .as("connection is not encrypted").isFalse();
    }

    @ParameterizedTest(name = "{0} over verify-full TLS")
    @MethodSource("passwordUsers")
    void md5AndScramAuthenticateOverVerifiedTls(String user, String password) throws Exception {
        assertThat(streamsOneRow(as(user, password).sslMode(SslMode.VERIFY_FULL).sslRootCert(tls().caCert())
                .applicationName("tls_" + user).build())).as("connection is encrypted").isTrue();
    }

    @Test
    void trustNeedsNoPassword() throws Exception {
        assertThat(streamsOneRow(as(TestUsers.TRUST_USER, null).sslMode(SslMode.PREFER).applicationName("trust")
                .build())).as("prefer picks TLS when the server offers it").isTrue();
    }

    @Test
    void cleartextPasswordIsSentOverTlsButNotOverPlainTcpUnlessAllowed() throws Exception {
        assertThat(streamsOneRow(as(TestUsers.PASSWORD_USER, TestUsers.PASSWORD_USER_PASSWORD)
                .sslMode(SslMode.REQUIRE).applicationName("cleartext_tls").build())).isTrue();
        assertThatThrownBy(() -> ReplicationClient.connect(as(TestUsers.PASSWORD_USER, TestUsers.PASSWORD_USER_PASSWORD)
                .sslMode(SslMode.DISABLE).build()))
                .as("the client refuses before sending the password (no server error, no SQLSTATE)")
                .isInstanceOfSatisfying(AuthenticationException.class, e -> {
                    assertThat(e.getMessage()).contains("in cleartext over an unencrypted connection; refused")
                            .contains("allowCleartextPasswordWithoutTls").doesNotContain("SQLSTATE");
                    SecretAssertions.assertNoSecretIn(e, TestUsers.PASSWORD_USER_PASSWORD);
                });
        assertThat(streamsOneRow(as(TestUsers.PASSWORD_USER, TestUsers.PASSWORD_USER_PASSWORD)
                .sslMode(SslMode.DISABLE).allowCleartextPasswordWithoutTls(true).applicationName("cleartext_plain")
                .build())).isFalse();
    }

    @Test
    void scramWithRequiredChannelBindingUsesPlusOverTls() throws Exception {
        assertThat(streamsOneRow(as(TestUsers.SCRAM_SSL_USER, TestUsers.SCRAM_SSL_USER_PASSWORD)
                .sslMode(SslMode.VERIFY_FULL).sslRootCert(tls().caCert()).channelBinding(ChannelBinding.REQUIRE)
                .applicationName("plus").build())).isTrue();
    }

    @Test
    void requiredChannelBindingRefusesMethodsThatCannotBind() {
        assertThatThrownBy(() -> ReplicationClient.connect(as(TestUsers.MD5_USER, TestUsers.MD5_USER_PASSWORD)
                .sslMode(SslMode.REQUIRE).channelBinding(ChannelBinding.REQUIRE).build()))
                .isInstanceOfSatisfying(AuthenticationException.class, e -> {
                    assertThat(e.getMessage()).as("refused by the client when md5 was asked for, before answering")
                            .contains("channelBinding=require, but the server asked for md5 authentication");
                    SecretAssertions.assertNoSecretIn(e, TestUsers.MD5_USER_PASSWORD);
                });
    }

    @Test
    void requireAuthRefusesAMethodNotOnTheList() {
        assertThatThrownBy(() -> ReplicationClient.connect(as(TestUsers.MD5_USER, TestUsers.MD5_USER_PASSWORD)
                .sslMode(SslMode.DISABLE).requireAuth("scram-sha-256").build()))
                .isInstanceOfSatisfying(AuthenticationException.class, e -> {
                    assertThat(e.getMessage()).contains("server asked for md5 authentication of user "
                            + TestUsers.MD5_USER + ", but requireAuth allows only [scram-sha-256]");
                    SecretAssertions.assertNoSecretIn(e, TestUsers.MD5_USER_PASSWORD);
                });
    }

    @Test
    void wrongPasswordFailsFromConnectWithoutShowingThePassword() {
        String wrong = "wrong p@ss/wörd%4711"; // URL-encodes differently, so the check covers that form too
        assertThatThrownBy(() -> ReplicationClient.connect(as(TestUsers.SCRAM_USER, wrong).sslMode(SslMode.DISABLE)
                .build()))
                .isInstanceOfSatisfying(AuthenticationException.class, e -> {
                    assertThat(e.isTransient()).as("never retried in a loop").isFalse();
                    assertThat(e.getMessage()).contains(TestUsers.SCRAM_USER).contains("28P01");
                    assertThat(e.getCause()).as("the server's own refusal is kept")
                            .isInstanceOfSatisfying(io.camelpgrepl.client.ServerErrorException.class,
                                    s -> assertThat(s.sqlState()).isEqualTo("28P01"));
                    SecretAssertions.assertNoSecretIn(e, wrong);
                });
    }

    static List<Object[]> clientKeys() {
        TlsMaterial t = TlsMaterial.get();
        return List.of(
                new Object[] {"RSA PKCS#8", t.clientCert(), t.clientKeyPkcs8(), null},
                new Object[] {"RSA PKCS#1", t.clientCert(), t.clientKeyPkcs1(), null},
                new Object[] {"RSA encrypted PKCS#8", t.clientCert(), t.clientKeyEncryptedPkcs8(),
                    TlsMaterial.KEY_PASSWORD},
                new Object[] {"EC SEC1", t.ecClientCert(), t.ecClientKeySec1(), null},
                new Object[] {"EC encrypted PKCS#8", t.ecClientCert(), t.ecClientKeyEncryptedPkcs8(),
                    TlsMaterial.KEY_PASSWORD});
    }

    @ParameterizedTest(name = "cert_user with a {0} key")
    @MethodSource("clientKeys")
    void mutualTlsAuthenticatesTheCertUser(String format, Path cert, Path key, String keyPassword) throws Exception {
        assertThat(streamsOneRow(as(TestUsers.CERT_USER, null).sslMode(SslMode.VERIFY_FULL).sslRootCert(tls().caCert())
                .sslCert(cert).sslKey(key).sslKeyPassword(keyPassword).applicationName("mtls").build())).isTrue();
    }

    @Test
    void certUserWithoutACertificateIsRefused() {
        assertThatThrownBy(() -> ReplicationClient.connect(as(TestUsers.CERT_USER, null).sslMode(SslMode.VERIFY_FULL)
                .sslRootCert(tls().caCert()).build()))
                .as("pg_hba cert: the server refuses a connection without a client certificate")
                .isInstanceOfSatisfying(AuthenticationException.class, e -> {
                    assertThat(e.isTransient()).isFalse();
                    assertThat(e.getMessage()).contains("28000").contains("certificate");
                });
    }

    @Test
    void verifyCaWithTheWrongCaFails() {
        assertThatThrownBy(() -> ReplicationClient.connect(as(TestUsers.SCRAM_USER, TestUsers.SCRAM_USER_PASSWORD)
                .sslMode(SslMode.VERIFY_CA).sslRootCert(tls().wrongCaCert()).build()))
                .isInstanceOf(TlsException.class).hasMessageContaining("sslRootCert");
    }

    @Test
    void verifyFullWithAHostNameNotOnTheCertificateFails() throws Exception {
        assertThatThrownBy(() -> ReplicationClient.connect(as(TestUsers.SCRAM_USER, TestUsers.SCRAM_USER_PASSWORD)
                .host("127.0.0.1").sslMode(SslMode.VERIFY_FULL).sslRootCert(tls().caCert()).build()))
                .isInstanceOf(TlsException.class).hasMessageContaining("127.0.0.1");
        assertThat(streamsOneRow(as(TestUsers.SCRAM_USER, TestUsers.SCRAM_USER_PASSWORD).host("127.0.0.1")
                .sslServerName("localhost").sslMode(SslMode.VERIFY_FULL).sslRootCert(tls().caCert())
                .applicationName("sni").build())).as("sslServerName names the certificate").isTrue();
        assertThat(streamsOneRow(as(TestUsers.SCRAM_USER, TestUsers.SCRAM_USER_PASSWORD).host("127.0.0.1")
                .sslMode(SslMode.VERIFY_CA).sslRootCert(tls().caCert()).applicationName("verifyca").build()))
                .as("verify-ca does not check the name").isTrue();
    }

    @Test
    void directTlsNegotiationOnPostgres17AndLater() throws Exception {
        ReplicationConfig config = as(TestUsers.SCRAM_SSL_USER, TestUsers.SCRAM_SSL_USER_PASSWORD)
                .sslMode(SslMode.VERIFY_FULL).sslRootCert(tls().caCert()).sslNegotiation(SslNegotiation.DIRECT)
                .channelBinding(ChannelBinding.REQUIRE).applicationName("direct").build();
        if (PG.server().majorVersion() >= 17) {
            assertThat(streamsOneRow(config)).isTrue();
        } else {
            assertThatThrownBy(() -> ReplicationClient.connect(config))
                    .as("a server before 17 reads the TLS hello as a startup packet and hangs up")
                    .isInstanceOf(TlsException.class).hasMessageContaining("sslNegotiation=postgres");
        }
    }

    @Test
    void aBusyTlsStreamIsNotHeldBackByReadCoalescing() throws Exception {
        // one TLS read returns one record, and the walsender sends one record per message: were every such short
        // read followed by the coalescing wait, these 3,002 messages would take 3,002 x 100 ms
        SlotFixture f = SlotFixture.inDatabase(PG.server(), "postgres", "client_it");
        ReplicationConfig config = f.config().host("localhost").user(TestUsers.SCRAM_USER)
                .password(TestUsers.SCRAM_USER_PASSWORD).sslMode(SslMode.VERIFY_FULL).sslRootCert(tls().caCert())
                .readCoalesce(java.time.Duration.ofMillis(100)).build();
        try (ReplicationClient client = ReplicationClient.connect(config)) {
            f.sql("INSERT INTO " + f.table + " SELECT g, 'row ' || g FROM generate_series(1, 3000) g");
            org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(30), () -> {
                int rows = 0;
                while (rows < 3000) {
                    io.camelpgrepl.client.ReplicationEvent e = client.poll(java.time.Duration.ofSeconds(30));
                    assertThat(e).as("row %d arrives", rows + 1).isNotNull();
                    if (e instanceof io.camelpgrepl.client.ReplicationEvent.XLogData x && x.messageType() == 'I') {
                        rows++;
                    }
                }
            });
        }
    }
}
