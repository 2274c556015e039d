package io.camelpgrepl.client;

import java.util.Locale;

/** libpq's {@code channel_binding}: whether SCRAM-SHA-256-PLUS (tls-server-end-point) is used. */
public enum ChannelBinding {
    /** Never use channel binding. */
    DISABLE,
    /** Use it when TLS is on and the server offers SCRAM-SHA-256-PLUS (the default). */
    PREFER,
    /** Insist on it: no TLS, no -PLUS offer, or an underivable certificate hash is an error. */
    REQUIRE;

    public static ChannelBinding parse(String text) {
        String s = text.trim().toUpperCase(Locale.ROOT);
        for (ChannelBinding c : values()) {
            if (c.name().equals(s)) {
                return c;
            }
        }
        throw new ConfigurationException("channelBinding '" + text + "' is not one of disable, prefer, require");
    }
}
