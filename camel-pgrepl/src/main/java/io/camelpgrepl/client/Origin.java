package io.camelpgrepl.client;

/** pgoutput's {@code origin} option (PostgreSQL 16+): whose changes are sent, by replication origin. */
public enum Origin {
    /** Only changes that have no replication origin (made locally, not replicated in). */
    NONE,
    /** Every change, whatever its origin (the server's default). */
    ANY;

    /** Parses {@code none} or {@code any}, case-insensitively. */
    public static Origin parse(String text) {
        return OptionValues.parse(Origin.class, "origin", text, Origin::optionValue);
    }

    /** The value pgoutput expects. */
    public String optionValue() {
        return OptionValues.lowerDashed(this);
    }

    @Override
    public String toString() {
        return optionValue();
    }
}
