package io.camelpgrepl.client.tls;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Cipher;
import javax.crypto.EncryptedPrivateKeyInfo;
import javax.crypto.SecretKey;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

import io.camelpgrepl.client.TlsException;

/**
 * Certificates and private keys from PEM, with the JDK alone: PKCS#8, PKCS#1 RSA and SEC1 EC (re-wrapped into
 * PKCS#8 DER), and encrypted PKCS#8 (PBES2 as OpenSSL writes it, e.g. AES-256-CBC with HMAC-SHA256).
 * Error messages name the file and the cause, never key material or passwords.
 */
public final class PemKeys {

    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);

    private static final String OID_RSA = "1.2.840.113549.1.1.1";
    private static final String OID_EC = "1.2.840.10045.2.1";

    private PemKeys() {
    }

    /** Every certificate in the file, in order (a leaf followed by its chain, or a set of roots). */
    public static List<X509Certificate> readCertificates(Path file) throws TlsException {
        return readCertificates(read(file, "certificate"), file.toString());
    }

    public static List<X509Certificate> readCertificates(String pem, String source) throws TlsException {
        List<X509Certificate> certs = new ArrayList<>();
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            for (Block b : blocks(pem, source)) {
                if (b.type.equals("CERTIFICATE") || b.type.equals("X509 CERTIFICATE")
                        || b.type.equals("TRUSTED CERTIFICATE")) {
                    certs.add((X509Certificate) cf.generateCertificate(new ByteArrayInputStream(b.der)));
                }
            }
        } catch (CertificateException e) {
            throw new TlsException("cannot read certificate " + source + ": " + e.getMessage(), e);
        }
        if (certs.isEmpty()) {
            throw new TlsException("cannot read certificate " + source + ": no BEGIN CERTIFICATE block in the file");
        }
        return certs;
    }

    /** The first private key in the file; {@code password} is needed only for an encrypted key. */
    public static PrivateKey readPrivateKey(Path file, String password) throws TlsException {
        return readPrivateKey(read(file, "key"), password, file.toString());
    }

    public static PrivateKey readPrivateKey(String pem, String password, String source) throws TlsException {
        for (Block b : blocks(pem, source)) {
            switch (b.type) {
                case "PRIVATE KEY":
                    return pkcs8(b.der, source);
                case "RSA PRIVATE KEY":
                    legacyEncryptionCheck(b, source);
                    return pkcs8(wrapPkcs8(algorithmIdentifier(OID_RSA, new byte[] {0x05, 0x00}), b.der), source);
                case "EC PRIVATE KEY":
                    legacyEncryptionCheck(b, source);
                    return pkcs8(wrapPkcs8(algorithmIdentifier(OID_EC, sec1CurveOid(b.der, source)), b.der), source);
                case "ENCRYPTED PRIVATE KEY":
                    return encryptedPkcs8(b.der, password, source);
                default:
                    break;
            }
        }
        throw new TlsException("cannot read sslKey " + source + ": no private key in the file (expected BEGIN PRIVATE"
                + " KEY, RSA PRIVATE KEY, EC PRIVATE KEY or ENCRYPTED PRIVATE KEY)");
    }

    private static PrivateKey pkcs8(byte[] der, String source) {
        String algorithm;
        try {
            algorithm = keyAlgorithm(der);
        } catch (RuntimeException e) {
            throw new TlsException("cannot read sslKey " + source + ": not a valid PKCS#8 private key", e);
        }
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new TlsException("cannot read sslKey " + source + ": invalid " + algorithm + " private key ("
                    + e.getClass().getSimpleName() + ")", e);
        }
    }

    private static PrivateKey encryptedPkcs8(byte[] der, String password, String source) {
        if (password == null) {
            throw new TlsException("cannot read sslKey " + source + ": encrypted key needs sslKeyPassword");
        }
        EncryptedPrivateKeyInfo info;
        try {
            info = new EncryptedPrivateKeyInfo(der);
        } catch (IOException e) {
            throw new TlsException("cannot read sslKey " + source + ": not a valid encrypted PKCS#8 key", e);
        }
        // For PBES2 the JDK reports the algorithm name through the parameters, e.g. PBEWithHmacSHA256AndAES_256.
        String algorithm = info.getAlgParameters() != null ? info.getAlgParameters().toString() : info.getAlgName();
        PBEKeySpec spec = new PBEKeySpec(password.toCharArray());
        PKCS8EncodedKeySpec plain;
        try {
            SecretKey key = SecretKeyFactory.getInstance(algorithm).generateSecret(spec);
            Cipher cipher = Cipher.getInstance(algorithm);
            cipher.init(Cipher.DECRYPT_MODE, key, info.getAlgParameters());
            plain = info.getKeySpec(cipher);
        } catch (NoSuchAlgorithmException e) {
            throw new TlsException("cannot read sslKey " + source + ": key encryption " + algorithm
                    + " is not supported by this JVM; re-encrypt it with `openssl pkcs8 -topk8 -v2 aes-256-cbc`", e);
        } catch (GeneralSecurityException e) {
            throw new TlsException("cannot read sslKey " + source + ": wrong sslKeyPassword or corrupt key", e);
        } finally {
            spec.clearPassword();
        }
        try {
            return pkcs8(plain.getEncoded(), source);
        } catch (TlsException e) {
            // A wrong password sometimes decrypts with valid padding into garbage.
            throw new TlsException("cannot read sslKey " + source + ": wrong sslKeyPassword or corrupt key", e);
        }
    }

    private static void legacyEncryptionCheck(Block b, String source) {
        if (b.headers.contains("Proc-Type: 4,ENCRYPTED")) {
            throw new TlsException("cannot read sslKey " + source + ": legacy OpenSSL key encryption (Proc-Type:"
                    + " 4,ENCRYPTED) is not supported; convert the key with"
                    + " `openssl pkcs8 -topk8 -v2 aes-256-cbc -in key.pem -out key.p8.pem`");
        }
    }

    /** ECPrivateKey ::= SEQUENCE { version, privateKey OCTET STRING, [0] ECParameters, [1] publicKey }. */
    private static byte[] sec1CurveOid(byte[] der, String source) {
        try {
            Der seq = Der.read(der, 0);
            int pos = seq.contentStart;
            while (pos < seq.end) {
                Der item = Der.read(der, pos);
                if (item.tag == 0xA0) {
                    Der oid = Der.read(der, item.contentStart);
                    if (oid.tag == 0x06) {
                        byte[] out = new byte[oid.end - oid.start];
                        System.arraycopy(der, oid.start, out, 0, out.length);
                        return out;
                    }
                }
                pos = item.end;
            }
        } catch (RuntimeException e) {
            throw new TlsException("cannot read sslKey " + source + ": not a valid SEC1 EC private key", e);
        }
        throw new TlsException("cannot read sslKey " + source + ": the EC key has no named-curve parameters; convert"
                + " it with `openssl pkcs8 -topk8 -nocrypt`");
    }

    private static byte[] algorithmIdentifier(String oid, byte[] parametersTlv) {
        return tlv(0x30, concat(tlv(0x06, encodeOid(oid)), parametersTlv));
    }

    private static byte[] wrapPkcs8(byte[] algorithmIdentifier, byte[] privateKey) {
        return tlv(0x30, concat(new byte[] {0x02, 0x01, 0x00}, algorithmIdentifier, tlv(0x04, privateKey)));
    }

    /** The OID in PrivateKeyInfo.privateKeyAlgorithm, mapped to a JCA KeyFactory name. */
    private static String keyAlgorithm(byte[] der) {
        Der info = Der.read(der, 0);
        Der version = Der.read(der, info.contentStart);
        Der algId = Der.read(der, version.end);
        Der oid = Der.read(der, algId.contentStart);
        if (info.tag != 0x30 || algId.tag != 0x30 || oid.tag != 0x06) {
            throw new IllegalArgumentException("not PrivateKeyInfo");
        }
        String text = decodeOid(der, oid.contentStart, oid.end);
        switch (text) {
            case OID_RSA:
                return "RSA";
            case "1.2.840.113549.1.1.10":
                return "RSASSA-PSS";
            case OID_EC:
                return "EC";
            case "1.3.101.112":
                return "Ed25519";
            case "1.3.101.113":
                return "Ed448";
            case "1.2.840.10040.4.1":
                return "DSA";
            default:
                throw new IllegalArgumentException("unknown key algorithm " + text);
        }
    }

    private static byte[] read(Path file, String what) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new TlsException("cannot read " + what + " file " + file + ": " + e, e);
        }
    }

    private static String readPem(byte[] bytes) {
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    private static List<X509Certificate> readCertificates(byte[] bytes, String source) {
        return readCertificates(readPem(bytes), source);
    }

    private static PrivateKey readPrivateKey(byte[] bytes, String password, String source) {
        return readPrivateKey(readPem(bytes), password, source);
    }

    private record Block(String type, String headers, byte[] der) {
    }

    private static List<Block> blocks(String pem, String source) {
        List<Block> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(pem);
        while (m.find()) {
            String body = m.group(2);
            StringBuilder headers = new StringBuilder();
            StringBuilder base64 = new StringBuilder();
            for (String line : body.split("\\r?\\n")) {
                String t = line.trim();
                if (t.contains(":")) {
                    headers.append(t).append('\n');
                } else {
                    base64.append(t);
                }
            }
            try {
                out.add(new Block(m.group(1).toUpperCase(Locale.ROOT), headers.toString(),
                        Base64.getDecoder().decode(base64.toString())));
            } catch (IllegalArgumentException e) {
                throw new TlsException("cannot read " + source + ": the " + m.group(1) + " block is not valid base64");
            }
        }
        if (out.isEmpty()) {
            throw new TlsException("cannot read " + source + ": not a PEM file (no -----BEGIN ...----- block)");
        }
        return out;
    }

    // ---- minimal DER ----

    private static final class Der {
        final int tag;
        final int start;
        final int contentStart;
        final int end;

        private Der(int tag, int start, int contentStart, int end) {
            this.tag = tag;
            this.start = start;
            this.contentStart = contentStart;
            this.end = end;
        }

        static Der read(byte[] b, int pos) {
            int tag = b[pos] & 0xff;
            int len = b[pos + 1] & 0xff;
            int p = pos + 2;
            if (len >= 0x80) {
                int n = len & 0x7f;
                if (n == 0 || n > 3) {
                    throw new IllegalArgumentException("unsupported DER length");
                }
                len = 0;
                for (int i = 0; i < n; i++) {
                    len = (len << 8) | (b[p++] & 0xff);
                }
            }
            if (p + len > b.length) {
                throw new IllegalArgumentException("truncated DER");
            }
            return new Der(tag, pos, p, p + len);
        }
    }

    private static byte[] tlv(int tag, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(tag);
        int len = content.length;
        if (len < 0x80) {
            out.write(len);
        } else if (len < 0x100) {
            out.write(0x81);
            out.write(len);
        } else if (len < 0x10000) {
            out.write(0x82);
            out.write(len >> 8);
            out.write(len);
        } else {
            out.write(0x83);
            out.write(len >> 16);
            out.write(len >> 8);
            out.write(len);
        }
        out.writeBytes(content);
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] encodeOid(String oid) {
        String[] arcs = oid.split("\\.");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(Integer.parseInt(arcs[0]) * 40 + Integer.parseInt(arcs[1]));
        for (int i = 2; i < arcs.length; i++) {
            long v = Long.parseLong(arcs[i]);
            int shift = 63 - Long.numberOfLeadingZeros(v | 1);
            for (int s = (shift / 7) * 7; s > 0; s -= 7) {
                out.write((int) (0x80 | ((v >> s) & 0x7f)));
            }
            out.write((int) (v & 0x7f));
        }
        return out.toByteArray();
    }

    private static String decodeOid(byte[] b, int from, int to) {
        StringBuilder sb = new StringBuilder();
        int first = b[from] & 0xff;
        sb.append(first / 40).append('.').append(first % 40);
        long v = 0;
        for (int i = from + 1; i < to; i++) {
            v = (v << 7) | (b[i] & 0x7f);
            if ((b[i] & 0x80) == 0) {
                sb.append('.').append(v);
                v = 0;
            }
        }
        return sb.toString();
    }
}
