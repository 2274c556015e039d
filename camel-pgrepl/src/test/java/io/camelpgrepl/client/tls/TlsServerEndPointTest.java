package io.camelpgrepl.client.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.MessageDigest;
import java.security.cert.X509Certificate;

import org.junit.jupiter.api.Test;

import io.camelpgrepl.client.AuthenticationException;

class TlsServerEndPointTest {

    @Test
    void sha256WithRsaHashesDerWithSha256() throws Exception {
        assertHashedWith("SHA256withRSA", "SHA-256");
    }

    @Test
    void sha384WithRsaHashesDerWithSha384() throws Exception {
        assertHashedWith("SHA384withRSA", "SHA-384");
    }

    @Test
    void sha512WithEcdsaHashesDerWithSha512() throws Exception {
        X509Certificate cert = TestCertificates.selfSigned("db", TestCertificates.ec(), "SHA512withECDSA")
                .certificate();

        assertThat(TlsServerEndPoint.channelBindingData(cert))
                .isEqualTo(MessageDigest.getInstance("SHA-512").digest(cert.getEncoded()));
    }

    @Test
    void sha1WithRsaIsUpgradedToSha256() throws Exception {
        assertHashedWith("SHA1withRSA", "SHA-256");
    }

    @Test
    void ed25519HasNoDerivableHashAndFailsLoudly() {
        X509Certificate cert = TestCertificates
                .selfSigned("db", TestCertificates.generate("Ed25519", 0), "Ed25519").certificate();

        assertThatThrownBy(() -> TlsServerEndPoint.channelBindingData(cert))
                .isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("Ed25519")
                .hasMessageContaining("channelBinding");
    }

    @Test
    void ed448HasNoDerivableHashEither() {
        X509Certificate cert = TestCertificates
                .selfSigned("db", TestCertificates.generate("Ed448", 0), "Ed448").certificate();

        assertThatThrownBy(() -> TlsServerEndPoint.channelBindingData(cert))
                .isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("signs without a separate hash");
    }

    @Test
    void rsassaPssHashesWithTheDigestOfItsParameters() throws Exception {
        // was: refused, so channelBinding=prefer silently bound nothing with an RSA-PSS server certificate
        for (String[] c : new String[][] {{"SHA256withRSAandMGF1", "SHA-256"}, {"SHA384withRSAandMGF1", "SHA-384"},
            {"SHA512withRSAandMGF1", "SHA-512"}}) {
            X509Certificate cert = TestCertificates.selfSigned("db", TestCertificates.rsa(), c[0]).certificate();
            // as a JSSE session presents it: the JDK's own certificate class, algorithm name RSASSA-PSS
            X509Certificate jdk = (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(new java.io.ByteArrayInputStream(cert.getEncoded()));

            assertThat(jdk.getSigAlgName()).isEqualTo("RSASSA-PSS");
            assertThat(TlsServerEndPoint.channelBindingData(jdk)).as(c[0] + " -> " + c[1])
                    .isEqualTo(MessageDigest.getInstance(c[1]).digest(cert.getEncoded()));
            assertThat(TlsServerEndPoint.channelBindingData(cert)).as(c[0] + " as BouncyCastle names it")
                    .isEqualTo(MessageDigest.getInstance(c[1]).digest(cert.getEncoded()));
        }
    }

    private static void assertHashedWith(String sigAlg, String digest) throws Exception {
        X509Certificate cert = TestCertificates.selfSigned("db", TestCertificates.rsa(), sigAlg).certificate();

        byte[] data = TlsServerEndPoint.channelBindingData(cert);

        assertThat(data).as(sigAlg + " -> " + digest)
                .isEqualTo(MessageDigest.getInstance(digest).digest(cert.getEncoded()));
    }
}
