package io.camelpgrepl.client.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/** Test-only certificates and PEM files, generated on the fly with BouncyCastle. */
public final class TestCertificates {

    private static final BouncyCastleProvider BC = new BouncyCastleProvider();

    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    /** A certificate with its key pair. */
    public record Issued(X509Certificate certificate, KeyPair keys) {
    }

    private TestCertificates() {
    }

    public static KeyPair rsa() {
        return generate("RSA", 2048);
    }

    public static KeyPair ec() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static KeyPair generate(String algorithm, int size) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
            if (size > 0) {
                g.initialize(size);
            }
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static Issued selfSignedCa(String cn) {
        KeyPair keys = rsa();
        return new Issued(build(cn, keys, cn, keys.getPrivate(), "SHA256withRSA", true, new GeneralName[0]), keys);
    }

    /** A leaf certificate for {@code cn} with the given subject alternative names, signed by {@code issuer}. */
    public static Issued leaf(String cn, Issued issuer, GeneralName... sans) {
        KeyPair keys = rsa();
        X509Certificate cert = build(cn, keys, issuer.certificate().getSubjectX500Principal().getName(),
                issuer.keys().getPrivate(), "SHA256withRSA", false, sans);
        return new Issued(cert, keys);
    }

    /** A self-signed leaf certificate signed with {@code sigAlg} (e.g. SHA384withRSA, Ed25519). */
    public static Issued selfSigned(String cn, KeyPair keys, String sigAlg, GeneralName... sans) {
        return new Issued(build(cn, keys, "CN=" + cn, keys.getPrivate(), sigAlg, false, sans), keys);
    }

    public static GeneralName dns(String name) {
        return new GeneralName(GeneralName.dNSName, name);
    }

    public static GeneralName ip(String address) {
        return new GeneralName(GeneralName.iPAddress, address);
    }

    private static X509Certificate build(String cn, KeyPair subjectKeys, String issuerDn, PrivateKey issuerKey,
            String sigAlg, boolean ca, GeneralName[] sans) {
        try {
            Instant now = Instant.now();
            String subject = cn.startsWith("CN=") ? cn : "CN=" + cn;
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                    new X500Name(issuerDn.startsWith("CN=") ? issuerDn : "CN=" + issuerDn),
                    BigInteger.valueOf(SERIAL.incrementAndGet()), Date.from(now.minus(1, ChronoUnit.HOURS)),
                    Date.from(now.plus(1, ChronoUnit.DAYS)), new X500Name(subject), subjectKeys.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            if (ca) {
                b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            }
            if (sans.length > 0) {
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(sans));
            }
            return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder(sigAlg).setProvider(BC)
                    .build(issuerKey)));
        } catch (Exception e) {
            throw new IllegalStateException("cannot build test certificate " + cn, e);
        }
    }

    /** PEM text of any BC-writable object (certificate, key pair, private key in PKCS#1/SEC1 form, ...). */
    public static String pem(Object... objects) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            for (Object o : objects) {
                w.writeObject(o);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }

    public static Path write(Path dir, String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text, StandardCharsets.US_ASCII);
        return p;
    }
}
