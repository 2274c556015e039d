package io.camelpgrepl.camel;

import io.camelpgrepl.client.OptionValues;
import io.camelpgrepl.client.ReplicationClient;

/** The body of each exchange (option {@code outputFormat}); each format has its {@link ExchangeMapper}. */
public enum OutputFormat {
    /** A decoded row change (and, when asked for, transaction, relation and outcome events). */
    CHANGE,
    /** Every pgoutput message the server sends, as its bytes, one exchange each. */
    RAW;

    /** Parses {@code change} or {@code raw}, case-insensitively. */
    public static OutputFormat parse(String text) {
        return OptionValues.parse(OutputFormat.class, "outputFormat", text, OutputFormat::toString);
    }

    /** The option's spelling, e.g. {@code change}. */
    @Override
    public String toString() {
        return OptionValues.lowerDashed(this);
    }

    /** A mapper for one connection: mappers keep per-stream state (relation cache, open transaction). */
    ExchangeMapper newMapper(PgReplConfiguration cfg, ReplicationClient client) {
        return switch (this) {
            case CHANGE -> new ChangeExchangeMapper(cfg, client.serverInfo().protoVersion(), client.config().streaming());
            case RAW -> new RawExchangeMapper(cfg.getSlot(), client.serverInfo().protoVersion(), client.config().streaming());
        };
    }
}
