package io.camelpgrepl.client.tls;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

import io.camelpgrepl.client.ReplicationConfig;
import io.camelpgrepl.client.SslMode;
import io.camelpgrepl.client.SslNegotiation;
import io.camelpgrepl.client.TlsException;

/**
 * Turns a connected socket into a verified TLS socket, with libpq's {@code sslmode} semantics:
 * <ul>
 * <li>allow/prefer/require: encrypt, do not verify; except that require with an explicit {@code sslRootCert}
 * verifies the chain (libpq treats it as verify-ca);</li>
 * <li>verify-ca: the chain must verify to {@code sslRootCert} (or the JVM trust store when it is not set);</li>
 * <li>verify-full: and the host name (or {@code sslServerName}) must match the certificate's SAN (DNS names for a
 * name, IP addresses for an IP literal; the CN only when there is no DNS SAN at all).</li>
 * </ul>
 * TLS 1.2 or newer; ALPN {@code postgresql}, which PostgreSQL 17+ requires for direct TLS.
 */
public final class TlsUpgrader {

    public static final String ALPN_POSTGRESQL = "postgresql";

    private static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private TlsUpgrader() {
    }

    /**
     * Performs the TLS handshake on {@code connected} (after the server's 'S', or at once for direct TLS) and checks
     * the server per {@code cfg.sslMode()}. The handshake is bounded by the socket's SO_TIMEOUT, which the caller
     * sets. On failure the socket is closed.
     *
     * @param host the host the client was asked to connect to (used for SNI and verify-full unless
     *        {@code sslServerName} is set)
     */
    public static SSLSocket upgrade(Socket connected, ReplicationConfig cfg, String host, int port)
            throws TlsException {
        String serverName = cfg.sslServerName() != null ? cfg.sslServerName() : host;
        SslMode mode = cfg.sslMode();
        boolean verifyChain = mode.verifiesChain() || (mode == SslMode.REQUIRE && cfg.sslRootCert() != null);
        RecordingTrustManager recorder = null;
        SSLContext context;
        try {
            if (cfg.sslContext() != null) {
                context = cfg.sslContext();
            } else {
                TrustManager trust;
                if (verifyChain) {
                    recorder = new RecordingTrustManager(chainVerifier(cfg.sslRootCert()));
                    trust = recorder;
                } else {
                    trust = new TrustEverything();
                }
                context = context(keyManagers(cfg), trust);
            }
        } catch (RuntimeException e) {
            closeQuietly(connected);
            throw e;
        }

        SSLSocket ssl;
        try {
            ssl = (SSLSocket) context.getSocketFactory().createSocket(connected, serverName, port, true);
        } catch (IOException e) {
            throw new TlsException("cannot start TLS with " + host + ":" + port + ": " + e.getMessage(), e);
        }
        try {
            ssl.setUseClientMode(true);
            SSLParameters params = ssl.getSSLParameters();
            params.setProtocols(supported(ssl.getSupportedProtocols()));
            params.setServerNames(sniFor(serverName));
            params.setApplicationProtocols(new String[] {ALPN_POSTGRESQL});
            ssl.setSSLParameters(params);
            ssl.startHandshake();
        } catch (IOException | IllegalArgumentException e) {
            closeQuietly(ssl);
            throw handshakeFailure(e, recorder, cfg, host, port);
        }

        try {
            if (cfg.sslNegotiation() == SslNegotiation.DIRECT
                    && !ALPN_POSTGRESQL.equals(ssl.getApplicationProtocol())) {
                throw new TlsException("direct TLS connection to " + host + ":" + port + " was established without"
                        + " ALPN protocol 'postgresql'; the server is not PostgreSQL 17+ (or a proxy strips ALPN):"
                        + " use sslNegotiation=postgres");
            }
            if (mode == SslMode.VERIFY_FULL) {
                Certificate[] chain = ssl.getSession().getPeerCertificates();
                verifyHostName((X509Certificate) chain[0], host, cfg.sslServerName());
            }
            return ssl;
        } catch (IOException e) {
            closeQuietly(ssl);
            throw new TlsException("TLS with " + host + ":" + port + ": no server certificate to verify: "
                    + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(ssl);
            throw e;
        }
    }

    /**
     * Checks the name the client asked for against the certificate.
     *
     * @param host the host connected to
     * @param sslServerName the configured override, or null
     */
    static void verifyHostName(X509Certificate cert, String host, String sslServerName) {
        String expected = sslServerName != null ? sslServerName : host;
        List<String> dnsNames = new ArrayList<>();
        List<String> ipNames = new ArrayList<>();
        try {
            Collection<List<?>> sans = cert.getSubjectAlternativeNames();
            if (sans != null) {
                for (List<?> san : sans) {
                    int type = (Integer) san.get(0);
                    if (type == 2) {
                        dnsNames.add((String) san.get(1));
                    } else if (type == 7) {
                        ipNames.add((String) san.get(1));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            throw new TlsException("cannot read the server certificate's subject alternative names: " + e.getMessage(),
                    e);
        }
        boolean matches;
        if (isIpLiteral(expected)) {
            matches = ipNames.stream().anyMatch(ip -> sameAddress(ip, expected));
        } else if (!dnsNames.isEmpty()) {
            matches = dnsNames.stream().anyMatch(name -> dnsMatches(name, expected));
        } else {
            String cn = commonName(cert);
            matches = cn != null && dnsMatches(cn, expected);
            if (cn != null) {
                dnsNames.add(cn);
            }
        }
        if (!matches) {
            List<String> names = new ArrayList<>(dnsNames);
            names.addAll(ipNames);
            String subject = sslServerName != null
                    ? "server certificate for " + host + " does not match sslServerName " + sslServerName
                    : "server certificate for " + host + " does not match host name";
            throw new TlsException(subject + ": certificate names " + names
                    + "; connect with the name on the certificate or set sslServerName");
        }
    }

    private static TlsException handshakeFailure(Exception e, RecordingTrustManager recorder, ReplicationConfig cfg,
            String host, int port) {
        if (recorder != null && recorder.failure != null) {
            Path root = cfg.sslRootCert();
            String against = root != null ? "sslRootCert=" + root
                    : "the JVM default trust store (sslRootCert is not set)";
            return new TlsException("server certificate of " + host + ":" + port + ": certificate chain does not"
                    + " verify against " + against + " (sslMode=" + cfg.sslMode().libpqName() + "): "
                    + rootMessage(recorder.failure), e);
        }
        String hint = cfg.sslNegotiation() == SslNegotiation.DIRECT
                ? " (sslNegotiation=direct needs PostgreSQL 17 or newer, which reads TLS at once; for an older server"
                        + " use sslNegotiation=postgres)"
                : cfg.sslCert() == null ? " (if the server requires a client certificate, set sslCert and sslKey)" : "";
        return new TlsException("TLS handshake with " + host + ":" + port + " failed: " + rootMessage(e) + hint, e);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t == e ? String.valueOf(e.getMessage()) : e.getMessage() + " (" + t.getMessage() + ")";
    }

    private static SSLContext context(KeyManager[] keyManagers, TrustManager trust) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(keyManagers, new TrustManager[] {trust}, new SecureRandom());
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new TlsException("cannot create a TLS context: " + e.getMessage(), e);
        }
    }

    private static X509ExtendedTrustManager chainVerifier(Path rootCert) {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            if (rootCert == null) {
                tmf.init((KeyStore) null);
            } else {
                KeyStore roots = KeyStore.getInstance("PKCS12");
                roots.load(null, null);
                int i = 0;
                for (X509Certificate c : certificates("sslRootCert", rootCert)) {
                    roots.setCertificateEntry("root-" + i++, c);
                }
                tmf.init(roots);
            }
            for (TrustManager tm : tmf.getTrustManagers()) {
                if (tm instanceof X509ExtendedTrustManager) {
                    return (X509ExtendedTrustManager) tm;
                }
            }
            throw new TlsException("this JVM has no X.509 trust manager");
        } catch (GeneralSecurityException | IOException e) {
            throw new TlsException("cannot load sslRootCert " + rootCert + ": " + e.getMessage(), e);
        }
    }

    private static KeyManager[] keyManagers(ReplicationConfig cfg) {
        if (cfg.sslCert() == null || cfg.sslKey() == null) {
            return null;
        }
        List<X509Certificate> chain = certificates("sslCert", cfg.sslCert());
        PrivateKey key = PemKeys.readPrivateKey(cfg.sslKey(), cfg.sslKeyPassword());
        requireMatchingKey(chain.get(0), key, cfg);
        char[] storePassword = new char[0];
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("client", key, storePassword, chain.toArray(new X509Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, storePassword);
            return kmf.getKeyManagers();
        } catch (GeneralSecurityException | IOException e) {
            throw new TlsException("cannot use sslCert " + cfg.sslCert() + " with sslKey " + cfg.sslKey() + ": "
                    + e.getClass().getSimpleName(), e);
        }
    }

    /** PemKeys does not know which option a file came from; the person fixing it needs to. */
    private static List<X509Certificate> certificates(String option, Path file) {
        try {
            return PemKeys.readCertificates(file);
        } catch (TlsException e) {
            throw new TlsException(option + "=" + file + ": " + e.getMessage(), e);
        }
    }

    /** A key that does not belong to the certificate otherwise surfaces as an opaque handshake failure. */
    private static void requireMatchingKey(X509Certificate cert, PrivateKey key, ReplicationConfig cfg) {
        String algorithm;
        switch (key.getAlgorithm()) {
            case "RSA":
                algorithm = "SHA256withRSA";
                break;
            case "EC":
                algorithm = "SHA256withECDSA";
                break;
            case "Ed25519":
            case "Ed448":
            case "EdDSA":
                algorithm = key.getAlgorithm();
                break;
            default:
                return;
        }
        boolean ok;
        try {
            byte[] probe = new byte[32];
            new SecureRandom().nextBytes(probe);
            Signature s = Signature.getInstance(algorithm);
            s.initSign(key);
            s.update(probe);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance(algorithm);
            v.initVerify(cert.getPublicKey());
            v.update(probe);
            ok = v.verify(sig);
        } catch (GeneralSecurityException e) {
            ok = false;
        }
        if (!ok) {
            throw new TlsException("sslKey " + cfg.sslKey() + " is not the private key of the certificate in sslCert "
                    + cfg.sslCert() + " (" + cert.getSubjectX500Principal() + ")");
        }
    }

    private static String[] supported(String[] available) {
        List<String> out = new ArrayList<>();
        for (String p : PROTOCOLS) {
            if (Arrays.asList(available).contains(p)) {
                out.add(p);
            }
        }
        if (out.isEmpty()) {
            throw new TlsException("this JVM supports neither TLSv1.3 nor TLSv1.2");
        }
        return out.toArray(new String[0]);
    }

    private static List<SNIServerName> sniFor(String name) {
        if (isIpLiteral(name)) {
            return List.of();
        }
        try {
            return List.of(new SNIHostName(name));
        } catch (IllegalArgumentException e) {
            return List.of();
        }
    }

    static boolean isIpLiteral(String name) {
        if (name.indexOf(':') >= 0) {
            return true;
        }
        return name.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
    }

    private static boolean sameAddress(String a, String b) {
        try {
            return InetAddress.getByName(strip(a)).equals(InetAddress.getByName(strip(b)));
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** Only literal text reaches here, so getByName does no DNS lookup; brackets and zone ids are dropped. */
    private static String strip(String ip) {
        String s = ip.startsWith("[") && ip.endsWith("]") ? ip.substring(1, ip.length() - 1) : ip;
        int zone = s.indexOf('%');
        return zone >= 0 ? s.substring(0, zone) : s;
    }

    /** Case-insensitive; a wildcard only as the whole left-most label, matching exactly one label. */
    static boolean dnsMatches(String pattern, String host) {
        String p = trimDot(pattern.toLowerCase(Locale.ROOT));
        String h = trimDot(host.toLowerCase(Locale.ROOT));
        if (p.startsWith("*.")) {
            String suffix = p.substring(1);
            int firstDot = h.indexOf('.');
            return firstDot > 0 && h.substring(firstDot).equals(suffix) && suffix.indexOf('.', 1) > 0;
        }
        return p.equals(h);
    }

    private static String trimDot(String s) {
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    private static String commonName(X509Certificate cert) {
        try {
            for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
                if (rdn.getType().equalsIgnoreCase("CN")) {
                    return rdn.getValue().toString();
                }
            }
        } catch (Exception e) {
            return null;
        }
        return null;
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already failing; the original error is what matters
        }
    }

    /** A trust manager for the client side of a connection: it never judges client certificates. */
    private abstract static class ServerTrustManager extends X509ExtendedTrustManager {
        @Override
        public final void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            throw new CertificateException("client side only");
        }

        @Override
        public final void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            throw new CertificateException("client side only");
        }

        @Override
        public final void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("client side only");
        }
    }

    /** Delegates chain verification and remembers why it failed, to name sslRootCert in the error. */
    private static final class RecordingTrustManager extends ServerTrustManager {
        private final X509ExtendedTrustManager delegate;
        private volatile CertificateException failure;

        RecordingTrustManager(X509ExtendedTrustManager delegate) {
            this.delegate = delegate;
        }

        private void record(CertificateException e) throws CertificateException {
            failure = e;
            throw e;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            try {
                delegate.checkServerTrusted(chain, authType, socket);
            } catch (CertificateException e) {
                record(e);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            try {
                delegate.checkServerTrusted(chain, authType, engine);
            } catch (CertificateException e) {
                record(e);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            try {
                delegate.checkServerTrusted(chain, authType);
            } catch (CertificateException e) {
                record(e);
            }
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return delegate.getAcceptedIssuers();
        }
    }

    /** sslMode allow/prefer/require without a root certificate: encryption only, as in libpq. */
    private static final class TrustEverything extends ServerTrustManager {
        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
