package io.camelpgrepl.pgoutput;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Built-in PostgreSQL type OIDs and the {@link ValueDecoder} for each.
 *
 * <p>Java types: bool → Boolean; int2 → Short; int4 → Integer; int8 and oid → Long; float4 → Float; float8 →
 * Double; numeric → BigDecimal (NaN and ±Infinity, which BigDecimal cannot hold, → {@code Double.NaN},
 * {@code Double.POSITIVE_INFINITY}, {@code Double.NEGATIVE_INFINITY}); text, varchar, bpchar, name, json,
 * jsonb → String; bytea → byte[]; uuid → UUID; date → LocalDate; time → LocalTime; timetz → OffsetTime;
 * timestamp → LocalDateTime; timestamptz → OffsetDateTime; interval → {@link PgInterval}; arrays → List (NULL
 * elements are null; multi-dimensional arrays become nested lists; lower bounds are dropped).
 *
 * <p>Special values, as pgjdbc maps them: date {@code infinity}/{@code -infinity} → {@code LocalDate.MAX}/
 * {@code MIN}; timestamp → {@code LocalDateTime.MAX}/{@code MIN}; timestamptz → {@code OffsetDateTime.MAX}/
 * {@code MIN}; time {@code 24:00:00} → {@code LocalTime.MAX}. BC dates use the ISO proleptic year (1 BC = year
 * 0). Text-mode timestamptz and timetz keep the offset the server printed (the walsender's TimeZone); binary
 * timestamptz is UTC. Unknown OIDs stay String (text) or byte[] (binary).
 */
public final class PgTypes {

    public static final int BOOL = 16;
    public static final int BYTEA = 17;
    public static final int NAME = 19;
    public static final int INT8 = 20;
    public static final int INT2 = 21;
    public static final int INT4 = 23;
    public static final int TEXT = 25;
    public static final int OID = 26;
    public static final int JSON = 114;
    public static final int FLOAT4 = 700;
    public static final int FLOAT8 = 701;
    public static final int BPCHAR = 1042;
    public static final int VARCHAR = 1043;
    public static final int DATE = 1082;
    public static final int TIME = 1083;
    public static final int TIMESTAMP = 1114;
    public static final int TIMESTAMPTZ = 1184;
    public static final int INTERVAL = 1186;
    public static final int TIMETZ = 1266;
    public static final int NUMERIC = 1700;
    public static final int UUID = 2950;
    public static final int JSONB = 3802;

    public static final int JSON_ARRAY = 199;
    public static final int BOOL_ARRAY = 1000;
    public static final int BYTEA_ARRAY = 1001;
    public static final int NAME_ARRAY = 1003;
    public static final int INT2_ARRAY = 1005;
    public static final int INT4_ARRAY = 1007;
    public static final int TEXT_ARRAY = 1009;
    public static final int BPCHAR_ARRAY = 1014;
    public static final int VARCHAR_ARRAY = 1015;
    public static final int INT8_ARRAY = 1016;
    public static final int FLOAT4_ARRAY = 1021;
    public static final int FLOAT8_ARRAY = 1022;
    public static final int OID_ARRAY = 1028;
    public static final int TIMESTAMP_ARRAY = 1115;
    public static final int DATE_ARRAY = 1182;
    public static final int TIME_ARRAY = 1183;
    public static final int TIMESTAMPTZ_ARRAY = 1185;
    public static final int INTERVAL_ARRAY = 1187;
    public static final int NUMERIC_ARRAY = 1231;
    public static final int TIMETZ_ARRAY = 1270;
    public static final int UUID_ARRAY = 2951;
    public static final int JSONB_ARRAY = 3807;

    private static final Map<Integer, ValueDecoder> DECODERS = new HashMap<>();
    private static final Map<Integer, Integer> ELEMENT_OF = new HashMap<>();

    static {
        DECODERS.put(BOOL, ValueDecoders.BOOL);
        DECODERS.put(INT2, ValueDecoders.INT2);
        DECODERS.put(INT4, ValueDecoders.INT4);
        DECODERS.put(INT8, ValueDecoders.INT8);
        DECODERS.put(OID, ValueDecoders.OID);
        DECODERS.put(FLOAT4, ValueDecoders.FLOAT4);
        DECODERS.put(FLOAT8, ValueDecoders.FLOAT8);
        DECODERS.put(NUMERIC, NumericDecoder.NUMERIC);
        DECODERS.put(TEXT, ValueDecoders.STRING);
        DECODERS.put(VARCHAR, ValueDecoders.STRING);
        DECODERS.put(BPCHAR, ValueDecoders.STRING);
        DECODERS.put(NAME, ValueDecoders.STRING);
        DECODERS.put(JSON, ValueDecoders.STRING);
        DECODERS.put(JSONB, ValueDecoders.JSONB);
        DECODERS.put(BYTEA, ValueDecoders.BYTEA);
        DECODERS.put(UUID, ValueDecoders.UUID);
        DECODERS.put(DATE, DateTimeDecoders.DATE);
        DECODERS.put(TIME, DateTimeDecoders.TIME);
        DECODERS.put(TIMETZ, DateTimeDecoders.TIMETZ);
        DECODERS.put(TIMESTAMP, DateTimeDecoders.TIMESTAMP);
        DECODERS.put(TIMESTAMPTZ, DateTimeDecoders.TIMESTAMPTZ);
        DECODERS.put(INTERVAL, DateTimeDecoders.INTERVAL);
        int[][] arrays = {
            {BOOL_ARRAY, BOOL}, {INT2_ARRAY, INT2}, {INT4_ARRAY, INT4}, {INT8_ARRAY, INT8}, {TEXT_ARRAY, TEXT},
            {VARCHAR_ARRAY, VARCHAR}, {BPCHAR_ARRAY, BPCHAR}, {FLOAT4_ARRAY, FLOAT4}, {FLOAT8_ARRAY, FLOAT8},
            {NUMERIC_ARRAY, NUMERIC}, {UUID_ARRAY, UUID}, {DATE_ARRAY, DATE}, {TIMESTAMP_ARRAY, TIMESTAMP},
            {TIMESTAMPTZ_ARRAY, TIMESTAMPTZ}, {BYTEA_ARRAY, BYTEA}, {JSON_ARRAY, JSON}, {JSONB_ARRAY, JSONB},
            {OID_ARRAY, OID}, {NAME_ARRAY, NAME}, {TIME_ARRAY, TIME}, {TIMETZ_ARRAY, TIMETZ},
            {INTERVAL_ARRAY, INTERVAL},
        };
        for (int[] a : arrays) {
            ELEMENT_OF.put(a[0], a[1]);
            DECODERS.put(a[0], new ArrayDecoder(a[1]));
        }
    }

    private PgTypes() {
    }

    /** The decoder for {@code typeOid}; for an unknown type, one that keeps text as String and binary as byte[]. */
    public static ValueDecoder decoder(int typeOid) {
        ValueDecoder d = DECODERS.get(typeOid);
        return d != null ? d : ValueDecoders.UNKNOWN;
    }

    /** True when {@code typeOid} has a typed decoder here. */
    public static boolean isKnown(int typeOid) {
        return DECODERS.containsKey(typeOid);
    }

    /** The element type of a known array type, or 0 when {@code typeOid} is not one. */
    public static int elementType(int typeOid) {
        Integer e = ELEMENT_OF.get(typeOid);
        return e == null ? 0 : e;
    }

    /** Decodes a value from its PostgreSQL text form; null text gives null. */
    public static Object decodeText(String text, int typeOid) {
        if (text == null) {
            return null;
        }
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return decoder(typeOid).decodeText(ByteBuffer.wrap(b), 0, b.length);
    }

    /** Decodes a value from its PostgreSQL binary send format; null bytes give null. */
    public static Object decodeBinary(byte[] bytes, int typeOid) {
        if (bytes == null) {
            return null;
        }
        return decoder(typeOid).decodeBinary(ByteBuffer.wrap(bytes), 0, bytes.length);
    }
}
