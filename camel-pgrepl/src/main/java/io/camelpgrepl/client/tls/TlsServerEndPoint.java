package io.camelpgrepl.client.tls;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Locale;

import io.camelpgrepl.client.AuthenticationException;

/**
 * RFC 5929 {@code tls-server-end-point} channel-binding data: the server certificate's DER hashed with the hash
 * of its signature algorithm (MD5 and SHA-1 are replaced by SHA-256).
 */
public final class TlsServerEndPoint {

    public static final String TYPE = "tls-server-end-point";

    private TlsServerEndPoint() {
    }

    public static byte[] channelBindingData(X509Certificate serverCert) throws AuthenticationException {
        String hash = hashFor(serverCert);
        try {
            return MessageDigest.getInstance(hash).digest(serverCert.getEncoded());
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new AuthenticationException("cannot compute tls-server-end-point channel binding for server certificate "
                    + serverCert.getSubjectX500Principal() + ": " + e.getMessage(), e);
        }
    }

    /** The JCA digest name for the certificate's signature algorithm, per RFC 5929 section 4.1. */
    static String hashFor(X509Certificate cert) {
        String sigAlg = cert.getSigAlgName().toUpperCase(Locale.ROOT).replace("-", "");
        int with = sigAlg.indexOf("WITH");
        if (with > 0) {
            String digest = sigAlg.substring(0, with);
            switch (digest) {
                case "MD5":
                case "SHA1":
                case "SHA256":
                    // RFC 5929: MD5 and SHA-1 become SHA-256 (as the PostgreSQL server does).
                    return "SHA-256";
                case "SHA224":
                    return "SHA-224";
                case "SHA384":
                    return "SHA-384";
                case "SHA512":
                    return "SHA-512";
                default:
                    break;
            }
        }
        throw new AuthenticationException("cannot derive the tls-server-end-point hash from the server certificate's"
                + " signature algorithm " + cert.getSigAlgName() + " (" + cert.getSigAlgOID()
                + "); channel binding is impossible with this certificate: use channelBinding=prefer or disable,"
                + " or a certificate signed with SHA-256/384/512 and RSA or ECDSA");
    }
}
