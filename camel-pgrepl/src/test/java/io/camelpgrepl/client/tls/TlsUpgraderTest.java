package io.camelpgrepl.client.tls;

import static io.camelpgrepl.client.tls.TestCertificates.dns;
import static io.camelpgrepl.client.tls.TestCertificates.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.security.KeyStore;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.camelpgrepl.client.ReplicationConfig;
import io.camelpgrepl.client.SslMode;
import io.camelpgrepl.client.SslNegotiation;
import io.camelpgrepl.client.TlsException;

class TlsUpgraderTest {

    private static TestCertificates.Issued ca;
    private static TestCertificates.Issued otherCa;
    private static TestCertificates.Issued localhostCert;

    @TempDir
    Path dir;

    @BeforeAll
    static void certificates() {
        ca = TestCertificates.selfSignedCa("Test Root CA");
        otherCa = TestCertificates.selfSignedCa("Some Other CA");
        localhostCert = TestCertificates.leaf("localhost", ca, dns("localhost"));
    }

    @Test
    void verifyFullAcceptsMatchingDnsNameAndSendsItAsSni() throws Exception {
        try (TestTlsServer server = new TestTlsServer(localhostCert, null, true)) {
            ReplicationConfig cfg = config(SslMode.VERIFY_FULL).sslRootCert(caFile(ca)).build();

            try (SSLSocket ssl = upgrade(cfg, "localhost", server)) {
                assertThat(ssl.getSession().getProtocol()).isIn("TLSv1.3", "TLSv1.2");
            }

            assertThat(server.seen().sniHostName()).as("SNI").isEqualTo("localhost");
            assertThat(server.seen().applicationProtocol()).as("ALPN").isEqualTo("postgresql");
        }
    }

    @Test
    void verifyFullRefusesIpLiteralWhenCertificateHasOnlyDnsName() throws Exception {
        try (TestTlsServer server = new TestTlsServer(localhostCert, null, true)) {
            ReplicationConfig cfg = config(SslMode.VERIFY_FULL).sslRootCert(caFile(ca)).build();

            assertThatThrownBy(() -> upgrade(cfg, "127.0.0.1", server))
                    .isInstanceOf(TlsException.class)
                    .hasMessage("server certificate for 127.0.0.1 does not match host name: certificate names"
                            + " [localhost]; connect with the name on the certificate or set sslServerName");
        }
    }

    @Test
    void verifyFullAcceptsIpLiteralMatchingIpSanAndSendsNoSni() throws Exception {
        TestCertificates.Issued ipCert = TestCertificates.leaf("db", ca, ip("127.0.0.1"));
        try (TestTlsServer server = new TestTlsServer(ipCert, null, true)) {
            ReplicationConfig cfg = config(SslMode.VERIFY_FULL).sslRootCert(caFile(ca)).build();

            upgrade(cfg, "127.0.0.1", server).close();

            assertThat(server.seen().sniHostName()).as("no SNI for an IP literal").isNull();
        }
    }

    @Test
    void verifyFullDoesNotMatchAnIpLiteralAgainstADnsSanSpellingIt() throws Exception {
        TestCertificates.Issued cert = TestCertificates.leaf("127.0.0.1", ca, dns("127.0.0.1"));
        try (TestTlsServer server = new TestTlsServer(cert, null, true)) {
            ReplicationConfig cfg = config(SslMode.VERIFY_FULL).sslRootCert(caFile(ca)).build();

            assertThatThrownBy(() -> upgrade(cfg, "127.0.0.1", server)).isInstanceOf(TlsException.class)
                    .hasMessageContaining("does not match");
        }
    }

    @Test
    void sslServerNameIsUsedForSniAndVerification() throws Exception {
        TestCertificates.Issued cert = TestCertificates.leaf("db.internal", ca, dns("db.internal"));
        try (TestTlsServer server = new TestTlsServer(cert, null, true)) {
            ReplicationConfig cfg = config(SslMode.VERIFY_FULL).sslRootCert(caFile(ca))
                    .sslServerName("db.internal").build();

            upgrade(cfg, "127.0.0.1", server).close();

            assertThat(server.seen().sniHostName()).isEqualTo("db.internal");
        }
    }

