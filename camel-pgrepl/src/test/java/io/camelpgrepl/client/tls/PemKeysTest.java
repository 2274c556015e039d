package io.camelpgrepl.client.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.camelpgrepl.client.TlsException;

class PemKeysTest {

    private static final String KEY_PASSWORD = "test-key-pass";

    @TempDir
    Path dir;

    @Test
    void readsPkcs8RsaKey() throws Exception {
        KeyPair keys = TestCertificates.rsa();
        Path file = TestCertificates.write(dir, "key.pem", pkcs8Pem(keys.getPrivate()));

        PrivateKey key = PemKeys.readPrivateKey(file, null);

        assertThat(key.getEncoded()).isEqualTo(keys.getPrivate().getEncoded());
    }

    @Test
    void readsPkcs1RsaKeyAsTheSameKey() throws Exception {
        KeyPair keys = TestCertificates.rsa();
        String pem = TestCertificates.pem(keys);
        assertThat(pem).as("BC writes PKCS#1 for an RSA key pair").contains("BEGIN RSA PRIVATE KEY");
        Path file = TestCertificates.write(dir, "key.pem", pem);

        PrivateKey key = PemKeys.readPrivateKey(file, null);

        assertThat(((RSAPrivateCrtKey) key).getPrivateExponent())
                .isEqualTo(((RSAPrivateCrtKey) keys.getPrivate()).getPrivateExponent());
        assertThat(key.getEncoded()).isEqualTo(keys.getPrivate().getEncoded());
    }

    @Test
    void readsOpensslSec1EcKeyWithNamedCurve() throws Exception {
        PrivateKey plain = PemKeys.readPrivateKey(resource("plain-ec.pkcs8.pem"), null, "plain");

        ECPrivateKey key = (ECPrivateKey) PemKeys.readPrivateKey(resource("ec-sec1.pem"), null, "sec1");

        assertThat(key.getS()).isEqualTo(((ECPrivateKey) plain).getS());
        assertThat(key.getParams().getCurve()).isEqualTo(((ECPrivateKey) plain).getParams().getCurve());
    }

    @Test
    void readsOpensslPkcs1RsaKey() throws Exception {
        PrivateKey plain = PemKeys.readPrivateKey(resource("plain-rsa.pkcs8.pem"), null, "plain");

        assertThat(PemKeys.readPrivateKey(resource("rsa-pkcs1.pem"), null, "pkcs1").getEncoded())
                .isEqualTo(plain.getEncoded());
    }

    @Test
    void sec1KeyWithoutCurveParametersIsRefusedWithAHint() {
        // BC writes the JDK's SEC1 encoding, which leaves the curve to the PKCS#8 wrapper.
        String pem = TestCertificates.pem(TestCertificates.ec());

        assertThatThrownBy(() -> PemKeys.readPrivateKey(pem, null, "ec.pem"))
                .isInstanceOf(TlsException.class).hasMessageContaining("named-curve");
    }

    @Test
    void readsPkcs8Ed25519Key() throws Exception {
        KeyPair keys = TestCertificates.generate("Ed25519", 0);
        Path file = TestCertificates.write(dir, "key.pem", pkcs8Pem(keys.getPrivate()));

        assertThat(PemKeys.readPrivateKey(file, null).getEncoded()).isEqualTo(keys.getPrivate().getEncoded());
    }

    @Test
    void readsOpensslEncryptedPkcs8Aes256HmacSha256() throws Exception {
        PrivateKey plain = PemKeys.readPrivateKey(resource("plain-rsa.pkcs8.pem"), null, "plain");

        PrivateKey decrypted = PemKeys.readPrivateKey(resource("rsa-aes256-sha256.pem"), KEY_PASSWORD, "enc");

        assertThat(decrypted.getEncoded()).isEqualTo(plain.getEncoded());
    }

    @Test
    void readsOpensslEncryptedPkcs8Aes128HmacSha1() throws Exception {
        PrivateKey plain = PemKeys.readPrivateKey(resource("plain-rsa.pkcs8.pem"), null, "plain");

        PrivateKey decrypted = PemKeys.readPrivateKey(resource("rsa-aes128-sha1.pem"), KEY_PASSWORD, "enc");

        assertThat(decrypted.getEncoded()).isEqualTo(plain.getEncoded());
    }

