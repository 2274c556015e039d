package io.camelpgrepl.pgoutput;

import io.camelpgrepl.pgoutput.json.JsonSyntax;
import io.camelpgrepl.pgoutput.json.JsonWriter;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/**
 * The JSON form of the bodies (DESIGN §5 "JSON"): the same keys as their {@code toMap()} forms, values encoded by
 * column type. Dependency-free; {@link ChangeEvent#toJson()} and {@link RelationInfo#toJson()} call it.
 *
 * <p>Values: SQL NULL {@code null}; unchanged TOAST {@code {"unchangedToast":true}}; bool {@code true}/{@code false};
 * integers and finite numerics exact JSON numbers (numeric with its scale, never an exponent); float4/float8 the
 * shortest round-tripping number exactly as the server prints it ({@code 0.1}, {@code 1e+20}); NaN and
 * ±Infinity (numeric or float) the strings {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"}; bytea base64;
 * date {@code 2024-02-29}, time {@code 13:14:15.5}, timetz {@code 13:14:15+05:30}, timestamp
 * {@code 2024-01-02T03:04:05.123456}, timestamptz {@code 2024-01-02T03:04:05Z} (the offset the value carries,
 * {@code Z} for zero); BC years as ISO 8601 astronomical years (1 BC = {@code 0000}, 44 BC = {@code -0043}), years
 * past 9999 with a {@code +}; date/timestamp infinities the strings {@code "infinity"}/{@code "-infinity"};
 * interval as with {@code IntervalStyle = iso_8601}; json/jsonb embedded as JSON (a value that is not valid JSON
 * — not something the server sends — is written as a string instead of breaking the document); arrays as
 * (nested) arrays; uuid, text, LSNs, unknown types and everything else as strings.
 */
public final class ChangeJson {

    private ChangeJson() {
    }

    /** The JSON form of an event: a row change, truncate, logical message or transaction event. */
    public static String toJson(ChangeEvent event) {
        JsonWriter w = new JsonWriter();
        if (event instanceof RowChange) {
            RowChange rc = (RowChange) event;
            w.beginObject();
            w.name("schema").value(rc.schema());
            w.name("table").value(rc.table());
            w.name("operation").value(rc.operation().name());
            w.name("before");
            writeMap(w, rc.before());
            w.name("after");
            writeMap(w, rc.after());
            w.endObject();
        } else {
            writeMap(w, event.toMap());
        }
        return w.toString();
    }

    /** The JSON form of a relation: its {@link RelationInfo#toMap()}. */
    public static String toJson(RelationInfo relation) {
        JsonWriter w = new JsonWriter();
        writeMap(w, relation.toMap());
        return w.toString();
    }

    /** A map of (typed) values as a JSON object; {@link Row}s encode each value by its column's type. */
    public static String toJson(Map<String, ?> map) {
        JsonWriter w = new JsonWriter();
        writeMap(w, map);
        return w.toString();
    }

    private static void writeMap(JsonWriter w, Map<String, ?> map) {
        if (map == null) {
            w.nullValue();
            return;
        }
        w.beginObject();
        if (map instanceof Row) {
            Row row = (Row) map;
            for (int i = 0, n = row.size(); i < n; i++) {
                w.name(row.name(i));
                writeValue(w, row.value(i), row.typeOid(i));
            }
        } else {
            for (Map.Entry<String, ?> e : map.entrySet()) {
                w.name(String.valueOf(e.getKey()));
                writeValue(w, e.getValue(), 0);
            }
        }
        w.endObject();
    }

