package io.camelpgrepl.client;

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
        return OptionValues.parse(SslMode.class, "sslMode", text, SslMode::libpqName);
    }

    /** libpq's spelling, e.g. {@code verify-full}. */
    public String libpqName() {
        return OptionValues.lowerDashed(this);
    }

    @Override
    public String toString() {
        return libpqName();
    }

    public boolean verifiesChain() {
        return this == VERIFY_CA || this == VERIFY_FULL;
    }
}
