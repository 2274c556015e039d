package io.camelpgrepl.client.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.EnumSet;

import javax.net.ssl.SSLSession;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

import io.camelpgrepl.client.AuthMethod;
import io.camelpgrepl.client.AuthenticationException;
import io.camelpgrepl.client.ChannelBinding;
import io.camelpgrepl.client.ReplicationConfig;
import io.camelpgrepl.client.tls.TestCertificates;
import io.camelpgrepl.client.tls.TlsServerEndPoint;

class AuthenticatorTest {

    private static final String PASSWORD = "pencil-Secret-42";
    private static final String NONCE = ScramSessionTest.CLIENT_NONCE;

    private static final X509Certificate RSA_CERT = TestCertificates
            .selfSigned("db.example", TestCertificates.rsa(), "SHA256withRSA").certificate();
    private static final X509Certificate ED25519_CERT = TestCertificates
            .selfSigned("db.example", TestCertificates.generate("Ed25519", 0), "Ed25519").certificate();

    // ---- SCRAM, PostgreSQL form ----

    @Test
    void scramInitialResponseHasMechanismLengthAndEmptyUserName() {
        Authenticator auth = authenticator(config("pencil").build(), null);

        ByteBuffer reply = ByteBuffer.wrap(auth.onAuthenticationRequest(sasl("SCRAM-SHA-256")));

        assertThat(cString(reply)).as("mechanism").isEqualTo("SCRAM-SHA-256");
        int length = reply.getInt();
        assertThat(length).as("client-first length").isEqualTo(reply.remaining());
        assertThat(utf8(reply)).as("PostgreSQL sends an empty SCRAM user name")
                .isEqualTo("n,,n=,r=" + NONCE);
    }

