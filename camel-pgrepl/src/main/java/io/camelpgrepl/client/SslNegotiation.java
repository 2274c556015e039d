package io.camelpgrepl.client;

/** libpq's {@code sslnegotiation}. */
public enum SslNegotiation {
    /** Send SSLRequest and upgrade when the server answers 'S' (every PostgreSQL version). */
    POSTGRES,
    /** PostgreSQL 17+: start TLS immediately, with ALPN {@code postgresql}; saves a round trip. */
    DIRECT;

    /** Parses {@code postgres} or {@code direct}, case-insensitively. */
    public static SslNegotiation parse(String text) {
        return OptionValues.parse(SslNegotiation.class, "sslNegotiation", text, SslNegotiation::toString);
    }

    /** libpq's spelling, e.g. {@code direct}. */
    @Override
    public String toString() {
        return OptionValues.lowerDashed(this);
    }
}
