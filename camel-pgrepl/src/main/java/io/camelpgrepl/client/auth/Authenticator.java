package io.camelpgrepl.client.auth;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

import io.camelpgrepl.client.AuthMethod;
import io.camelpgrepl.client.AuthenticationException;
import io.camelpgrepl.client.ChannelBinding;
import io.camelpgrepl.client.ProtocolException;
import io.camelpgrepl.client.ReplicationConfig;
import io.camelpgrepl.client.tls.TlsServerEndPoint;

/**
 * Answers the server's authentication requests during startup, and enforces the client's policy
 * ({@code requireAuth}, {@code channelBinding}, no cleartext password without TLS) with libpq's semantics.
 * One instance per connection attempt; not thread-safe.
 */
public final class Authenticator {

    static final String SCRAM_SHA_256 = "SCRAM-SHA-256";
    static final String SCRAM_SHA_256_PLUS = "SCRAM-SHA-256-PLUS";

    private static final int AUTH_OK = 0;
    private static final int AUTH_KERBEROS_V5 = 2;
    private static final int AUTH_CLEARTEXT = 3;
    private static final int AUTH_MD5 = 5;
    private static final int AUTH_SCM = 6;
    private static final int AUTH_GSS = 7;
    private static final int AUTH_GSS_CONTINUE = 8;
    private static final int AUTH_SSPI = 9;
    private static final int AUTH_SASL = 10;
    private static final int AUTH_SASL_CONTINUE = 11;
    private static final int AUTH_SASL_FINAL = 12;

    /** Created on the first SCRAM nonce: seeding costs start-up time that trust, password and md5 never need. */
    private static final class Random {
        static final SecureRandom INSTANCE = new SecureRandom();
    }

    private final ReplicationConfig cfg;
    private final SSLSession tlsSession;
    private final Supplier<String> nonceSupplier;
    private AuthMethod methodUsed;
    private ScramSession scram;
    private boolean channelBound;

    public Authenticator(ReplicationConfig cfg, SSLSession tlsSessionOrNull) {
        this(cfg, tlsSessionOrNull, Authenticator::randomNonce);
    }

    /** For tests: a fixed client nonce (RFC test vectors). */
    Authenticator(ReplicationConfig cfg, SSLSession tlsSessionOrNull, Supplier<String> nonceSupplier) {
        this.cfg = cfg;
        this.tlsSession = tlsSessionOrNull;
        this.nonceSupplier = nonceSupplier;
    }

    /**
     * Handles one AuthenticationXxx message (other than AuthenticationOk).
     *
     * @param body the message body, positioned at the int32 authentication code
     * @return the payload of the 'p' message to answer with, or null when nothing is sent
     */
    public byte[] onAuthenticationRequest(ByteBuffer body) {
        if (body.remaining() < 4) {
            throw new ProtocolException("received invalid authentication request: " + body.remaining()
                    + " bytes, shorter than its 4-byte request code; is this a PostgreSQL server?");
        }
        int code = body.getInt();
        switch (code) {
            case AUTH_CLEARTEXT:
                return cleartext();
            case AUTH_MD5:
                return md5(body);
            case AUTH_SASL:
                return saslInitial(body);
            case AUTH_SASL_CONTINUE:
                return saslContinue(body);
            case AUTH_SASL_FINAL:
                return saslFinal(body);
            case AUTH_KERBEROS_V5:
                throw notSupported("Kerberos V5");
            case AUTH_SCM:
                throw notSupported("SCM credentials");
            case AUTH_GSS:
            case AUTH_GSS_CONTINUE:
                throw notSupported("GSSAPI");
            case AUTH_SSPI:
                throw notSupported("SSPI");
            case AUTH_OK:
                throw new IllegalStateException("AuthenticationOk goes to onAuthenticationOk()");
            default:
                throw new ProtocolException("unknown authentication request code " + code + " from the server");
        }
    }

    /** At AuthenticationOk: refuses a connection whose authentication did not meet the configured policy. */
    public void onAuthenticationOk() {
        if (methodUsed == null) {
            methodUsed = AuthMethod.NONE;
            if (!cfg.requireAuth().contains(AuthMethod.NONE)) {
                throw new AuthenticationException("server authenticated user " + cfg.user()
                        + " without asking for credentials (trust), but requireAuth " + allowed()
                        + " does not allow none");
            }
        }
        if (methodUsed == AuthMethod.SCRAM_SHA_256 && (scram == null || !scram.isVerified())) {
            throw new AuthenticationException("server sent AuthenticationOk before the SCRAM exchange completed;"
                    + " the server was not verified (possible impostor)");
        }
        if (cfg.channelBinding() == ChannelBinding.REQUIRE && !channelBound) {
            throw new AuthenticationException("channelBinding=require, but the server authenticated user "
                    + cfg.user() + " without channel binding (method " + methodUsed.libpqName() + ")");
        }
    }

