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

    public static StreamingMode parse(String text) {
        String s = text.trim().toUpperCase(Locale.ROOT);
        switch (s) {
            case "FALSE":
                return OFF;
            case "TRUE":
                return ON;
            default:
                for (StreamingMode m : values()) {
                    if (m.name().equals(s)) {
                        return m;
                    }
                }
        }
        throw new ConfigurationException("streaming '" + text + "' is not one of off, on, parallel");
    }

    /** The value pgoutput expects. */
    public String optionValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
