package io.camelpgrepl.client;

/** libpq's {@code channel_binding}: whether SCRAM-SHA-256-PLUS (tls-server-end-point) is used. */
public enum ChannelBinding {
    /** Never use channel binding. */
    DISABLE,
    /** Use it when TLS is on and the server offers SCRAM-SHA-256-PLUS (the default). */
    PREFER,
    /** Insist on it: no TLS, no -PLUS offer, or an underivable certificate hash is an error. */
    REQUIRE;

    /** Parses {@code disable}, {@code prefer} or {@code require}, case-insensitively. */
    public static ChannelBinding parse(String text) {
        return OptionValues.parse(ChannelBinding.class, "channelBinding", text, ChannelBinding::toString);
    }

    /** libpq's spelling, e.g. {@code require}. */
    @Override
    public String toString() {
        return OptionValues.lowerDashed(this);
    }
}