    @Test
    void sslServerNameMismatchNamesTheOption() throws Exception {
        try (TestTlsServer server = new TestTlsServer(localhostCert, null, true)) {
            ReplicationConfig cfg = config(SslMode.VERIFY_FULL).sslRootCert(caFile(ca))
                    .sslServerName("db.internal").build();

            assertThatThrownBy(() -> upgrade(cfg, "127.0.0.1", server)).isInstanceOf(TlsException.class)
                    .hasMessageContaining("does not match sslServerName db.internal")
                    .hasMessageContaining("[localhost]");
        }
    }

    @Test
    void verifyCaRefusesChainFromAnotherCaAndNamesTheRootFile() throws Exception {
        try (TestTlsServer server = new TestTlsServer(localhostCert, null, true)) {
            Path wrong = caFile(otherCa);
            ReplicationConfig cfg = config(SslMode.VERIFY_CA).sslRootCert(wrong).build();

            assertThatThrownBy(() -> upgrade(cfg, "localhost", server))
                    .isInstanceOf(TlsException.class)
                    .hasMessageContaining("certificate chain does not verify against sslRootCert=" + wrong);
        }
    }

    @Test
    void verifyCaDoesNotCheckTheHostName() throws Exception {
        try (TestTlsServer server = new TestTlsServer(localhostCert, null, true)) {
            ReplicationConfig cfg = config(SslMode.VERIFY_CA).sslRootCert(caFile(ca)).build();

            upgrade(cfg, "127.0.0.1", server).close();

            assertThat(server.seen().sniHostName()).isNull();
        }
    }

    @Test
    void verifyCaWithoutRootCertUsesTheJvmTrustStore() throws Exception {
        try (TestTlsServer server = new TestTlsServer(localhostCert, null, true)) {
            ReplicationConfig cfg = config(SslMode.VERIFY_CA).build();

            assertThatThrownBy(() -> upgrade(cfg, "localhost", server))
                    .isInstanceOf(TlsException.class)
                    .hasMessageContaining("JVM default trust store");
        }
    }

    @Test
    void requireWithoutRootCertAcceptsASelfSignedCertificate() throws Exception {
        TestCertificates.Issued selfSigned = TestCertificates.selfSigned("whatever", TestCertificates.rsa(),
                "SHA256withRSA");
        try (TestTlsServer server = new TestTlsServer(selfSigned, null, true)) {
            ReplicationConfig cfg = config(SslMode.REQUIRE).build();

            try (SSLSocket ssl = upgrade(cfg, "localhost", server)) {
                assertThat(ssl.getSession().getPeerCertificates()[0]).isEqualTo(selfSigned.certificate());
            }
        }
    }

    @Test
    void requireWithRootCertVerifiesTheChainLikeLibpq() throws Exception {
        try (TestTlsServer server = new TestTlsServer(localhostCert, null, true)) {
            ReplicationConfig cfg = config(SslMode.REQUIRE).sslRootCert(caFile(otherCa)).build();

            assertThatThrownBy(() -> upgrade(cfg, "localhost", server))
                    .isInstanceOf(TlsException.class)
                    .hasMessageContaining("certificate chain does not verify");
        }
    }