    @Test
    void scramPostgresqlFormMatchesIndependentlyComputedProofAndVerifiesServer() {
        // Expected values computed with python3 hashlib/hmac from RFC 7677's inputs but client-first-bare
        // "n=,r=rOprNGfwEbeRWgbNEkqO" (the same script reproduces the RFC's own values for "n=user").
        Authenticator auth = authenticator(config("pencil").build(), null);
        auth.onAuthenticationRequest(sasl("SCRAM-SHA-256"));

        byte[] clientFinal = auth.onAuthenticationRequest(saslContinue(ScramSessionTest.SERVER_FIRST));
        byte[] none = auth.onAuthenticationRequest(
                saslFinal("v=3HO6Qt1M4MKJrmlKaoOqLAI0/0TV0HZe7J9H3MBtSOg="));
        auth.onAuthenticationOk();

        assertThat(new String(clientFinal, StandardCharsets.UTF_8)).isEqualTo(
                "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                        + "p=qvT2SWdEH5Q06albL+hjSYuUhCG7VndFyzIb7CK4n9k=");
        assertThat(none).as("nothing is sent after SASLFinal").isNull();
        assertThat(auth.methodUsed()).isEqualTo(AuthMethod.SCRAM_SHA_256);
        assertThat(auth.channelBound()).isFalse();
    }

    @Test
    void scramPlusIsUsedOverTlsWhenOfferedAndBindsTheServerCertificate() throws Exception {
        Authenticator auth = authenticator(config(PASSWORD).build(), tls(RSA_CERT));
        FakeScramServer server = new FakeScramServer(PASSWORD);

        String clientFirst = initial(auth, "SCRAM-SHA-256-PLUS", "SCRAM-SHA-256-PLUS", "SCRAM-SHA-256");
        String clientFinal = utf8(auth.onAuthenticationRequest(saslContinue(server.serverFirst(clientFirst))));
        String serverFinal = server.serverFinal(clientFinal, TlsServerEndPoint.channelBindingData(RSA_CERT));
        auth.onAuthenticationRequest(saslFinal(serverFinal));
        auth.onAuthenticationOk();

        assertThat(server.gs2Header()).isEqualTo("p=tls-server-end-point,,");
        assertThat(serverFinal).as("server accepted proof and binding").startsWith("v=");
        assertThat(auth.channelBound()).isTrue();
    }

    @Test
    void channelBindingRequireSucceedsWithPlus() throws Exception {
        Authenticator auth = authenticator(config(PASSWORD).channelBinding(ChannelBinding.REQUIRE).build(),
                tls(RSA_CERT));
        FakeScramServer server = new FakeScramServer(PASSWORD);

        String clientFirst = initial(auth, "SCRAM-SHA-256-PLUS", "SCRAM-SHA-256", "SCRAM-SHA-256-PLUS");
        String clientFinal = utf8(auth.onAuthenticationRequest(saslContinue(server.serverFirst(clientFirst))));
        auth.onAuthenticationRequest(saslFinal(server.serverFinal(clientFinal,
                TlsServerEndPoint.channelBindingData(RSA_CERT))));
        auth.onAuthenticationOk();

        assertThat(auth.channelBound()).isTrue();
    }

    @Test
    void preferOverTlsWithPlusStrippedSendsYFlagSoTheServerCanDetectTheDowngrade() {
        Authenticator auth = authenticator(config(PASSWORD).build(), tls(RSA_CERT));

        String clientFirst = initial(auth, "SCRAM-SHA-256", "SCRAM-SHA-256");

        assertThat(clientFirst).startsWith("y,,n=,r=");
    }

    @Test
    void preferWithoutTlsSendsNFlag() {
        Authenticator auth = authenticator(config(PASSWORD).build(), null);

        assertThat(initial(auth, "SCRAM-SHA-256", "SCRAM-SHA-256")).startsWith("n,,");
    }

    @Test
    void preferRefusesPlusOfferedOverAConnectionThatIsNotTlsAsAnSslStrippingRelayWouldShowIt() {
        // was: prefer answered with plain SCRAM ('n'), authenticating through the relay
        Authenticator auth = authenticator(config(PASSWORD).build(), null);

        assertRefused(() -> auth.onAuthenticationRequest(sasl("SCRAM-SHA-256", "SCRAM-SHA-256-PLUS")),
                "offered SCRAM-SHA-256-PLUS authentication over a connection that is not TLS");
    }

    @Test
    void disableRefusesPlusOfferedOverAConnectionThatIsNotTlsTooAsLibpqDoes() {
        Authenticator auth = authenticator(config(PASSWORD).channelBinding(ChannelBinding.DISABLE).build(), null);

        assertRefused(() -> auth.onAuthenticationRequest(sasl("SCRAM-SHA-256-PLUS", "SCRAM-SHA-256")),
                "TLS was stripped");
    }

    @Test
    void preferRefusesPlusWhenTheCertificatesHashCannotBeDerivedInsteadOfDroppingTheBinding() {
        // was: prefer fell back to plain SCRAM, so a relay presenting an Ed25519 certificate stripped the binding
        Authenticator auth = authenticator(config(PASSWORD).build(), tls(ED25519_CERT));

        assertRefused(() -> auth.onAuthenticationRequest(sasl("SCRAM-SHA-256", "SCRAM-SHA-256-PLUS")),
                "Ed25519");
    }

    @Test
    void requireBindsWithAnRsaPssCertificateUsingTheHashOfItsParameters() throws Exception {
        X509Certificate pss = TestCertificates.selfSigned("db.example", TestCertificates.rsa(),
                "SHA384withRSAandMGF1").certificate();
        Authenticator auth = authenticator(config(PASSWORD).channelBinding(ChannelBinding.REQUIRE).build(), tls(pss));
        FakeScramServer server = new FakeScramServer(PASSWORD);

        String clientFirst = initial(auth, "SCRAM-SHA-256-PLUS", "SCRAM-SHA-256", "SCRAM-SHA-256-PLUS");
        String clientFinal = utf8(auth.onAuthenticationRequest(saslContinue(server.serverFirst(clientFirst))));
        String serverFinal = server.serverFinal(clientFinal,
                java.security.MessageDigest.getInstance("SHA-384").digest(pss.getEncoded()));
        auth.onAuthenticationRequest(saslFinal(serverFinal));
        auth.onAuthenticationOk();

        assertThat(serverFinal).as("the server, hashing with SHA-384 from the PSS parameters, accepted the binding")
                .startsWith("v=");
        assertThat(auth.channelBound()).isTrue();
    }

    @Test
    void disableNeverBindsEvenWhenOffered() {
        Authenticator auth = authenticator(config(PASSWORD).channelBinding(ChannelBinding.DISABLE).build(),
                tls(RSA_CERT));

        assertThat(initial(auth, "SCRAM-SHA-256", "SCRAM-SHA-256-PLUS", "SCRAM-SHA-256")).startsWith("n,,");
    }

    // ---- hostile or misconfigured servers ----

    @Test
    void requireRefusesWhenServerStripsPlus() {
        Authenticator auth = authenticator(config(PASSWORD).channelBinding(ChannelBinding.REQUIRE).build(),
                tls(RSA_CERT));

        assertRefused(() -> auth.onAuthenticationRequest(sasl("SCRAM-SHA-256")), "downgrade");
    }

    @Test
    void requireRefusesWithoutTls() {
        Authenticator auth = authenticator(config(PASSWORD).channelBinding(ChannelBinding.REQUIRE).build(), null);

        assertRefused(() -> auth.onAuthenticationRequest(sasl("SCRAM-SHA-256-PLUS", "SCRAM-SHA-256")),
                "not TLS");
    }

    @Test
    void requireRefusesCertificateWhoseHashCannotBeDerived() {
        Authenticator auth = authenticator(config(PASSWORD).channelBinding(ChannelBinding.REQUIRE).build(),
                tls(ED25519_CERT));

        assertRefused(() -> auth.onAuthenticationRequest(sasl("SCRAM-SHA-256-PLUS", "SCRAM-SHA-256")),
                "Ed25519");
    }

    @Test
    void requireRefusesMd5BeforeSendingAnything() {
        Authenticator auth = authenticator(config(PASSWORD).channelBinding(ChannelBinding.REQUIRE).build(),
                tls(RSA_CERT));

        assertRefused(() -> auth.onAuthenticationRequest(md5Request()), "channelBinding=require");
    }

    @Test
    void requireRefusesTrust() {
        Authenticator auth = authenticator(config(PASSWORD).channelBinding(ChannelBinding.REQUIRE).build(),
                tls(RSA_CERT));

        assertRefused(auth::onAuthenticationOk, "without channel binding");
    }

    @Test
    void badServerSignatureIsRejected() {
        Authenticator auth = authenticator(config(PASSWORD).build(), null);
        auth.onAuthenticationRequest(sasl("SCRAM-SHA-256"));
        auth.onAuthenticationRequest(saslContinue(ScramSessionTest.SERVER_FIRST));

        assertRefused(() -> auth.onAuthenticationRequest(saslFinal(ScramSessionTest.RFC_SERVER_FINAL)),
                "server signature does not verify");
        assertRefused(auth::onAuthenticationOk, "SCRAM exchange completed");
    }

    @Test
    void authenticationOkWithoutServerFinalIsRejected() {
        Authenticator auth = authenticator(config(PASSWORD).build(), null);
        auth.onAuthenticationRequest(sasl("SCRAM-SHA-256"));
        auth.onAuthenticationRequest(saslContinue(ScramSessionTest.SERVER_FIRST));

        assertRefused(auth::onAuthenticationOk, "not verified");
    }

    @Test
    void serverNonceNotExtendingOursIsRejected() {
        Authenticator auth = authenticator(config(PASSWORD).build(), null);
        auth.onAuthenticationRequest(sasl("SCRAM-SHA-256"));

        assertRefused(() -> auth.onAuthenticationRequest(
                saslContinue("r=SomeoneElsesNonce123%abc,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096")), "nonce");
    }

    @Test
    void serverNonceEqualToOursIsRejected() {
        Authenticator auth = authenticator(config(PASSWORD).build(), null);
        auth.onAuthenticationRequest(sasl("SCRAM-SHA-256"));

        assertRefused(() -> auth.onAuthenticationRequest(
                saslContinue("r=" + NONCE + ",s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096")), "nonce");
    }

    @Test
    void absurdIterationCountsAreRejectedBeforeAnyHashing() {
        for (String count : new String[] {"0", "-1", "1000001", "2147483647", "99999999999"}) {
            Authenticator auth = authenticator(config(PASSWORD).build(), null);
            auth.onAuthenticationRequest(sasl("SCRAM-SHA-256"));

            assertRefused(() -> auth.onAuthenticationRequest(saslContinue("r=" + NONCE + "xyz,s=W22ZaJ0SNY7soEsUEjb6gQ==,i="
                    + count)), "iteration");
        }
    }

    @Test
    void emptySaltIsAnAuthenticationFailureNotACrash() {
        Authenticator auth = authenticator(config(PASSWORD).build(), null);
        auth.onAuthenticationRequest(sasl("SCRAM-SHA-256"));

        assertRefused(() -> auth.onAuthenticationRequest(saslContinue("r=" + NONCE + "xyz,s=,i=4096")),
                "malformed server-first-message");
    }

    @Test
    void serverFinalErrorCarriesTheServersReason() {
        Authenticator auth = authenticator(config(PASSWORD).build(), null);
        auth.onAuthenticationRequest(sasl("SCRAM-SHA-256"));
        auth.onAuthenticationRequest(saslContinue(ScramSessionTest.SERVER_FIRST));

        assertRefused(() -> auth.onAuthenticationRequest(saslFinal("e=invalid-proof")), "invalid-proof");
    }

    @Test
    void saslWithoutSupportedMechanismIsRejected() {
        Authenticator auth = authenticator(config(PASSWORD).build(), null);

        assertRefused(() -> auth.onAuthenticationRequest(sasl("SCRAM-SHA-1", "OAUTHBEARER")), "OAUTHBEARER");
    }

    @Test
    void requireAuthRefusesMd5() {
        Authenticator auth = authenticator(config(PASSWORD).requireAuth("scram-sha-256").build(), null);

        assertRefused(() -> auth.onAuthenticationRequest(md5Request()), "requireAuth");
    }

    @Test
    void requireAuthRefusesCleartextPassword() {
        Authenticator auth = authenticator(config(PASSWORD).requireAuth("!password").build(), tls(RSA_CERT));

        assertRefused(() -> auth.onAuthenticationRequest(code(3)), "requireAuth");
    }

    @Test
    void requireAuthRefusesScram() {
        Authenticator auth = authenticator(config(PASSWORD).requireAuth("md5").build(), null);

        assertRefused(() -> auth.onAuthenticationRequest(sasl("SCRAM-SHA-256")), "requireAuth");
    }

    @Test
    void requireAuthRefusesTrustWhenNoneNotAllowed() {
        Authenticator auth = authenticator(config(PASSWORD).requireAuth("scram-sha-256").build(), null);

        assertRefused(auth::onAuthenticationOk, "does not allow none");
    }

    @Test
    void trustIsAcceptedByDefault() {
        Authenticator auth = authenticator(config(PASSWORD).build(), null);

        auth.onAuthenticationOk();

        assertThat(auth.methodUsed()).isEqualTo(AuthMethod.NONE);
    }

    @Test
    void cleartextPasswordOverPlainConnectionIsRefused() {
        Authenticator auth = authenticator(config(PASSWORD).build(), null);

        assertRefused(() -> auth.onAuthenticationRequest(code(3)), "allowCleartextPasswordWithoutTls");
    }

    @Test
    void cleartextPasswordOverTlsIsSentNulTerminated() {
        Authenticator auth = authenticator(config(PASSWORD).build(), tls(RSA_CERT));

        byte[] reply = auth.onAuthenticationRequest(code(3));

        assertThat(reply).isEqualTo((PASSWORD + "\0").getBytes(StandardCharsets.UTF_8));
        auth.onAuthenticationOk();
        assertThat(auth.methodUsed()).isEqualTo(AuthMethod.PASSWORD);
    }

    @Test
    void cleartextPasswordOverPlainIsSentWhenExplicitlyAllowed() {
        Authenticator auth = authenticator(config(PASSWORD).allowCleartextPasswordWithoutTls(true).build(), null);

        assertThat(auth.onAuthenticationRequest(code(3))).isEqualTo((PASSWORD + "\0").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void md5ReplyIsTheEncodedPasswordNulTerminated() {
        Authenticator auth = authenticator(config("postgres").user("postgres").build(), null);

        byte[] reply = auth.onAuthenticationRequest(md5Request());

        assertThat(new String(reply, StandardCharsets.US_ASCII)).isEqualTo("md568be9ed08db75f318087ab337aaea044\0");
        assertThat(auth.methodUsed()).isEqualTo(AuthMethod.MD5);
    }

    @Test
    void missingPasswordIsReportedWithTheUser() {
        Authenticator auth = authenticator(config(null).build(), null);

        assertThatThrownBy(() -> auth.onAuthenticationRequest(sasl("SCRAM-SHA-256")))
                .isInstanceOf(AuthenticationException.class)
                .hasMessage("server requires a password for user repl; set password");
    }

    @Test
    void gssapiAndFriendsAreNotSupported() {
        for (int code : new int[] {2, 6, 7, 8, 9}) {
            Authenticator auth = authenticator(config(PASSWORD).build(), null);

            assertRefused(() -> auth.onAuthenticationRequest(code(code)), "not support");
        }
    }

    @Test
    void toStringShowsNoPassword() {
        Authenticator auth = authenticator(config(PASSWORD).build(), null);
        auth.onAuthenticationRequest(sasl("SCRAM-SHA-256"));

        assertThat(auth.toString()).doesNotContain(PASSWORD);
    }

    // ---- helpers ----

    private static void assertRefused(ThrowingCallable call, String messagePart) {
        assertThatThrownBy(call)
                .isInstanceOf(AuthenticationException.class)
                .hasMessageContaining(messagePart)
                .satisfies(e -> io.camelpgrepl.client.SecretAssertions.assertNoSecretIn(e, PASSWORD))
                .satisfies(e -> io.camelpgrepl.client.SecretAssertions.assertNoSecretIn(e, "pencil"));
    }

    private static ReplicationConfig.Builder config(String password) {
        return ReplicationConfig.builder().user("repl").password(password).slot("s").publication("p");
    }

    private static Authenticator authenticator(ReplicationConfig cfg, SSLSession session) {
        return new Authenticator(cfg, session, () -> NONCE);
    }

    private static String initial(Authenticator auth, String expectedMechanism, String... offered) {
        ByteBuffer reply = ByteBuffer.wrap(auth.onAuthenticationRequest(sasl(offered)));
        assertThat(cString(reply)).as("chosen mechanism").isEqualTo(expectedMechanism);
        reply.getInt();
        return utf8(reply);
    }

    static SSLSession tls(X509Certificate peer) {
        return (SSLSession) Proxy.newProxyInstance(AuthenticatorTest.class.getClassLoader(),
                new Class<?>[] {SSLSession.class}, (proxy, method, args) -> {
                    switch (method.getName()) {
                        case "getPeerCertificates":
                            return new Certificate[] {peer};
                        case "getProtocol":
                            return "TLSv1.3";
                        case "toString":
                            return "TestSession";
                        default:
                            throw new UnsupportedOperationException(method.getName());
                    }
                });
    }

    private static ByteBuffer code(int code) {
        return ByteBuffer.allocate(4).putInt(0, code);
    }

    private static ByteBuffer md5Request() {
        return ByteBuffer.wrap(new byte[] {0, 0, 0, 5, 1, 2, 3, 4});
    }

    private static ByteBuffer sasl(String... mechanisms) {
        StringBuilder sb = new StringBuilder();
        for (String m : mechanisms) {
            sb.append(m).append('\0');
        }
        sb.append('\0');
        byte[] names = sb.toString().getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(4 + names.length).putInt(10).put(names).flip();
    }

    private static ByteBuffer saslContinue(String data) {
        return withCode(11, data);
    }

    private static ByteBuffer saslFinal(String data) {
        return withCode(12, data);
    }

    private static ByteBuffer withCode(int code, String data) {
        byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(4 + bytes.length).putInt(code).put(bytes).flip();
    }

    private static String cString(ByteBuffer b) {
        StringBuilder sb = new StringBuilder();
        byte c;
        while ((c = b.get()) != 0) {
            sb.append((char) c);
        }
        return sb.toString();
    }

    private static String utf8(ByteBuffer b) {
        byte[] bytes = new byte[b.remaining()];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unused")
    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    @SuppressWarnings("unused")
    private static EnumSet<AuthMethod> all() {
        return EnumSet.allOf(AuthMethod.class);
    }
}
