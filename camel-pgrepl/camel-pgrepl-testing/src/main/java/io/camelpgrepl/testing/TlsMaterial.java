package io.camelpgrepl.testing;

import java.nio.file.Path;

/**
 * Certificates and keys generated at test time (once per JVM), as files the tests point clients at.
 * All client keys belong to {@code cert_user}; the server certificate names {@code DNS:localhost} only,
 * so verify-full succeeds for host {@code localhost} and fails for {@code 127.0.0.1}.
 *
 * @param directory                 where all files live
 * @param caCert                    PEM bundle of the trusted CAs (the RSA CA and the EC CA that signs the ECDSA server cert)
 * @param wrongCaCert               PEM of a CA that signed nothing the server presents
 * @param clientCert                PEM client certificate CN=cert_user, RSA key
 * @param clientKeyPkcs8            {@code BEGIN PRIVATE KEY}
 * @param clientKeyPkcs1            {@code BEGIN RSA PRIVATE KEY}
 * @param clientKeyEncryptedPkcs8   {@code BEGIN ENCRYPTED PRIVATE KEY}, PBES2 AES-256-CBC / HMAC-SHA256, password {@link #KEY_PASSWORD}
 * @param clientKeyPk8Der           PKCS#8 DER ({@code .pk8}), the form pgjdbc's sslkey reads
 * @param clientPkcs12              PKCS#12 with cert and key, password {@link #KEY_PASSWORD}
 * @param ecClientCert              PEM client certificate CN=cert_user, EC P-256 key
 * @param ecClientKeySec1           {@code BEGIN EC PRIVATE KEY}
 * @param ecClientKeyPkcs8          {@code BEGIN PRIVATE KEY} of the EC key
 * @param ecClientKeyEncryptedPkcs8 {@code BEGIN ENCRYPTED PRIVATE KEY} of the EC key
 */
public record TlsMaterial(
        Path directory,
        Path caCert,
        Path wrongCaCert,
        Path clientCert,
        Path clientKeyPkcs8,
        Path clientKeyPkcs1,
        Path clientKeyEncryptedPkcs8,
        Path clientKeyPk8Der,
        Path clientPkcs12,
        Path ecClientCert,
        Path ecClientKeySec1,
        Path ecClientKeyPkcs8,
        Path ecClientKeyEncryptedPkcs8) {

    /** Password of the encrypted client keys and of the PKCS#12 file. */
    public static final String KEY_PASSWORD = "test-key-password";

    /** The material of this JVM, generated on first use (RSA key generation is slow). */
    public static TlsMaterial get() {
        return TlsMaterialGenerator.shared().material();
    }

    /** Which signature the server certificate carries (it decides the channel-binding hash). */
    public enum ServerCertSignature {
        SHA256_WITH_RSA("SHA256withRSA"),
        SHA384_WITH_RSA("SHA384withRSA"),
        SHA256_WITH_ECDSA("SHA256withECDSA");

        private final String jcaName;

        ServerCertSignature(String jcaName) {
            this.jcaName = jcaName;
        }

        public String jcaName() {
            return jcaName;
        }
    }

    /** Server certificate and key files of one signature variant (copied into each server's data dir). */
    record ServerFiles(Path cert, Path key) {
    }

    static ServerFiles serverFiles(ServerCertSignature signature) {
        return TlsMaterialGenerator.shared().serverFiles(signature);
    }
}