    @Test
    void clientCertificateChainAndKeyArePresented() throws Exception {
        TestCertificates.Issued clientCa = TestCertificates.selfSignedCa("Client CA");
        TestCertificates.Issued client = TestCertificates.leaf("repl-user", clientCa);
        Path certFile = TestCertificates.write(dir, "client.crt",
                TestCertificates.pem(client.certificate(), clientCa.certificate()));
        Path keyFile = TestCertificates.write(dir, "client.key", TestCertificates.pem(client.keys().getPrivate()));
        try (TestTlsServer server = new TestTlsServer(localhostCert, clientCa.certificate(), true)) {
            ReplicationConfig cfg = config(SslMode.VERIFY_FULL).sslRootCert(caFile(ca)).sslCert(certFile)
                    .sslKey(keyFile).build();

            upgrade(cfg, "localhost", server).close();

            assertThat(server.seen().clientCertificate()).isEqualTo(client.certificate());
        }
    }

    @Test
    void serverRequiringAClientCertificateRejectsAClientWithoutOne() throws Exception {
        TestCertificates.Issued clientCa = TestCertificates.selfSignedCa("Client CA");
        try (TestTlsServer server = new TestTlsServer(localhostCert, clientCa.certificate(), true)) {
            ReplicationConfig cfg = config(SslMode.REQUIRE).build();

            // TLS 1.2 fails in the handshake (TlsException with a hint); TLS 1.3 on the first read.
            Throwable client = catchThrowable(() -> {
                try (SSLSocket ssl = upgrade(cfg, "localhost", server)) {
                    ssl.getInputStream().read();
                }
            });

            // TLS 1.2: our hint; TLS 1.3: the server's alert, read on the first read after the handshake
            assertThat(client).as("client sees the rejection").isInstanceOfAny(TlsException.class, IOException.class);
            assertThat(String.valueOf(client.getMessage()) + " / " + client.getCause())
                    .as("the rejection is about the missing client certificate")
                    .containsAnyOf("set sslCert and sslKey", "certificate_required", "bad_certificate");
            assertThatThrownBy(server::seen).as("server refused the handshake")
                    .hasCauseInstanceOf(SSLHandshakeException.class);
        }
    }

    @Test
    void tls12HandshakeFailureHintsAtClientCertificate() throws Exception {
        TestCertificates.Issued clientCa = TestCertificates.selfSignedCa("Client CA");
        try (TestTlsServer server = new TestTlsServer(localhostCert, clientCa.certificate(), true, "TLSv1.2")) {
            ReplicationConfig cfg = config(SslMode.REQUIRE).build();

            assertThatThrownBy(() -> upgrade(cfg, "localhost", server))
                    .isInstanceOf(TlsException.class)
                    .hasMessageContaining("TLS handshake with localhost:" + server.port() + " failed")
                    .hasMessageContaining("set sslCert and sslKey");
        }
    }

    @Test
    void onlyTls12AndTls13AreEnabled() throws Exception {
        try (TestTlsServer server = new TestTlsServer(localhostCert, null, true)) {
            try (SSLSocket ssl = upgrade(config(SslMode.REQUIRE).build(), "localhost", server)) {
                assertThat(ssl.getEnabledProtocols()).containsExactlyInAnyOrder("TLSv1.3", "TLSv1.2");
            }
        }
    }

    @Test
    void keyThatDoesNotBelongToTheCertificateIsRefusedBeforeConnecting() throws Exception {
        TestCertificates.Issued client = TestCertificates.leaf("repl-user", ca);
        Path certFile = TestCertificates.write(dir, "client.crt", TestCertificates.pem(client.certificate()));
        Path keyFile = TestCertificates.write(dir, "other.key",
                TestCertificates.pem(TestCertificates.rsa().getPrivate()));
        try (TestTlsServer server = new TestTlsServer(localhostCert, null, true)) {
            ReplicationConfig cfg = config(SslMode.REQUIRE).sslCert(certFile).sslKey(keyFile).build();

            assertThatThrownBy(() -> upgrade(cfg, "localhost", server))
                    .isInstanceOf(TlsException.class)
                    .hasMessageContaining("is not the private key of the certificate in sslCert");
        }
    }

