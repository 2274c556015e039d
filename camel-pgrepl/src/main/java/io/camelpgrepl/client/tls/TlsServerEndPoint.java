package io.camelpgrepl.client.tls;

import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.spec.PSSParameterSpec;
import java.util.Locale;

import io.camelpgrepl.client.AuthenticationException;

/**
 * RFC 5929 {@code tls-server-end-point} channel-binding data: the server certificate's DER hashed with the hash
 * of its signature algorithm (MD5 and SHA-1 are replaced by SHA-256; for RSA-PSS the hash of its parameters).
 */
public final class TlsServerEndPoint {

    public static final String TYPE = "tls-server-end-point";

    private static final String RSASSA_PSS_OID = "1.2.840.113549.1.1.10";
    private static final String ED25519_OID = "1.3.101.112";
    private static final String ED448_OID = "1.3.101.113";

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

    /**
     * The JCA digest name for the certificate's signature algorithm, per RFC 5929 section 4.1, as libpq and the
     * server derive it with OpenSSL's {@code X509_get_signature_info}: the signature's hash (RSA-PSS: the hash in its
     * parameters), MD5 and SHA-1 replaced by SHA-256. Ed25519 and Ed448 sign without a separate hash, so no
     * binding can be derived: neither can libpq nor the server.
     */
    static String hashFor(X509Certificate cert) {
        String oid = cert.getSigAlgOID();
        String digest;
        if (RSASSA_PSS_OID.equals(oid)) {
            digest = pssDigest(cert);
        } else {
            String sigAlg = cert.getSigAlgName().toUpperCase(Locale.ROOT).replace("-", "");
            int with = sigAlg.indexOf("WITH");
            digest = with > 0 ? sigAlg.substring(0, with) : null;
        }
        String hash = digest == null ? null : rfc5929Hash(digest.toUpperCase(Locale.ROOT).replace("-", ""));
        if (hash != null) {
            return hash;
        }
        boolean edwards = ED25519_OID.equals(oid) || ED448_OID.equals(oid);
        throw new AuthenticationException("cannot derive the tls-server-end-point hash from the server certificate's"
                + " signature algorithm " + cert.getSigAlgName() + " (" + oid + ")"
                + (edwards ? ", which signs without a separate hash (libpq and the server cannot bind with it either)"
                        : "")
                + "; channel binding is impossible with this certificate: use channelBinding=disable, or a server"
                + " certificate signed with RSA, RSA-PSS or ECDSA and SHA-2");
    }

    private static String rfc5929Hash(String digest) {
        switch (digest) {
            case "MD5":
            case "SHA1":
            case "SHA":
            case "SHA256":
                return "SHA-256";
            case "SHA224":
                return "SHA-224";
            case "SHA384":
                return "SHA-384";
            case "SHA512":
                return "SHA-512";
            case "SHA3224":
                return "SHA3-224";
            case "SHA3256":
                return "SHA3-256";
            case "SHA3384":
                return "SHA3-384";
            case "SHA3512":
                return "SHA3-512";
            default:
                return null;
        }
    }

    /** The hash named in RSASSA-PSS parameters (RFC 4055), or null when they cannot be read. */
    private static String pssDigest(X509Certificate cert) {
        byte[] params = cert.getSigAlgParams();
        if (params == null) {
            return "SHA1"; // RFC 4055: absent parameters mean the defaults, SHA-1
        }
        try {
            AlgorithmParameters ap = AlgorithmParameters.getInstance("RSASSA-PSS");
            ap.init(params);
            return ap.getParameterSpec(PSSParameterSpec.class).getDigestAlgorithm();
        } catch (GeneralSecurityException | java.io.IOException e) {
            return null;
        }
    }
}
