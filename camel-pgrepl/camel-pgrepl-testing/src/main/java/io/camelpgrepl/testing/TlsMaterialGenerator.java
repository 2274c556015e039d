package io.camelpgrepl.testing;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import javax.security.auth.x500.X500Principal;

import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.OutputEncryptor;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.openssl.PKCS8Generator;

/** Generates the {@link TlsMaterial} of this JVM with BouncyCastle, once. */
final class TlsMaterialGenerator {

    private static volatile TlsMaterialGenerator shared;

    private final TlsMaterial material;
    private final Map<TlsMaterial.ServerCertSignature, TlsMaterial.ServerFiles> serverFiles =
            new EnumMap<>(TlsMaterial.ServerCertSignature.class);
    private final AtomicLong serial = new AtomicLong(System.currentTimeMillis());

    static TlsMaterialGenerator shared() {
        TlsMaterialGenerator current = shared;
        if (current == null) {
            synchronized (TlsMaterialGenerator.class) {
                current = shared;
                if (current == null) {
                    current = new TlsMaterialGenerator();
                    shared = current;
                }
            }
        }
        return current;
    }

    TlsMaterial material() {
        return material;
    }

    TlsMaterial.ServerFiles serverFiles(TlsMaterial.ServerCertSignature signature) {
        return serverFiles.get(signature);
    }

    private TlsMaterialGenerator() {
        try {
            Path dir = Files.createTempDirectory("camel-pgrepl-tls-");
            Runtime.getRuntime().addShutdownHook(new Thread(() -> PostgresBinaries.deleteTree(dir), "camel-pgrepl-tls-cleanup"));
            KeyPair caKey = rsa();
            X509Certificate ca = caCert("CN=camel-pgrepl test CA", caKey, "SHA256withRSA");
            KeyPair ecCaKey = ec();
            X509Certificate ecCa = caCert("CN=camel-pgrepl test EC CA", ecCaKey, "SHA256withECDSA");
            KeyPair wrongCaKey = rsa();
            X509Certificate wrongCa = caCert("CN=camel-pgrepl wrong CA", wrongCaKey, "SHA256withRSA");

            KeyPair serverRsa = rsa();
            KeyPair serverEc = ec();
            X509Certificate[] serverCerts = {
                    serverCert(serverRsa.getPublic(), ca, caKey.getPrivate(), "SHA256withRSA"),
                    serverCert(serverRsa.getPublic(), ca, caKey.getPrivate(), "SHA384withRSA"),
                    serverCert(serverEc.getPublic(), ecCa, ecCaKey.getPrivate(), "SHA256withECDSA")};
            for (TlsMaterial.ServerCertSignature s : TlsMaterial.ServerCertSignature.values()) {
                String base = "server-" + s.name().toLowerCase();
                PrivateKey key = s == TlsMaterial.ServerCertSignature.SHA256_WITH_ECDSA ? serverEc.getPrivate() : serverRsa.getPrivate();
                serverFiles.put(s, new TlsMaterial.ServerFiles(
                        write(dir.resolve(base + ".crt"), pem(serverCerts[s.ordinal()])),
                        write(dir.resolve(base + ".key"), pkcs8Pem(key, null))));
            }

            KeyPair clientRsa = rsa();
            X509Certificate clientCert = clientCert(clientRsa.getPublic(), ca, caKey.getPrivate(), "SHA256withRSA");
            KeyPair clientEc = ec();
            X509Certificate ecClientCert = clientCert(clientEc.getPublic(), ca, caKey.getPrivate(), "SHA256withRSA");

            material = new TlsMaterial(dir,
                    write(dir.resolve("ca.crt"), pem(ca) + pem(ecCa)),
                    write(dir.resolve("wrong-ca.crt"), pem(wrongCa)),
                    write(dir.resolve("client.crt"), pem(clientCert)),
                    write(dir.resolve("client.pkcs8.key"), pkcs8Pem(clientRsa.getPrivate(), null)),
                    write(dir.resolve("client.pkcs1.key"), pem(clientRsa.getPrivate())),
                    write(dir.resolve("client.encrypted.key"), pkcs8Pem(clientRsa.getPrivate(), encryptor())),
                    writeBytes(dir.resolve("client.pk8"), clientRsa.getPrivate().getEncoded()),
                    pkcs12(dir.resolve("client.p12"), clientRsa.getPrivate(), clientCert, ca),
                    write(dir.resolve("client-ec.crt"), pem(ecClientCert)),
                    write(dir.resolve("client-ec.sec1.key"), sec1Pem(clientEc)),
                    write(dir.resolve("client-ec.pkcs8.key"), pkcs8Pem(clientEc.getPrivate(), null)),
                    write(dir.resolve("client-ec.encrypted.key"), pkcs8Pem(clientEc.getPrivate(), encryptor())));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the test TLS material", e);
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot generate the test TLS material", e);
        }
    }