    /** Writes one value; {@code typeOid} 0 means "by its Java type only". */
    @SuppressWarnings("unchecked")
    static void writeValue(JsonWriter w, Object v, int typeOid) {
        if (v == null) {
            w.nullValue();
        } else if (v instanceof String) {
            String s = (String) v;
            if ((typeOid == PgTypes.JSON || typeOid == PgTypes.JSONB) && JsonSyntax.isValid(s)) {
                w.raw(s.strip());
            } else {
                w.value(s);
            }
        } else if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte
                || v instanceof BigInteger) {
            w.numberText(v.toString());
        } else if (v instanceof BigDecimal) {
            w.numberText(((BigDecimal) v).toPlainString());
        } else if (v instanceof Double || v instanceof Float) {
            writeFloat(w, v);
        } else if (v instanceof Boolean) {
            w.value((Boolean) v);
        } else if (v instanceof List) {
            int elem = PgTypes.elementType(typeOid);
            w.beginArray();
            for (Object e : (List<?>) v) {
                // nested lists are the inner dimensions of the same array type
                writeValue(w, e, e instanceof List ? typeOid : elem);
            }
            w.endArray();
        } else if (v instanceof Map) {
            writeMap(w, (Map<String, ?>) v);
        } else if (v instanceof byte[]) {
            w.base64((byte[]) v);
        } else if (v == UnchangedToast.INSTANCE) {
            w.beginObject().name("unchangedToast").value(true).endObject();
        } else if (v instanceof PgInterval) {
            w.value(((PgInterval) v).toIso8601());
        } else if (isTemporal(v)) {
            StringBuilder sb = new StringBuilder(40);
            appendTemporal(sb, v);
            w.value(sb);
        } else if (v instanceof Enum) {
            w.value(((Enum<?>) v).name());
        } else {
            // UUID, Lsn, Character, unknown types and anything a custom decoder returns
            w.value(v.toString());
        }
    }

    private static void writeFloat(JsonWriter w, Object v) {
        double d = ((Number) v).doubleValue();
        if (Double.isNaN(d)) {
            w.value("NaN");
        } else if (Double.isInfinite(d)) {
            w.value(d > 0 ? "Infinity" : "-Infinity");
        } else {
            // PostgreSQL's float4out/float8out: shortest round-trip digits, 1e+20 style beyond its fixed range;
            // always a valid JSON number
            StringBuilder sb = new StringBuilder(24);
            if (v instanceof Float) {
                PgText.appendFloat(sb, (Float) v);
            } else {
                PgText.appendDouble(sb, d);
            }
            w.numberText(sb);
        }
    }

    private static boolean isTemporal(Object v) {
        return v instanceof OffsetDateTime || v instanceof LocalDateTime || v instanceof LocalDate
               || v instanceof LocalTime || v instanceof OffsetTime || v instanceof Instant;
    }

    private static void pad(StringBuilder sb, int v, int width) {
        PgText.pad(sb, v, width);
    }

    private static void appendTemporal(StringBuilder sb, Object v) {
        if (v instanceof OffsetDateTime) {
            OffsetDateTime t = (OffsetDateTime) v;
            if (t.equals(OffsetDateTime.MAX) || t.equals(OffsetDateTime.MIN)) {
                sb.append(t.equals(OffsetDateTime.MAX) ? "infinity" : "-infinity");
                return;
            }
            appendDate(sb, t.toLocalDate());
            sb.append('T');
            appendTime(sb, t.toLocalTime());
            appendOffset(sb, t.getOffset());
        } else if (v instanceof LocalDateTime) {
            LocalDateTime t = (LocalDateTime) v;
            if (t.equals(LocalDateTime.MAX) || t.equals(LocalDateTime.MIN)) {
                sb.append(t.equals(LocalDateTime.MAX) ? "infinity" : "-infinity");
                return;
            }
            appendDate(sb, t.toLocalDate());
            sb.append('T');
            appendTime(sb, t.toLocalTime());
        } else if (v instanceof LocalDate) {
            LocalDate d = (LocalDate) v;
            if (d.equals(LocalDate.MAX) || d.equals(LocalDate.MIN)) {
                sb.append(d.equals(LocalDate.MAX) ? "infinity" : "-infinity");
                return;
            }
            appendDate(sb, d);
        } else if (v instanceof LocalTime) {
            appendTime(sb, (LocalTime) v);
        } else if (v instanceof OffsetTime) {
            OffsetTime t = (OffsetTime) v;
            appendTime(sb, t.toLocalTime());
            appendOffset(sb, t.getOffset());
        } else {
            appendTemporal(sb, ((Instant) v).atOffset(ZoneOffset.UTC));
        }
    }

    /** ISO 8601 with astronomical years: 4 digits, a sign before negative years and years past 9999. */
    private static void appendDate(StringBuilder sb, LocalDate d) {
        int y = d.getYear();
        if (y < 0) {
            sb.append('-');
        } else if (y > 9999) {
            sb.append('+');
        }
        pad(sb, Math.abs(y), 4);
        sb.append('-');
        pad(sb, d.getMonthValue(), 2);
        sb.append('-');
        pad(sb, d.getDayOfMonth(), 2);
    }

    /** {@code HH:MM:SS} always with seconds, a fraction without trailing zeros; {@code LocalTime.MAX} is 24:00:00. */
    private static void appendTime(StringBuilder sb, LocalTime t) {
        PgText.appendTime(sb, t);
    }

    /** {@code Z}, or {@code +HH:MM} ({@code +HH:MM:SS} for the odd historical offset with seconds). */
    private static void appendOffset(StringBuilder sb, ZoneOffset z) {
        int total = z.getTotalSeconds();
        if (total == 0) {
            sb.append('Z');
            return;
        }
        sb.append(total < 0 ? '-' : '+');
        total = Math.abs(total);
        pad(sb, total / 3600, 2);
        sb.append(':');
        pad(sb, (total / 60) % 60, 2);
        if (total % 60 != 0) {
            sb.append(':');
            pad(sb, total % 60, 2);
        }
    }
}
