package io.camelpgrepl.client;

import java.util.Locale;

/** pgoutput's {@code streaming} option: how in-progress transactions larger than the decoding memory arrive. */
public enum StreamingMode {
    /** Transactions arrive whole, after commit. */
    OFF,
    /** Large transactions are streamed in chunks before commit (protocol v2+). */
    ON,
    /** As ON, with the server free to interleave (protocol v4+, PostgreSQL 16+). */
    PARALLEL;

    /**
     * Parses {@code off}, {@code on} or {@code parallel}, case-insensitively; {@code false} and {@code true} are
     * read as off and on, as pgoutput itself reads them.
     */
    public static StreamingMode parse(String text) {
        String s = text == null ? "" : text.trim();
        if (s.equalsIgnoreCase("false")) {
            return OFF;
        }
        if (s.equalsIgnoreCase("true")) {
            return ON;
        }
        return OptionValues.parse(StreamingMode.class, "streaming", text, StreamingMode::optionValue);
    }

    /** The value pgoutput expects. */
    public String optionValue() {
        return name().toLowerCase(Locale.ROOT);
    }

    @Override
    public String toString() {
        return optionValue();
    }
}