    @Test
    void directNegotiationRequiresAlpnPostgresql() throws Exception {
        try (TestTlsServer server = new TestTlsServer(localhostCert, null, false)) {
            ReplicationConfig cfg = config(SslMode.REQUIRE).sslNegotiation(SslNegotiation.DIRECT).build();

            assertThatThrownBy(() -> upgrade(cfg, "localhost", server))
                    .isInstanceOf(TlsException.class)
                    .hasMessageContaining("ALPN")
                    .hasMessageContaining("sslNegotiation=postgres");
        }
    }

    @Test
    void directNegotiationSucceedsWhenServerSelectsPostgresql() throws Exception {
        try (TestTlsServer server = new TestTlsServer(localhostCert, null, true)) {
            ReplicationConfig cfg = config(SslMode.REQUIRE).sslNegotiation(SslNegotiation.DIRECT).build();

            try (SSLSocket ssl = upgrade(cfg, "localhost", server)) {
                assertThat(ssl.getApplicationProtocol()).isEqualTo("postgresql");
            }
        }
    }

    @Test
    void suppliedSslContextIsUsedAndHostNameIsStillVerified() throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        KeyStore roots = KeyStore.getInstance("PKCS12");
        roots.load(null, null);
        roots.setCertificateEntry("ca", ca.certificate());
        tmf.init(roots);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);

        try (TestTlsServer server = new TestTlsServer(localhostCert, null, true)) {
            upgrade(config(SslMode.VERIFY_FULL).sslContext(ctx).build(), "localhost", server).close();
        }
        try (TestTlsServer server = new TestTlsServer(localhostCert, null, true)) {
            ReplicationConfig cfg = config(SslMode.VERIFY_FULL).sslContext(ctx).build();
            assertThatThrownBy(() -> upgrade(cfg, "127.0.0.1", server))
                    .isInstanceOf(TlsException.class).hasMessageContaining("does not match host name");
        }
    }

    @Test
    void missingRootCertificateFileNamesTheOption() throws Exception {
        Path missing = dir.resolve("missing-ca.pem");
        try (TestTlsServer server = new TestTlsServer(localhostCert, null, true)) {
            ReplicationConfig cfg = config(SslMode.VERIFY_CA).sslRootCert(missing).build();
            Socket plain = new Socket("127.0.0.1", server.port());

            assertThatThrownBy(() -> TlsUpgrader.upgrade(plain, cfg, "localhost", server.port()))
                    .isInstanceOf(TlsException.class)
                    .hasMessageStartingWith("sslRootCert=" + missing + ": cannot read");
            assertThat(plain.isClosed()).as("the connected socket is closed on failure").isTrue();
        }
    }

    @Test
    void wildcardMatchesExactlyOneLeftMostLabel() {
        assertThat(TlsUpgrader.dnsMatches("*.example.com", "db.example.com")).isTrue();
        assertThat(TlsUpgrader.dnsMatches("*.example.com", "a.b.example.com")).isFalse();
        assertThat(TlsUpgrader.dnsMatches("*.example.com", "example.com")).isFalse();
        assertThat(TlsUpgrader.dnsMatches("*.com", "example.com")).isFalse();
        assertThat(TlsUpgrader.dnsMatches("DB.Example.COM", "db.example.com.")).isTrue();
    }

    private static ReplicationConfig.Builder config(SslMode mode) {
        return ReplicationConfig.builder().user("repl").slot("s").publication("p").sslMode(mode);
    }

    private Path caFile(TestCertificates.Issued issuer) throws Exception {
        return TestCertificates.write(dir, "ca-" + issuer.certificate().getSerialNumber() + ".pem",
                TestCertificates.pem(issuer.certificate()));
    }

    private static SSLSocket upgrade(ReplicationConfig cfg, String host, TestTlsServer server) throws Exception {
        Socket plain = new Socket("127.0.0.1", server.port());
        try {
            return TlsUpgrader.upgrade(plain, cfg, host, server.port());
        } catch (RuntimeException e) {
            plain.close();
            throw e;
        }
    }
}