    /** The method the server asked for; {@link AuthMethod#NONE} after an AuthenticationOk with no request. */
    public AuthMethod methodUsed() {
        return methodUsed;
    }

    /** True when SCRAM-SHA-256-PLUS was used. */
    public boolean channelBound() {
        return channelBound;
    }

    private byte[] cleartext() {
        startMethod(AuthMethod.PASSWORD);
        if (tlsSession == null && !cfg.allowCleartextPasswordWithoutTls()) {
            throw new AuthenticationException("server asked for user " + cfg.user()
                    + "'s password in cleartext over an unencrypted connection; refused. Use TLS (sslMode=require"
                    + " or stronger), have the server use scram-sha-256, or set allowCleartextPasswordWithoutTls");
        }
        String password = requirePassword();
        return nulTerminated(password.getBytes(StandardCharsets.UTF_8));
    }

    private byte[] md5(ByteBuffer body) {
        startMethod(AuthMethod.MD5);
        if (body.remaining() < 4) {
            throw new ProtocolException("AuthenticationMD5Password without a 4-byte salt");
        }
        byte[] salt = new byte[4];
        body.get(salt);
        String password = requirePassword();
        return nulTerminated(Md5Password.encode(cfg.user(), password, salt).getBytes(StandardCharsets.US_ASCII));
    }

    private byte[] saslInitial(ByteBuffer body) {
        startMethod(AuthMethod.SCRAM_SHA_256);
        List<String> offered = readMechanisms(body);
        String password = requirePassword();
        boolean tls = tlsSession != null;
        boolean plusOffered = offered.contains(SCRAM_SHA_256_PLUS);
        boolean bareOffered = offered.contains(SCRAM_SHA_256);
        String mechanism;
        char flag;
        byte[] cbData = null;
        if (plusOffered && !tls) {
            // libpq refuses this whatever channel_binding says (fe-auth.c: "server offered SCRAM-SHA-256-PLUS
            // authentication over a non-SSL connection"): a server only offers -PLUS over TLS, so a relay stripped
            // TLS between us, and any answer would either fail or authenticate through it.
            throw new AuthenticationException("server offered " + SCRAM_SHA_256_PLUS + " authentication over a"
                    + " connection that is not TLS: TLS was stripped on the way (e.g. by a proxy or an attacker);"
                    + " refused. Connect with sslMode=require or stronger, or without the relay");
        }
        switch (cfg.channelBinding()) {
            case REQUIRE:
                if (!tls) {
                    throw new AuthenticationException("channelBinding=require, but the connection is not TLS;"
                            + " use sslMode=require or stronger");
                }
                if (!plusOffered) {
                    throw new AuthenticationException("channelBinding=require, but the server did not offer "
                            + SCRAM_SHA_256_PLUS + " (offered: " + offered + "); possible downgrade attack, refused");
                }
                cbData = TlsServerEndPoint.channelBindingData(serverCertificate());
                mechanism = SCRAM_SHA_256_PLUS;
                flag = 'p';
                break;
            case PREFER:
                if (plusOffered) {
                    // As libpq: -PLUS offered over TLS is used, and a certificate whose hash cannot be derived
                    // fails the connection rather than falling back, or a relay presenting such a certificate
                    // could strip the binding unnoticed.
                    cbData = TlsServerEndPoint.channelBindingData(serverCertificate());
                    mechanism = SCRAM_SHA_256_PLUS;
                    flag = 'p';
                } else {
                    mechanism = bareOrFail(bareOffered, offered);
                    // 'y' tells the server we could bind but it did not offer -PLUS: a server that does offer
                    // it then knows an attacker stripped it.
                    flag = tls ? 'y' : 'n';
                }
                break;
            case DISABLE:
            default:
                mechanism = bareOrFail(bareOffered, offered);
                flag = 'n';
                break;
        }
        char[] chars = password.toCharArray();
        try {
            scram = new ScramSession("", chars, nonceSupplier.get(), flag, cbData);
        } finally {
            Arrays.fill(chars, '\0');
        }
        channelBound = flag == 'p';
        byte[] name = mechanism.getBytes(StandardCharsets.US_ASCII);
        byte[] first = scram.clientFirstMessage().getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(name.length + 1 + 4 + first.length);
        out.put(name).put((byte) 0).putInt(first.length).put(first);
        return out.array();
    }

