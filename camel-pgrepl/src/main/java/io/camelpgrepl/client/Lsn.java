package io.camelpgrepl.client;


/**
 * A PostgreSQL write-ahead-log position (an {@code XLogRecPtr}): an unsigned 64-bit byte offset.
 *
 * <p>Prints as PostgreSQL does ({@code 16/B374D848}: two halves in upper-case hex, no padding) and
 * parses both padded and unpadded forms. Ordering is unsigned. {@link #INVALID} ({@code 0/0}) is what
 * PostgreSQL calls {@code InvalidXLogRecPtr}.
 */
public final class Lsn implements Comparable<Lsn> {

    /** {@code 0/0}: "no position"; in a standby status update the server ignores it. */
    public static final Lsn INVALID = new Lsn(0L);

    private final long value;

    private Lsn(long value) {
        this.value = value;
    }

    /** The LSN with this raw 64-bit value (treated as unsigned). */
    public static Lsn of(long value) {
        return value == 0L ? INVALID : new Lsn(value);
    }

    /**
     * Parses {@code X/Y} where X and Y are 1 to 8 hexadecimal digits (either case).
     *
     * @throws IllegalArgumentException naming the bad text when it is not an LSN
     */
    public static Lsn parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("LSN is null; expected the form X/Y, e.g. 16/B374D848");
        }
        String s = text.trim();
        int slash = s.indexOf('/');
        if (slash <= 0 || slash == s.length() - 1 || s.indexOf('/', slash + 1) >= 0) {
            throw new IllegalArgumentException(
                    "Not an LSN: '" + text + "'; expected two hex halves as X/Y, e.g. 16/B374D848");
        }
        long hi = parseHalf(s, 0, slash, text);
        long lo = parseHalf(s, slash + 1, s.length(), text);
        return of((hi << 32) | lo);
    }

    private static long parseHalf(String s, int from, int to, String original) {
        if (to - from > 8) {
            throw new IllegalArgumentException(
                    "Not an LSN: '" + original + "'; each half must fit 32 bits (at most 8 hex digits)");
        }
        long v = 0;
        for (int i = from; i < to; i++) {
            int d = Character.digit(s.charAt(i), 16);
            if (d < 0) {
                throw new IllegalArgumentException(
                        "Not an LSN: '" + original + "'; '" + s.charAt(i) + "' is not a hex digit");
            }
            v = (v << 4) | d;
        }
        return v;
    }

    /** The raw unsigned 64-bit value. */
    public long asLong() {
        return value;
    }

    public boolean isValid() {
        return value != 0L;
    }

    /** This position moved forward (or back, when negative) by {@code bytes}. */
    public Lsn plus(long bytes) {
        return of(value + bytes);
    }

    /** Bytes from {@code other} to this position: {@code this - other}, negative when this is older. */
    public long bytesSince(Lsn other) {
        return value - other.value;
    }

    public boolean isAfter(Lsn other) {
        return compareTo(other) > 0;
    }

    public boolean isBefore(Lsn other) {
        return compareTo(other) < 0;
    }

    public static Lsn max(Lsn a, Lsn b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    @Override
    public int compareTo(Lsn o) {
        return Long.compareUnsigned(value, o.value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Lsn && ((Lsn) o).value == value;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(value);
    }

    /** PostgreSQL's text form, e.g. {@code 16/B374D848}. */
    @Override
    public String toString() {
        return Long.toHexString(value >>> 32).toUpperCase(java.util.Locale.ROOT) + "/"
                + Long.toHexString(value & 0xFFFFFFFFL).toUpperCase(java.util.Locale.ROOT);
    }

}