    @Test
    void readsOpensslEncryptedPkcs8EcKey() throws Exception {
        PrivateKey plain = PemKeys.readPrivateKey(resource("plain-ec.pkcs8.pem"), null, "plain");

        PrivateKey decrypted = PemKeys.readPrivateKey(resource("ec-aes256-sha256.pem"), KEY_PASSWORD, "enc");

        assertThat(decrypted.getEncoded()).isEqualTo(plain.getEncoded());
    }

    @Test
    void wrongKeyPasswordIsReportedWithoutThePassword() throws Exception {
        String pem = resource("rsa-aes256-sha256.pem");

        assertThatThrownBy(() -> PemKeys.readPrivateKey(pem, "Wrong-Pass-123", "/etc/client.key"))
                .isInstanceOf(TlsException.class)
                .hasMessageContaining("/etc/client.key")
                .hasMessageContaining("wrong sslKeyPassword")
                .satisfies(e -> io.camelpgrepl.client.SecretAssertions.assertNoSecretIn(e, "Wrong-Pass-123"));
    }

    @Test
    void encryptedKeyWithoutPasswordAsksForSslKeyPassword() throws Exception {
        String pem = resource("rsa-aes256-sha256.pem");

        assertThatThrownBy(() -> PemKeys.readPrivateKey(pem, null, "/path/key.pem"))
                .isInstanceOf(TlsException.class)
                .hasMessage("cannot read sslKey /path/key.pem: encrypted key needs sslKeyPassword");
    }

    @Test
    void legacyOpensslEncryptedKeyGetsAConversionHint() throws Exception {
        String pem = resource("rsa-legacy-encrypted.pem");

        assertThatThrownBy(() -> PemKeys.readPrivateKey(pem, KEY_PASSWORD, "k.pem"))
                .isInstanceOf(TlsException.class)
                .hasMessageContaining("Proc-Type")
                .hasMessageContaining("openssl pkcs8 -topk8")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain(KEY_PASSWORD));
    }

    @Test
    void garbageIsATlsException() {
        assertThatThrownBy(() -> PemKeys.readPrivateKey("hello world", null, "k.pem"))
                .isInstanceOf(TlsException.class).hasMessageContaining("not a PEM file");
        assertThatThrownBy(() -> PemKeys.readPrivateKey(
                "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n", null, "k.pem"))
                .isInstanceOf(TlsException.class).hasMessageContaining("k.pem");
        assertThatThrownBy(() -> PemKeys.readPrivateKey(
                "-----BEGIN EC PRIVATE KEY-----\n!!!\n-----END EC PRIVATE KEY-----\n", null, "k.pem"))
                .isInstanceOf(TlsException.class).hasMessageContaining("base64");
    }

    @Test
    void certificateFileOnlyIsNoKey() {
        String pem = TestCertificates.pem(TestCertificates.selfSignedCa("CA").certificate());

        assertThatThrownBy(() -> PemKeys.readPrivateKey(pem, null, "cert.pem"))
                .isInstanceOf(TlsException.class).hasMessageContaining("no private key");
    }

    @Test
    void readsACertificateChainInOrder() throws Exception {
        TestCertificates.Issued ca = TestCertificates.selfSignedCa("Test CA");
        TestCertificates.Issued leaf = TestCertificates.leaf("client", ca);
        Path file = TestCertificates.write(dir, "chain.pem",
                TestCertificates.pem(leaf.certificate(), ca.certificate()));

        assertThat(PemKeys.readCertificates(file)).containsExactly(leaf.certificate(), ca.certificate());
    }

    @Test
    void missingFileNamesTheFile() {
        Path missing = dir.resolve("nope.pem");

        assertThatThrownBy(() -> PemKeys.readCertificates(missing))
                .isInstanceOf(TlsException.class).hasMessageContaining(missing.toString());
    }

    private static String pkcs8Pem(PrivateKey key) {
        return "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = PemKeysTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    @SuppressWarnings("unused")
    private static List<Object> none() {
        return List.of();
    }
}
