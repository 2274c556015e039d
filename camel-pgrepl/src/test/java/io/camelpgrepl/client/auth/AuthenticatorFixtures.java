package io.camelpgrepl.client.auth;

import java.security.cert.X509Certificate;

import javax.net.ssl.SSLSession;

import io.camelpgrepl.client.ReplicationConfig;

/** Authenticators for tests outside this package: a fixed client nonce makes a scripted server-first possible. */
public final class AuthenticatorFixtures {

    private AuthenticatorFixtures() {
    }

    public static Authenticator withNonce(ReplicationConfig cfg, SSLSession tlsSessionOrNull, String clientNonce) {
        return new Authenticator(cfg, tlsSessionOrNull, () -> clientNonce);
    }

    /** A TLS session whose peer presents {@code peer}. */
    public static SSLSession tlsSession(X509Certificate peer) {
        return AuthenticatorTest.tls(peer);
    }
}
