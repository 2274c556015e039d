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
    void rsassaPssFailsLoudly() {
        X509Certificate cert = TestCertificates
                .selfSigned("db", TestCertificates.rsa(), "SHA256withRSAandMGF1")
                .certificate();

        assertThatThrownBy(() -> TlsServerEndPoint.channelBindingData(cert))
                .isInstanceOf(AuthenticationException.class);
    }

    private static void assertHashedWith(String sigAlg, String digest) throws Exception {
        X509Certificate cert = TestCertificates.selfSigned("db", TestCertificates.rsa(), sigAlg).certificate();

        byte[] data = TlsServerEndPoint.channelBindingData(cert);

        assertThat(data).as(sigAlg + " -> " + digest)
                .isEqualTo(MessageDigest.getInstance(digest).digest(cert.getEncoded()));
    }
}