    private byte[] saslContinue(ByteBuffer body) {
        if (scram == null) {
            throw new ProtocolException("AuthenticationSASLContinue without a SASL exchange in progress");
        }
        String serverFirst = remainingUtf8(body);
        return scram.clientFinalMessage(serverFirst).getBytes(StandardCharsets.UTF_8);
    }

    private byte[] saslFinal(ByteBuffer body) {
        if (scram == null) {
            throw new ProtocolException("AuthenticationSASLFinal without a SASL exchange in progress");
        }
        scram.verifyServerFinal(remainingUtf8(body));
        return null;
    }

    private void startMethod(AuthMethod method) {
        if (methodUsed != null) {
            throw new ProtocolException("server asked for " + method.libpqName() + " authentication after "
                    + methodUsed.libpqName() + " was already in progress");
        }
        if (!cfg.requireAuth().contains(method)) {
            throw new AuthenticationException("server asked for " + method.libpqName() + " authentication of user "
                    + cfg.user() + ", but requireAuth allows only " + allowed());
        }
        if (method != AuthMethod.SCRAM_SHA_256 && cfg.channelBinding() == ChannelBinding.REQUIRE) {
            throw new AuthenticationException("channelBinding=require, but the server asked for "
                    + method.libpqName() + " authentication, which has no channel binding; refused");
        }
        methodUsed = method;
    }

    private AuthenticationException notSupported(String method) {
        return new AuthenticationException("server asked for " + method + " authentication of user " + cfg.user()
                + ", which this client does not support; configure pg_hba.conf for scram-sha-256 (or md5/password)");
    }

    private String requirePassword() {
        String password = cfg.password();
        if (password == null) {
            throw new AuthenticationException("server requires a password for user " + cfg.user() + "; set password");
        }
        return password;
    }

    private X509Certificate serverCertificate() {
        try {
            Certificate[] chain = tlsSession.getPeerCertificates();
            if (chain.length == 0 || !(chain[0] instanceof X509Certificate)) {
                throw new AuthenticationException("channel binding needs the server's X.509 certificate, but the TLS"
                        + " session has none");
            }
            return (X509Certificate) chain[0];
        } catch (SSLPeerUnverifiedException e) {
            throw new AuthenticationException("channel binding needs the server's certificate, but the TLS session"
                    + " has none: " + e.getMessage(), e);
        }
    }

    private static String bareOrFail(boolean bareOffered, List<String> offered) {
        if (!bareOffered) {
            throw new AuthenticationException("server offers SASL mechanisms " + offered
                    + ", none of which this client can use here (supported: " + SCRAM_SHA_256 + ", "
                    + SCRAM_SHA_256_PLUS + " over TLS)");
        }
        return SCRAM_SHA_256;
    }

    private static List<String> readMechanisms(ByteBuffer body) {
        List<String> names = new ArrayList<>();
        ByteArrayOutputStream current = new ByteArrayOutputStream();
        while (body.hasRemaining()) {
            byte b = body.get();
            if (b == 0) {
                if (current.size() == 0) {
                    return names;
                }
                names.add(current.toString(StandardCharsets.US_ASCII));
                current.reset();
            } else {
                current.write(b);
            }
        }
        throw new ProtocolException("AuthenticationSASL mechanism list is not terminated");
    }

    private static String remainingUtf8(ByteBuffer body) {
        byte[] bytes = new byte[body.remaining()];
        body.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] nulTerminated(byte[] bytes) {
        byte[] out = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, out, 0, bytes.length);
        return out;
    }

    private String allowed() {
        Set<String> names = new TreeSet<>();
        for (AuthMethod m : cfg.requireAuth()) {
            names.add(m.libpqName());
        }
        return names.toString();
    }

    private static String randomNonce() {
        byte[] bytes = new byte[18];
        Random.INSTANCE.nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes);
    }

    @Override
    public String toString() {
        return "Authenticator[user=" + cfg.user() + ", method=" + methodUsed + ", channelBound=" + channelBound + "]";
    }
}
