package io.camelpgrepl.client;

import java.util.Locale;

/** libpq's {@code sslnegotiation}. */
public enum SslNegotiation {
    /** Send SSLRequest and upgrade when the server answers 'S' (every PostgreSQL version). */
    POSTGRES,
    /** PostgreSQL 17+: start TLS immediately, with ALPN {@code postgresql}; saves a round trip. */
    DIRECT;

    public static SslNegotiation parse(String text) {
        String s = text.trim().toUpperCase(Locale.ROOT);
        for (SslNegotiation n : values()) {
            if (n.name().equals(s)) {
                return n;
            }
        }
        throw new ConfigurationException("sslNegotiation '" + text + "' is not one of postgres, direct");
    }
}
