package io.camelpgrepl.client.tls;

import java.io.IOException;
import java.net.InetAddress;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/** A one-connection TLS server on 127.0.0.1 that records what the client presented. */
final class TestTlsServer implements AutoCloseable {

    /** What the server saw: the SNI host name (or null), the client certificate (or null), the ALPN protocol. */
    record Seen(String sniHostName, X509Certificate clientCertificate, String applicationProtocol) {
    }

    private final SSLServerSocket server;
    private final CompletableFuture<Seen> seen = new CompletableFuture<>();

    /**
     * @param clientCa when not null, the server requires a client certificate issued by it
     * @param alpn whether the server negotiates ALPN "postgresql"
     */
    TestTlsServer(TestCertificates.Issued serverCert, X509Certificate clientCa, boolean alpn) throws Exception {
        this(serverCert, clientCa, alpn, null);
    }

    /** @param onlyProtocol when not null, the one TLS version the server accepts */
    TestTlsServer(TestCertificates.Issued serverCert, X509Certificate clientCa, boolean alpn, String onlyProtocol)
            throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("server", serverCert.keys().getPrivate(), new char[0],
                new Certificate[] {serverCert.certificate()});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, new char[0]);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        if (clientCa != null) {
            trust.setCertificateEntry("client-ca", clientCa);
        }
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        server = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(0, 1,
                InetAddress.getByName("127.0.0.1"));
        SSLParameters params = server.getSSLParameters();
        params.setNeedClientAuth(clientCa != null);
        if (alpn) {
            params.setApplicationProtocols(new String[] {"postgresql"});
        }
        if (onlyProtocol != null) {
            params.setProtocols(new String[] {onlyProtocol});
        }
        server.setSSLParameters(params);
        Thread t = new Thread(this::acceptOne, "test-tls-server");
        t.setDaemon(true);
        t.start();
    }

    int port() {
        return server.getLocalPort();
    }

    Seen seen() throws Exception {
        return seen.get(10, TimeUnit.SECONDS);
    }

    private void acceptOne() {
        try (SSLSocket s = (SSLSocket) server.accept()) {
            s.startHandshake();
            ExtendedSSLSession session = (ExtendedSSLSession) s.getSession();
            String sni = null;
            for (SNIServerName n : session.getRequestedServerNames()) {
                if (n instanceof SNIHostName) {
                    sni = ((SNIHostName) n).getAsciiName();
                }
            }
            X509Certificate client = null;
            try {
                client = (X509Certificate) session.getPeerCertificates()[0];
            } catch (javax.net.ssl.SSLPeerUnverifiedException none) {
                // no client certificate
            }
            seen.complete(new Seen(sni, client, s.getApplicationProtocol()));
            // Keep the connection until the client is done (it closes its side after its checks).
            s.getInputStream().read();
        } catch (IOException | RuntimeException e) {
            seen.completeExceptionally(e);
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
