package io.camelpgrepl.pgoutput;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * The inverse of {@link PgTypes}: renders a decoded value as PostgreSQL prints it (the type's output function:
 * what text-mode pgoutput sends, {@code psql} shows and {@code SELECT col::text} gives, except that
 * {@code bool::text} is {@code true}/{@code false} and {@code char(n)::text} drops the padding, where this gives
 * {@code t}/{@code f} and keeps it) with the default settings ({@code DateStyle = ISO},
 * {@code IntervalStyle = postgres}, {@code extra_float_digits = 1}, {@code bytea_output = hex}). Timestamps with a
 * time zone print with the offset they carry: the walsender's TimeZone for text mode, UTC for binary mode.
 */
public final class PgText {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private PgText() {
    }

    /**
     * The PostgreSQL text form of {@code value} as a value of {@code typeOid}; {@code null} for SQL NULL.
     *
     * @throws IllegalArgumentException when the value's Java type is not what {@link PgTypes} produces for the
     *                                  type, or for the unchanged-TOAST marker (which has no text)
     */
    public static String toText(Object value, int typeOid) {
        if (value == null) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        append(sb, value, typeOid);
        return sb.toString();
    }

    private static void append(StringBuilder sb, Object value, int typeOid) {
        int elem = PgTypes.elementType(typeOid);
        if (elem != 0) {
            if (!(value instanceof List)) {
                throw mismatch(value, typeOid);
            }
            appendArray(sb, (List<?>) value, elem);
            return;
        }
        switch (typeOid) {
            case PgTypes.BOOL:
                sb.append(((Boolean) cast(value, Boolean.class, typeOid)) ? 't' : 'f');
                return;
            case PgTypes.INT2:
            case PgTypes.INT4:
            case PgTypes.INT8:
            case PgTypes.OID:
                sb.append(((Number) cast(value, Number.class, typeOid)).longValue());
                return;
            case PgTypes.FLOAT4:
                appendFloat(sb, ((Number) cast(value, Number.class, typeOid)).floatValue());
                return;
            case PgTypes.FLOAT8:
                appendDouble(sb, ((Number) cast(value, Number.class, typeOid)).doubleValue());
                return;
            case PgTypes.NUMERIC:
                if (value instanceof BigDecimal) {
                    sb.append(((BigDecimal) value).toPlainString());
                } else {
                    double d = ((Number) cast(value, Number.class, typeOid)).doubleValue();
                    sb.append(Double.isNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity");
                }
                return;
            case PgTypes.BYTEA:
                appendHex(sb, (byte[]) cast(value, byte[].class, typeOid));
                return;
            case PgTypes.UUID:
                sb.append(cast(value, UUID.class, typeOid));
                return;
            case PgTypes.DATE:
                appendDate(sb, (LocalDate) cast(value, LocalDate.class, typeOid), true);
                return;
            case PgTypes.TIME:
                appendTime(sb, (LocalTime) cast(value, LocalTime.class, typeOid));
                return;
            case PgTypes.TIMETZ: {
                OffsetTime t = (OffsetTime) cast(value, OffsetTime.class, typeOid);
                appendTime(sb, t.toLocalTime());
                appendOffset(sb, t.getOffset());
                return;
            }
            case PgTypes.TIMESTAMP: {
                LocalDateTime t = (LocalDateTime) cast(value, LocalDateTime.class, typeOid);
                if (t.equals(LocalDateTime.MAX)) {
                    sb.append("infinity");
                } else if (t.equals(LocalDateTime.MIN)) {
                    sb.append("-infinity");
                } else {
                    appendDate(sb, t.toLocalDate(), false);
                    sb.append(' ');
                    appendTime(sb, t.toLocalTime());
                    appendBc(sb, t.getYear());
                }
                return;
            }
            case PgTypes.TIMESTAMPTZ: {
                OffsetDateTime t = (OffsetDateTime) cast(value, OffsetDateTime.class, typeOid);
                if (t.equals(OffsetDateTime.MAX)) {
                    sb.append("infinity");
                } else if (t.equals(OffsetDateTime.MIN)) {
                    sb.append("-infinity");
                } else {
                    appendDate(sb, t.toLocalDate(), false);
                    sb.append(' ');
                    appendTime(sb, t.toLocalTime());
                    appendOffset(sb, t.getOffset());
                    appendBc(sb, t.getYear());
                }
                return;
            }
            case PgTypes.INTERVAL:
                sb.append(cast(value, PgInterval.class, typeOid));
                return;
            default:
                if (value instanceof String) {
                    sb.append((String) value);
                    return;
                }
                throw mismatch(value, typeOid);
        }
    }

    private static Object cast(Object value, Class<?> type, int typeOid) {
        if (!type.isInstance(value)) {
            throw mismatch(value, typeOid);
        }
        return value;
    }

    private static IllegalArgumentException mismatch(Object value, int typeOid) {
        return new IllegalArgumentException("cannot render a " + value.getClass().getName()
                + " as PostgreSQL type OID " + typeOid);
    }

    private static void appendArray(StringBuilder sb, List<?> list, int elemOid) {
        sb.append('{');
        for (int i = 0; i < list.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            Object e = list.get(i);
            if (e == null) {
                sb.append("NULL");
            } else if (e instanceof List) {
                appendArray(sb, (List<?>) e, elemOid);
            } else {
                String s = toText(e, elemOid);
                if (needsQuotes(s)) {
                    sb.append('"');
                    for (int j = 0; j < s.length(); j++) {
                        char c = s.charAt(j);
                        if (c == '"' || c == '\\') {
                            sb.append('\\');
                        }
                        sb.append(c);
                    }
                    sb.append('"');
                } else {
                    sb.append(s);
                }
            }
        }
        sb.append('}');
    }

    private static boolean needsQuotes(String s) {
        if (s.isEmpty() || s.equalsIgnoreCase("NULL")) {
            return true;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            // array_out quotes on these and on the whitespace that array_in would trim (array_isspace)
            if (c == '"' || c == '\\' || c == '{' || c == '}' || c == ',' || c == ' ' || c == '\t' || c == '\n'
                    || c == '\r' || c == '\u000b' || c == '\f') {
                return true;
            }
        }
        return false;
    }

    static void appendHex(StringBuilder sb, byte[] b) {
        sb.append("\\x");
        for (byte x : b) {
            sb.append(HEX[(x >> 4) & 0xF]).append(HEX[x & 0xF]);
        }
    }

    private static void appendDate(StringBuilder sb, LocalDate d, boolean withBc) {
        if (withBc && d.equals(LocalDate.MAX)) {
            sb.append("infinity");
            return;
        }
        if (withBc && d.equals(LocalDate.MIN)) {
            sb.append("-infinity");
            return;
        }
        int y = d.getYear();
        pad(sb, y > 0 ? y : 1 - y, 4);
        sb.append('-');
        pad(sb, d.getMonthValue(), 2);
        sb.append('-');
        pad(sb, d.getDayOfMonth(), 2);
        if (withBc) {
            appendBc(sb, y);
        }
    }

    private static void appendBc(StringBuilder sb, int isoYear) {
        if (isoYear <= 0) {
            sb.append(" BC");
        }
    }

    /** {@code HH:MM:SS} and the fraction without trailing zeros; {@code LocalTime.MAX} is {@code 24:00:00}. */
    static void appendTime(StringBuilder sb, LocalTime t) {
        if (t.equals(LocalTime.MAX)) {
            sb.append("24:00:00");
            return;
        }
        pad(sb, t.getHour(), 2);
        sb.append(':');
        pad(sb, t.getMinute(), 2);
        sb.append(':');
        pad(sb, t.getSecond(), 2);
        appendFraction(sb, t.getNano(), 9);
    }

    /** {@code .ffffff} without trailing zeros; nothing when {@code micros} is 0. */
    static void appendFraction(StringBuilder sb, long micros) {
        appendFraction(sb, micros, 6);
    }

    /** The fraction {@code value / 10^digits} as {@code .ddd} without trailing zeros; nothing when it is 0. */
    static void appendFraction(StringBuilder sb, long value, int digits) {
        if (value == 0) {
            return;
        }
        while (value % 10 == 0) {
            value /= 10;
            digits--;
        }
        sb.append('.');
        pad(sb, value, digits);
    }

    /** PostgreSQL's offset: {@code +HH}, {@code +HH:MM} or {@code +HH:MM:SS}. */
    private static void appendOffset(StringBuilder sb, ZoneOffset z) {
        int total = z.getTotalSeconds();
        sb.append(total < 0 ? '-' : '+');
        total = Math.abs(total);
        pad(sb, total / 3600, 2);
        int m = (total / 60) % 60;
        int s = total % 60;
        if (m != 0 || s != 0) {
            sb.append(':');
            pad(sb, m, 2);
            if (s != 0) {
                sb.append(':');
                pad(sb, s, 2);
            }
        }
    }

    static void pad(StringBuilder sb, long v, int width) {
        String s = Long.toString(v);
        for (int i = s.length(); i < width; i++) {
            sb.append('0');
        }
        sb.append(s);
    }

    /** float8out: shortest round-trip digits, fixed notation for decimal exponents -4..14, else {@code 1e+100}. */
    static void appendDouble(StringBuilder sb, double d) {
        appendFloatingPoint(sb, d, false);
    }

    /** float4out: as {@link #appendDouble} with fixed notation for decimal exponents -4..5. */
    static void appendFloat(StringBuilder sb, float f) {
        appendFloatingPoint(sb, f, true);
    }

    /** A float widens to double exactly, so one routine serves both; only the round-trip test differs. */
    private static void appendFloatingPoint(StringBuilder sb, double d, boolean float4) {
        if (Double.isNaN(d)) {
            sb.append("NaN");
            return;
        }
        if (Double.isInfinite(d)) {
            sb.append(d > 0 ? "Infinity" : "-Infinity");
            return;
        }
        if (d == 0) {
            sb.append(1 / d < 0 ? "-0" : "0");
            return;
        }
        double a = Math.abs(d);
        BigDecimal shortest = float4
                ? shortest(new BigDecimal(a), significantDigits(Float.toString((float) a)), c -> c.floatValue() == (float) a)
                : shortest(new BigDecimal(a), significantDigits(Double.toString(a)), c -> c.doubleValue() == a);
        appendShortest(sb, d < 0 ? shortest.negate() : shortest, float4 ? 6 : 15);
    }

    /**
     * The shortest decimal that reads back as the positive binary value {@code exact}, the closest one when
     * several have that length (ties to an even last digit), as the server's Ryu-based output picks it.
     *
     * <p>At each length p only the two p-digit neighbours of the exact value can qualify: what reads back is an
     * interval around the value, and any p-digit decimal inside it has a neighbour at least as close. Taking only
     * the nearest one is wrong at powers of two, where the interval below is half as wide as above. The JDK's
     * {@code toString} (always round-trip, not always shortest before JDK 19) bounds the length from above, and
     * lengths that work are contiguous, so this tries from that bound downwards: usually two roundings.
     */
    private static BigDecimal shortest(BigDecimal exact, int upperBound, Predicate<BigDecimal> readsBack) {
        BigDecimal best = exact;
        for (int p = upperBound; p >= 1; p--) {
            BigDecimal down = exact.round(new MathContext(p, RoundingMode.FLOOR));
            BigDecimal up = exact.round(new MathContext(p, RoundingMode.CEILING));
            boolean downOk = readsBack.test(down);
            boolean upOk = readsBack.test(up);
            if (!downOk && !upOk) {
                break;
            }
            if (downOk && upOk && !down.equals(up)) {
                int cmp = exact.subtract(down).compareTo(up.subtract(exact));
                best = cmp < 0 || cmp == 0 && !down.unscaledValue().testBit(0) ? down : up;
            } else {
                best = downOk ? down : up;
            }
        }
        return best;
    }

    /** The significant digits of a JDK {@code Double/Float.toString} of a positive finite value. */
    private static int significantDigits(String javaText) {
        int end = javaText.indexOf('E');
        if (end < 0) {
            end = javaText.length();
        }
        int first = -1;
        int last = -1;
        int count = 0;
        for (int i = 0; i < end; i++) {
            char c = javaText.charAt(i);
            if (c >= '1' && c <= '9') {
                if (first < 0) {
                    first = count;
                }
                last = count;
            }
            if (c != '.') {
                count++;
            }
        }
        return last - first + 1;
    }

    private static void appendShortest(StringBuilder sb, BigDecimal v, int fixedLimit) {
        v = v.stripTrailingZeros();
        if (v.signum() < 0) {
            sb.append('-');
            v = v.negate();
        }
        String digits = v.unscaledValue().toString();
        int exp = digits.length() - v.scale() - 1; // decimal exponent of the first digit
        if (exp >= -4 && exp < fixedLimit) {
            if (exp >= 0) {
                if (digits.length() <= exp + 1) {
                    sb.append(digits);
                    for (int i = digits.length(); i <= exp; i++) {
                        sb.append('0');
                    }
                } else {
                    sb.append(digits, 0, exp + 1).append('.').append(digits, exp + 1, digits.length());
                }
            } else {
                sb.append("0.");
                for (int i = -1; i > exp; i--) {
                    sb.append('0');
                }
                sb.append(digits);
            }
            return;
        }
        sb.append(digits.charAt(0));
        if (digits.length() > 1) {
            sb.append('.').append(digits, 1, digits.length());
        }
        sb.append('e').append(exp < 0 ? '-' : '+');
        int a = Math.abs(exp);
        if (a < 10) {
            sb.append('0');
        }
        sb.append(a);
    }
}
