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
        long hour = micros / 3_600_000_000L;
        long rest = micros % 3_600_000_000L;
        long min = rest / 60_000_000L;
        rest = rest % 60_000_000L;
        long sec = rest / 1_000_000L;
        long fsec = rest % 1_000_000L;
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
