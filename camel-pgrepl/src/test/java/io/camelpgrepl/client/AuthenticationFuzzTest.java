package io.camelpgrepl.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;

import javax.net.ssl.SSLSession;

import com.code_intelligence.jazzer.junit.FuzzTest;

import io.camelpgrepl.client.auth.Authenticator;
import io.camelpgrepl.client.auth.AuthenticatorFixtures;
import io.camelpgrepl.client.tls.TestCertificates;

/**
 * Coverage-guided fuzzing of the client's side of startup and authentication against a hostile server: whatever
 * the server sends after the startup packet, {@code PgConnection.startup} ends with ReadyForQuery, the end of the
 * stream, or a typed {@link ReplicationException}; and it never sends the password in cleartext over a connection
 * that is neither TLS nor explicitly allowed to. The client nonce is fixed so that seeds can carry a SCRAM
 * server-first that extends it. Seeds: {@code AuthenticationFuzzTestInputs/} (trust, cleartext, MD5, SCRAM and
 * SCRAM-PLUS exchanges).
 */
class AuthenticationFuzzTest {

    static final String NONCE = "fyko+d2lbbFgONRv9qkxdawL";
    static final String PASSWORD = "pencil-secret";
    private static final X509Certificate RSA_CERT = TestCertificates
            .selfSigned("db.example", TestCertificates.rsa(), "SHA256withRSA").certificate();
    private static final X509Certificate ED25519_CERT = TestCertificates
            .selfSigned("db.example", TestCertificates.generate("Ed25519", 0), "Ed25519").certificate();

    /**
     * Input: byte 0 is the client's policy (bits 0-1 channelBinding disable/prefer/require, bit 2 TLS, bit 3 an
     * Ed25519 server certificate, bit 4 allowCleartextPasswordWithoutTls, bit 5 requireAuth=scram-sha-256, bit 6
     * no password); the rest is what the server sends.
     */
    @FuzzTest
    void startupAgainstHostileServerBytesEndsTypedAndNeverLeaksThePassword(byte[] input) {
        if (input.length < 1 || tooManyIterations(input)) {
            return;
        }
        int policy = input[0] & 0xFF;
        ChannelBinding binding = ChannelBinding.values()[Math.min(policy & 3, 2)];
        boolean tls = (policy & 4) != 0;
        boolean allowCleartext = (policy & 16) != 0;
        ReplicationConfig.Builder b = ReplicationConfig.builder().host("db.example").user("repl").slot("s")
                .publication("p").sslMode(tls ? SslMode.REQUIRE : SslMode.DISABLE)
                .channelBinding(binding == ChannelBinding.REQUIRE && !tls ? ChannelBinding.PREFER : binding)
                .allowCleartextPasswordWithoutTls(allowCleartext)
                .password((policy & 64) != 0 ? null : PASSWORD);
        if ((policy & 32) != 0) {
            b.requireAuth("scram-sha-256");
        }
        ReplicationConfig config = b.build();
        SSLSession session = tls ? AuthenticatorFixtures.tlsSession((policy & 8) != 0 ? ED25519_CERT : RSA_CERT)
                : null;
        Authenticator auth = AuthenticatorFixtures.withNonce(config, session, NONCE);
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        PgConnection conn = new PgConnection(config, new ByteArrayInputStream(input, 1, input.length - 1), sent,
                session);
        try {
            conn.startup(auth);
        } catch (ReplicationException typed) {
            assertThat(String.valueOf(typed.getMessage())).as("no password in an error").doesNotContain(PASSWORD);
        } catch (IOException endOfStream) {
            // the server hung up: a clean outcome
        }
        if (!tls && !allowCleartext) {
            assertThat(new String(sent.toByteArray(), StandardCharsets.ISO_8859_1))
                    .as("the password never goes out in cleartext without TLS").doesNotContain(PASSWORD);
        }
    }

    /**
     * SCRAM iteration counts up to 1,000,000 are legitimate and cost up to a second each: the bound itself is
     * AuthenticatorTest's; here they would only slow the search down.
     */
    private static boolean tooManyIterations(byte[] input) {
        String text = new String(input, StandardCharsets.ISO_8859_1);
        for (int i = text.indexOf("i="); i >= 0; i = text.indexOf("i=", i + 2)) {
            int digits = 0;
            while (i + 2 + digits < text.length() && Character.isDigit(text.charAt(i + 2 + digits))) {
                digits++;
            }
            if (digits > 4) {
                return true;
            }
        }
        return false;
    }
}
