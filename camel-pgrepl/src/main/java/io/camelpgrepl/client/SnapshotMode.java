package io.camelpgrepl.client;

/**
 * Whether a stream starts with the rows that already exist (option {@code snapshotMode}): read, in one consistent
 * snapshot, from every table of the publications, before the changes made after it.
 */
public enum SnapshotMode {
    /** No snapshot: only changes made after the slot's position. */
    NEVER("never"),
    /** When this consumer creates the slot, read the snapshot first, then stream from the slot's consistent point. */
    INITIAL("initial"),
    /** Read a snapshot (on a temporary slot of its own), then end the stream: a one-off export. */
    INITIAL_ONLY("initialOnly");

    private final String spelling;

    SnapshotMode(String spelling) {
        this.spelling = spelling;
    }

    /** Parses {@code never}, {@code initial} or {@code initialOnly}, case-insensitively. */
    public static SnapshotMode parse(String text) {
        return OptionValues.parse(SnapshotMode.class, "snapshotMode", text, SnapshotMode::toString);
    }

    /** The option's spelling, e.g. {@code initialOnly}. */
    @Override
    public String toString() {
        return spelling;
    }
}
