package io.camelpgrepl.pgoutput;

/**
 * A PostgreSQL {@code interval}: months, days and microseconds kept apart, as the server stores them (a month
 * is not a fixed number of days, a day not a fixed number of hours). {@link #toString()} prints the value as
 * PostgreSQL does with its default {@code IntervalStyle = postgres}, e.g. {@code 1 year 2 mons -3 days
 * +04:05:06.5}. PostgreSQL 17's {@code infinity} and {@code -infinity} are {@link #INFINITY} and
 * {@link #NEGATIVE_INFINITY} (the server's own encoding: every field at its maximum, or minimum).
 */
public record PgInterval(int months, int days, long micros) {

    public static final PgInterval INFINITY = new PgInterval(Integer.MAX_VALUE, Integer.MAX_VALUE, Long.MAX_VALUE);
    public static final PgInterval NEGATIVE_INFINITY =
            new PgInterval(Integer.MIN_VALUE, Integer.MIN_VALUE, Long.MIN_VALUE);

    public boolean isInfinite() {
        return equals(INFINITY) || equals(NEGATIVE_INFINITY);
    }

    @Override
    public String toString() {
        if (equals(INFINITY)) {
            return "infinity";
        }
        if (equals(NEGATIVE_INFINITY)) {
            return "-infinity";
        }
        StringBuilder sb = new StringBuilder(32);
        boolean[] state = {true, false}; // isZero, isBefore
        addPart(sb, months / 12, "year", state);
        addPart(sb, months % 12, "mon", state);
        addPart(sb, days, "day", state);
        long[] hms = timeParts();
        long hour = hms[0];
        long min = hms[1];
        long sec = hms[2];
        long fsec = hms[3];
        boolean isZero = state[0];
        if (isZero || hour != 0 || min != 0 || sec != 0 || fsec != 0) {
            boolean minus = hour < 0 || min < 0 || sec < 0 || fsec < 0;
            if (!isZero) {
                sb.append(' ');
            }
            sb.append(minus ? "-" : (state[1] ? "+" : ""));
            pad2(sb, Math.abs(hour));
            sb.append(':');
            pad2(sb, Math.abs(min));
            sb.append(':');
            pad2(sb, Math.abs(sec));
            PgText.appendFraction(sb, Math.abs(fsec));
        }
        return sb.toString();
    }

    /**
     * The value as PostgreSQL prints it with {@code IntervalStyle = iso_8601} (its {@code EncodeInterval}): e.g.
     * {@code P1Y2M3DT4H5M6.5S}, {@code P-1DT2H3M}, {@code PT-0.000001S}; zero is {@code PT0S}; each part keeps
     * its own sign, as the server stores them; the infinities print {@code infinity} and {@code -infinity}.
     */
    public String toIso8601() {
        if (equals(INFINITY)) {
            return "infinity";
        }
        if (equals(NEGATIVE_INFINITY)) {
            return "-infinity";
        }
        long[] hms = timeParts();
        long hour = hms[0];
        long min = hms[1];
        long sec = hms[2];
        long fsec = hms[3];
        if (months == 0 && days == 0 && micros == 0) {
            return "PT0S";
        }
        StringBuilder sb = new StringBuilder(24).append('P');
        isoPart(sb, months / 12, 'Y');
        isoPart(sb, months % 12, 'M');
        isoPart(sb, days, 'D');
        if (micros != 0) {
            sb.append('T');
        }
        isoPart(sb, hour, 'H');
        isoPart(sb, min, 'M');
        if (sec != 0 || fsec != 0) {
            if (sec < 0 || fsec < 0) {
                sb.append('-');
            }
            sb.append(Math.abs(sec));
            PgText.appendFraction(sb, Math.abs(fsec));
            sb.append('S');
        }
        return sb.toString();
    }

    /** Hours, minutes, seconds, microseconds of the time part, each truncated toward zero as the server does. */
    private long[] timeParts() {
        long rest = micros % 3_600_000_000L;
        return new long[] {micros / 3_600_000_000L, rest / 60_000_000L, rest % 60_000_000L / 1_000_000L,
            rest % 1_000_000L};
    }

    private static void isoPart(StringBuilder sb, long value, char unit) {
        if (value != 0) {
            sb.append(value).append(unit);
        }
    }

    private static void addPart(StringBuilder sb, long value, String unit, boolean[] state) {
        if (value == 0) {
            return;
        }
        if (!state[0]) {
            sb.append(' ');
        }
        if (state[1] && value > 0) {
            sb.append('+');
        }
        sb.append(value).append(' ').append(unit);
        if (value != 1) {
            sb.append('s');
        }
        state[1] = value < 0;
        state[0] = false;
    }

    private static void pad2(StringBuilder sb, long v) {
        if (v < 10) {
            sb.append('0');
        }
        sb.append(v);
    }
}
