package io.camelpgrepl.testing;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.spec.PKCS8EncodedKeySpec;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/** Reads the harness' PEM key files back, to prove each format holds the same key (test support). */
final class PemKeys {

    private PemKeys() {
    }

    /** The key as canonical JDK PKCS#8 DER, whatever its PEM format (encrypted ones with the test password). */
    static byte[] privateKeyInfo(Path pem) throws Exception {
        Object parsed = parse(pem);
        PrivateKeyInfo info;
        if (parsed instanceof PKCS8EncryptedPrivateKeyInfo encrypted) {
            info = encrypted.decryptPrivateKeyInfo(new JceOpenSSLPKCS8DecryptorProviderBuilder()
                    .setProvider(new BouncyCastleProvider()).build(TlsMaterial.KEY_PASSWORD.toCharArray()));
        } else if (parsed instanceof PEMKeyPair pair) {
            info = pair.getPrivateKeyInfo();
        } else {
            info = (PrivateKeyInfo) parsed;
        }
        return canonical(info);
    }

    static byte[] sec1PrivateKeyInfo(Path pem) throws Exception {
        return canonical(((PEMKeyPair) parse(pem)).getPrivateKeyInfo());
    }

    static byte[] sec1PublicKey(Path pem) throws Exception {
        return ((PEMKeyPair) parse(pem)).getPublicKeyInfo().getEncoded();
    }

    static byte[] certificatePublicKey(Path pem) throws Exception {
        return ((org.bouncycastle.cert.X509CertificateHolder) parse(pem)).getSubjectPublicKeyInfo().getEncoded();
    }

    /**
     * What identifies the key whatever optional fields the file carried: the JDK's PKCS#8 encoding for
     * RSA, the private scalar for EC (SEC1 files carry curve and public key, the JDK's encoding does not).
     */
    private static byte[] canonical(PrivateKeyInfo info) throws Exception {
        boolean ec = info.getPrivateKeyAlgorithm().getAlgorithm().getId().startsWith("1.2.840.10045");
        java.security.PrivateKey key = KeyFactory.getInstance(ec ? "EC" : "RSA")
                .generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
        return ec ? ((java.security.interfaces.ECPrivateKey) key).getS().toByteArray() : key.getEncoded();
    }

    private static Object parse(Path pem) throws IOException {
        try (Reader reader = Files.newBufferedReader(pem); PEMParser parser = new PEMParser(reader)) {
            return parser.readObject();
        }
    }
}
