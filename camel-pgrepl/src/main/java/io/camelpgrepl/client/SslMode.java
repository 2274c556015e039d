package io.camelpgrepl.client;

import java.util.Locale;

/** libpq's {@code sslmode}. */
public enum SslMode {
    /** Never TLS. */
    DISABLE,
    /** Plain first; TLS only if the server insists. */
    ALLOW,
    /** TLS if the server offers it, plain otherwise (the default). No certificate verification. */
    PREFER,
    /** TLS or fail. Like libpq, verifies the chain when a root certificate is configured. */
    REQUIRE,
    /** TLS, and the server certificate must chain to the trusted root. */
    VERIFY_CA,
    /** As {@link #VERIFY_CA}, and the host (or configured server name) must match the certificate. */
    VERIFY_FULL;

    /** Parses libpq's spelling ({@code verify-full}) or the enum name, case-insensitively. */
    public static SslMode parse(String text) {
        String s = text.trim().toUpperCase(Locale.ROOT).replace('-', '_');
        for (SslMode m : values()) {
            if (m.name().equals(s)) {
                return m;
            }
        }
        throw new ConfigurationException("sslMode '" + text
                + "' is not one of disable, allow, prefer, require, verify-ca, verify-full");
    }

    /** libpq's spelling, e.g. {@code verify-full}. */
    public String libpqName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public boolean verifiesChain() {
        return this == VERIFY_CA || this == VERIFY_FULL;
    }
}