    private static KeyPair rsa() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    private static KeyPair ec() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
    }

    private X509Certificate caCert(String dn, KeyPair key, String signature) throws GeneralSecurityException, IOException,
            OperatorCreationException {
        X500Principal name = new X500Principal(dn);
        X509v3CertificateBuilder builder = builder(name, name, key.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        return sign(builder, key.getPrivate(), signature);
    }

    private X509Certificate serverCert(PublicKey key, X509Certificate ca, PrivateKey caKey, String signature)
            throws GeneralSecurityException, IOException, OperatorCreationException {
        X509v3CertificateBuilder builder = builder(ca.getSubjectX500Principal(),
                new X500Principal("CN=camel-pgrepl test server"), key)
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                .addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(new GeneralName(GeneralName.dNSName, "localhost")));
        return sign(builder, caKey, signature);
    }

    private X509Certificate clientCert(PublicKey key, X509Certificate ca, PrivateKey caKey, String signature)
            throws GeneralSecurityException, IOException, OperatorCreationException {
        X509v3CertificateBuilder builder = builder(ca.getSubjectX500Principal(),
                new X500Principal("CN=" + TestUsers.CERT_USER), key)
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        return sign(builder, caKey, signature);
    }

    private X509v3CertificateBuilder builder(X500Principal issuer, X500Principal subject, PublicKey key) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(serial.incrementAndGet()),
                Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(3650))), subject, key);
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey key, String signature)
            throws GeneralSecurityException, OperatorCreationException {
        return new JcaX509CertificateConverter().getCertificate(builder.build(new JcaContentSignerBuilder(signature).build(key)));
    }

    private static OutputEncryptor encryptor() throws OperatorCreationException {
        return new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                .setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider()) // not registered globally on purpose
                .setPRF(PKCS8Generator.PRF_HMACSHA256)
                .setIterationCount(2048)
                .setRandom(new SecureRandom())
                .setPassword(TlsMaterial.KEY_PASSWORD.toCharArray())
                .build();
    }

    /** PEM of a certificate, or of a key in its traditional form (PKCS#1 for RSA, SEC1 for EC). */
    private static String pem(Object object) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        }
        return out.toString();
    }

    /**
     * SEC1 ({@code BEGIN EC PRIVATE KEY}) as OpenSSL writes it, with the curve OID and the public key:
     * the JDK's PKCS#8 encoding leaves both out of the inner structure, so it cannot be reused as is.
     */
    private static String sec1Pem(KeyPair ec) throws IOException {
        java.security.interfaces.ECPrivateKey key = (java.security.interfaces.ECPrivateKey) ec.getPrivate();
        org.bouncycastle.asn1.x509.SubjectPublicKeyInfo publicKey =
                org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(ec.getPublic().getEncoded());
        org.bouncycastle.asn1.sec.ECPrivateKey sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(
                key.getParams().getOrder().bitLength(), key.getS(), publicKey.getPublicKeyData(),
                org.bouncycastle.asn1.sec.SECObjectIdentifiers.secp256r1);
        StringWriter out = new StringWriter();
        try (org.bouncycastle.util.io.pem.PemWriter writer = new org.bouncycastle.util.io.pem.PemWriter(out)) {
            writer.writeObject(new org.bouncycastle.util.io.pem.PemObject("EC PRIVATE KEY", sec1.getEncoded()));
        }
        return out.toString();
    }

    private static String pkcs8Pem(PrivateKey key, OutputEncryptor encryptor) throws IOException {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(new JcaPKCS8Generator(key, encryptor));
        }
        return out.toString();
    }

    private static Path pkcs12(Path file, PrivateKey key, X509Certificate cert, X509Certificate ca)
            throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setKeyEntry("user", key, TlsMaterial.KEY_PASSWORD.toCharArray(), new Certificate[] {cert, ca});
        try (var out = Files.newOutputStream(file)) {
            store.store(out, TlsMaterial.KEY_PASSWORD.toCharArray());
        }
        return file;
    }

    private static Path write(Path file, String text) throws IOException {
        return writeBytes(file, text.getBytes(StandardCharsets.US_ASCII));
    }

    /** Owner-only files: libpq-style clients refuse keys others can read. */
    private static Path writeBytes(Path file, byte[] bytes) throws IOException {
        Files.write(file, bytes);
        Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        return file;
    }
}
