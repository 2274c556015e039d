package io.camelpgrepl.pgoutput;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ValueDecodingTest {

    private static Object text(String s, int oid) {
        return PgTypes.decodeText(s, oid);
    }

    private static Object bin(int oid, PgBytes b) {
        return PgTypes.decodeBinary(b.bytes(), oid);
    }

    private static PgBytes b() {
        return new PgBytes();
    }

    @Test
    void scalarsFromText() {
        assertThat(text("t", PgTypes.BOOL)).as("bool t").isEqualTo(true);
        assertThat(text("f", PgTypes.BOOL)).as("bool f").isEqualTo(false);
        assertThat(text("-32768", PgTypes.INT2)).as("int2 min").isEqualTo((short) -32768);
        assertThat(text("2147483647", PgTypes.INT4)).as("int4 max").isEqualTo(Integer.MAX_VALUE);
        assertThat(text("-9223372036854775808", PgTypes.INT8)).as("int8 min").isEqualTo(Long.MIN_VALUE);
        assertThat(text("4294967295", PgTypes.OID)).as("oid max").isEqualTo(4294967295L);
        assertThat(text("1.5", PgTypes.FLOAT4)).as("float4").isEqualTo(1.5f);
        assertThat(text("1e+100", PgTypes.FLOAT8)).as("float8 exponent").isEqualTo(1e100);
        assertThat(text("-Infinity", PgTypes.FLOAT8)).as("float8 -inf").isEqualTo(Double.NEGATIVE_INFINITY);
        assertThat((Double) text("NaN", PgTypes.FLOAT8)).as("float8 NaN").isNaN();
        assertThat(text("héllo wörld ✓ 日本", PgTypes.TEXT)).as("non-ASCII text").isEqualTo("héllo wörld ✓ 日本");
        assertThat(text("abc  ", PgTypes.BPCHAR)).as("bpchar keeps padding").isEqualTo("abc  ");
        assertThat(text("{\"a\": 1}", PgTypes.JSONB)).as("jsonb").isEqualTo("{\"a\": 1}");
        assertThat(text("\\x00ff10", PgTypes.BYTEA)).as("bytea hex").isEqualTo(new byte[] {0, -1, 16});
        assertThat(text("a\\\\b\\001", PgTypes.BYTEA)).as("bytea escape").isEqualTo(new byte[] {'a', '\\', 'b', 1});
        assertThat(text("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11", PgTypes.UUID)).as("uuid")
                .isEqualTo(UUID.fromString("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"));
    }

    @Test
    void numericFromTextKeepsScaleAndSpecialValues() {
        assertThat(text("123.4500", PgTypes.NUMERIC)).as("scale kept").isEqualTo(new BigDecimal("123.4500"));
        assertThat(text("-0.001", PgTypes.NUMERIC)).as("negative").isEqualTo(new BigDecimal("-0.001"));
        String big = "123456789012345678901234567890.123456789012345678901234567890";
        assertThat(text(big, PgTypes.NUMERIC)).as("big").isEqualTo(new BigDecimal(big));
        assertThat((Double) text("NaN", PgTypes.NUMERIC)).as("NaN").isNaN();
        assertThat(text("Infinity", PgTypes.NUMERIC)).as("+inf").isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(text("-Infinity", PgTypes.NUMERIC)).as("-inf").isEqualTo(Double.NEGATIVE_INFINITY);
    }

    @Test
    void dateTimeFromText() {
        assertThat(text("2024-02-29", PgTypes.DATE)).as("date").isEqualTo(LocalDate.of(2024, 2, 29));
        assertThat(text("0044-03-15 BC", PgTypes.DATE)).as("BC date").isEqualTo(LocalDate.of(-43, 3, 15));
        assertThat(text("infinity", PgTypes.DATE)).as("date infinity").isEqualTo(LocalDate.MAX);
        assertThat(text("-infinity", PgTypes.DATE)).as("date -infinity").isEqualTo(LocalDate.MIN);
        assertThat(text("13:14:15.5", PgTypes.TIME)).as("time").isEqualTo(LocalTime.of(13, 14, 15, 500_000_000));
        assertThat(text("24:00:00", PgTypes.TIME)).as("time 24:00").isEqualTo(LocalTime.MAX);
        assertThat(text("13:14:15+05:30", PgTypes.TIMETZ)).as("timetz")
                .isEqualTo(OffsetTime.of(13, 14, 15, 0, ZoneOffset.ofHoursMinutes(5, 30)));
        assertThat(text("2024-01-02 03:04:05.123456", PgTypes.TIMESTAMP)).as("timestamp")
                .isEqualTo(LocalDateTime.of(2024, 1, 2, 3, 4, 5, 123_456_000));
        assertThat(text("infinity", PgTypes.TIMESTAMP)).as("timestamp infinity").isEqualTo(LocalDateTime.MAX);
        assertThat(text("2024-01-02 03:04:05.123456+00", PgTypes.TIMESTAMPTZ)).as("timestamptz UTC")
                .isEqualTo(OffsetDateTime.of(2024, 1, 2, 3, 4, 5, 123_456_000, ZoneOffset.UTC));
        assertThat(text("2024-07-02 03:04:05-07", PgTypes.TIMESTAMPTZ)).as("timestamptz keeps offset")
                .isEqualTo(OffsetDateTime.of(2024, 7, 2, 3, 4, 5, 0, ZoneOffset.ofHours(-7)));
        assertThat(text("1900-01-01 00:00:00+00:19:32", PgTypes.TIMESTAMPTZ)).as("LMT seconds offset")
                .isEqualTo(OffsetDateTime.of(1900, 1, 1, 0, 0, 0, 0, ZoneOffset.ofHoursMinutesSeconds(0, 19, 32)));
        assertThat(text("-infinity", PgTypes.TIMESTAMPTZ)).as("timestamptz -infinity").isEqualTo(OffsetDateTime.MIN);
    }

    @Test
    void intervalFromPostgresStyleText() {
        assertThat(text("1 year 2 mons 3 days 04:05:06.5", PgTypes.INTERVAL)).as("full interval")
                .isEqualTo(new PgInterval(14, 3, 14_706_500_000L));
        assertThat(text("-1 days +02:03:00", PgTypes.INTERVAL)).as("mixed signs")
                .isEqualTo(new PgInterval(0, -1, 7_380_000_000L));
        assertThat(text("00:00:00", PgTypes.INTERVAL)).as("zero").isEqualTo(new PgInterval(0, 0, 0));
        assertThat(text("-00:00:01", PgTypes.INTERVAL)).as("negative second").isEqualTo(new PgInterval(0, 0, -1_000_000));
        assertThat(text("infinity", PgTypes.INTERVAL)).as("PG17 infinity").isEqualTo(PgInterval.INFINITY);
    }

    @Test
    void arraysFromTextWithNullsQuotesAndEscapes() {
        assertThat(text("{1,2,NULL}", PgTypes.INT4_ARRAY)).as("int4[]").isEqualTo(Arrays.asList(1, 2, null));
        assertThat(text("{\"a b\",\"NULL\",NULL,\"q\\\"x\",\"back\\\\slash\",\"\",plain}", PgTypes.TEXT_ARRAY))
                .as("text[] quoting").isEqualTo(Arrays.asList("a b", "NULL", null, "q\"x", "back\\slash", "", "plain"));
        assertThat(text("{{1,2},{3,4}}", PgTypes.INT8_ARRAY)).as("2-D array")
                .isEqualTo(List.of(List.of(1L, 2L), List.of(3L, 4L)));
        assertThat(text("[0:1]={7,8}", PgTypes.INT2_ARRAY)).as("lower bound dropped")
                .isEqualTo(List.of((short) 7, (short) 8));
        assertThat(text("{}", PgTypes.TEXT_ARRAY)).as("empty").isEqualTo(List.of());
        assertThat(text("{\"2024-01-02 03:04:05+00\",infinity}", PgTypes.TIMESTAMPTZ_ARRAY)).as("timestamptz[]")
                .isEqualTo(List.of(OffsetDateTime.of(2024, 1, 2, 3, 4, 5, 0, ZoneOffset.UTC), OffsetDateTime.MAX));
        assertThat(text("{\"\\\\x0102\"}", PgTypes.BYTEA_ARRAY)).as("bytea[]")
                .satisfies(v -> assertThat((byte[]) ((List<?>) v).get(0)).as("element").containsExactly(1, 2));
        assertThat(text("{1.50,NaN}", PgTypes.NUMERIC_ARRAY)).as("numeric[]")
                .isEqualTo(List.of(new BigDecimal("1.50"), Double.NaN));
    }

    @Test
    void scalarsFromBinary() {
        assertThat(bin(PgTypes.BOOL, b().u8(1))).as("bool").isEqualTo(true);
        assertThat(bin(PgTypes.INT2, b().i16(-2))).as("int2").isEqualTo((short) -2);
        assertThat(bin(PgTypes.INT4, b().i32(123456))).as("int4").isEqualTo(123456);
        assertThat(bin(PgTypes.INT8, b().i64(-5))).as("int8").isEqualTo(-5L);
        assertThat(bin(PgTypes.OID, b().i32(-1))).as("oid unsigned").isEqualTo(4294967295L);
        assertThat(bin(PgTypes.FLOAT4, b().i32(Float.floatToIntBits(2.5f)))).as("float4").isEqualTo(2.5f);
        assertThat(bin(PgTypes.FLOAT8, b().i64(Double.doubleToLongBits(-0.1)))).as("float8").isEqualTo(-0.1);
        assertThat(bin(PgTypes.TEXT, b().raw("日本".getBytes(java.nio.charset.StandardCharsets.UTF_8))))
                .as("text").isEqualTo("日本");
        assertThat(bin(PgTypes.JSONB, b().u8(1).raw("{}".getBytes()))).as("jsonb v1").isEqualTo("{}");
        assertThat(bin(PgTypes.BYTEA, b().raw(new byte[] {9, 8}))).as("bytea").isEqualTo(new byte[] {9, 8});
        assertThat(bin(PgTypes.UUID, b().i64(0x0123456789abcdefL).i64(0x1122334455667788L))).as("uuid")
                .isEqualTo(new UUID(0x0123456789abcdefL, 0x1122334455667788L));
        assertThat(bin(12345, b().raw(new byte[] {1}))).as("unknown OID stays bytes").isEqualTo(new byte[] {1});
        assertThat(text("(1,2)", 600)).as("unknown OID stays text").isEqualTo("(1,2)");
    }

    /** numeric_send: base-10000 digit groups aligned on the decimal point, every group sent. */
    private static PgBytes numericSend(String plain) {
        boolean negative = plain.startsWith("-");
        String abs = negative ? plain.substring(1) : plain;
        int point = abs.indexOf('.');
        String integer = point < 0 ? abs : abs.substring(0, point);
        String fraction = point < 0 ? "" : abs.substring(point + 1);
        integer = "0".repeat((4 - integer.length() % 4) % 4) + integer;
        String groups = integer + fraction + "0".repeat((4 - fraction.length() % 4) % 4);
        PgBytes b = b().i16(groups.length() / 4).i16(integer.length() / 4 - 1).i16(negative ? 0x4000 : 0)
                .i16(fraction.length());
        for (int i = 0; i < groups.length(); i += 4) {
            b.i16(Integer.parseInt(groups.substring(i, i + 4)));
        }
        return b;
    }

    @ParameterizedTest
    @CsvSource({"131072, 16383, false", "131072, 0, true", "0, 16383, false", "19, 1, true", "40, 40, false"})
    void numericsUpToTheLargestPostgresAllowsDecodeExactlyFromTextAndBinary(int integerDigits, int fractionDigits,
                                                                            boolean negative) {
        Random random = new Random(integerDigits * 31L + fractionDigits);
        StringBuilder sb = new StringBuilder(negative ? "-" : "");
        for (int i = 0; i < Math.max(integerDigits, 1); i++) {
            sb.append(i == 0 && integerDigits > 0 ? (char) ('1' + random.nextInt(9)) : integerDigits == 0 ? '0'
                    : (char) ('0' + random.nextInt(10)));
        }
        if (fractionDigits > 0) {
            sb.append('.');
            for (int i = 0; i < fractionDigits; i++) {
                sb.append((char) ('0' + random.nextInt(10)));
            }
        }
        String plain = sb.toString();
        BigDecimal expected = new BigDecimal(plain);
        assertThat(text(plain, PgTypes.NUMERIC)).as("text, %d + %d digits", integerDigits, fractionDigits)
                .isEqualTo(expected);
        assertThat(bin(PgTypes.NUMERIC, numericSend(plain))).as("binary, %d + %d digits", integerDigits,
                fractionDigits).isEqualTo(expected);
        assertThat(PgText.toText(expected, PgTypes.NUMERIC)).as("back to text").isEqualTo(plain);
    }

    @Test
    void numericFromBinary() {
        // 12345.678 = digits [1, 2345, 6780], weight 1, dscale 3
        assertThat(bin(PgTypes.NUMERIC, b().i16(3).i16(1).i16(0).i16(3).i16(1).i16(2345).i16(6780)))
                .as("12345.678").isEqualTo(new BigDecimal("12345.678"));
        // -0.0001 = digits [1], weight -1, dscale 4
        assertThat(bin(PgTypes.NUMERIC, b().i16(1).i16(-1).i16(0x4000).i16(4).i16(1)))
                .as("-0.0001").isEqualTo(new BigDecimal("-0.0001"));
        // 0.00 = no digits, dscale 2
        assertThat(bin(PgTypes.NUMERIC, b().i16(0).i16(0).i16(0).i16(2))).as("0.00").isEqualTo(new BigDecimal("0.00"));
        // 1e22 = digits [100], weight 5 (100 * 10000^5)
        assertThat(bin(PgTypes.NUMERIC, b().i16(1).i16(5).i16(0).i16(0).i16(100))).as("1e22")
                .isEqualTo(new BigDecimal("10000000000000000000000"));
        // 6 digits: 1234 5678 9012 3456 7890 . 1200 -> dscale 2
        assertThat(bin(PgTypes.NUMERIC, b().i16(6).i16(4).i16(0).i16(2).i16(1234).i16(5678).i16(9012).i16(3456)
                .i16(7890).i16(1200))).as("big binary").isEqualTo(new BigDecimal("12345678901234567890.12"));
        // 1e100 = digits [1], weight 25: up to NumericDecoder.MAX_PADDING_ZEROS zeros are written out (scale 0)
        assertThat(bin(PgTypes.NUMERIC, b().i16(1).i16(25).i16(0).i16(0).i16(1))).as("1e100")
                .isEqualTo(new BigDecimal("1" + "0".repeat(100)));
        // 1e131068 = digits [1], weight 32767: ten bytes; written out it would be 131069 digits (a fuzz finding
        // allocated 3.6 MB for it), so it keeps its exponent form: the same value
        Object huge = bin(PgTypes.NUMERIC, b().i16(1).i16(32767).i16(0).i16(0).i16(1));
        assertThat(huge).as("1e131068").isInstanceOf(BigDecimal.class).hasToString("1E+131068");
        assertThat(((BigDecimal) huge).compareTo(BigDecimal.ONE.scaleByPowerOfTen(131068))).isZero();
        assertThat((Double) bin(PgTypes.NUMERIC, b().i16(0).i16(0).i16(0xC000).i16(0))).as("NaN").isNaN();
        assertThat(bin(PgTypes.NUMERIC, b().i16(0).i16(0).i16(0xD000).i16(0))).as("+inf")
                .isEqualTo(Double.POSITIVE_INFINITY);
        assertThat(bin(PgTypes.NUMERIC, b().i16(0).i16(0).i16(0xF000).i16(0))).as("-inf")
                .isEqualTo(Double.NEGATIVE_INFINITY);
    }

    @Test
    void dateTimeFromBinary() {
        assertThat(bin(PgTypes.DATE, b().i32(0))).as("date epoch").isEqualTo(LocalDate.of(2000, 1, 1));
        assertThat(bin(PgTypes.DATE, b().i32(-1))).as("date before").isEqualTo(LocalDate.of(1999, 12, 31));
        assertThat(bin(PgTypes.DATE, b().i32(Integer.MAX_VALUE))).as("date infinity").isEqualTo(LocalDate.MAX);
        assertThat(bin(PgTypes.TIME, b().i64(3_600_000_001L))).as("time")
                .isEqualTo(LocalTime.of(1, 0, 0, 1000));
        assertThat(bin(PgTypes.TIMETZ, b().i64(0).i32(-3600))).as("timetz zone is seconds west")
                .isEqualTo(OffsetTime.of(0, 0, 0, 0, ZoneOffset.ofHours(1)));
        assertThat(bin(PgTypes.TIMESTAMP, b().i64(-1))).as("timestamp")
                .isEqualTo(LocalDateTime.of(1999, 12, 31, 23, 59, 59, 999_999_000));
        assertThat(bin(PgTypes.TIMESTAMP, b().i64(Long.MIN_VALUE))).as("timestamp -inf").isEqualTo(LocalDateTime.MIN);
        assertThat(bin(PgTypes.TIMESTAMPTZ, b().i64(86_400_000_000L))).as("timestamptz UTC")
                .isEqualTo(OffsetDateTime.of(2000, 1, 2, 0, 0, 0, 0, ZoneOffset.UTC));
        assertThat(bin(PgTypes.TIMESTAMPTZ, b().i64(Long.MAX_VALUE))).as("timestamptz inf").isEqualTo(OffsetDateTime.MAX);
        assertThat(bin(PgTypes.INTERVAL, b().i64(5_000_000).i32(3).i32(14))).as("interval")
                .isEqualTo(new PgInterval(14, 3, 5_000_000));
    }

    @Test
    void arraysFromBinaryWithNulls() {
        PgBytes a = b().i32(1).i32(1).i32(PgTypes.INT4).i32(3).i32(1)
                .i32(4).i32(7).i32(-1).i32(4).i32(9);
        assertThat(bin(PgTypes.INT4_ARRAY, a)).as("int4[] with NULL").isEqualTo(Arrays.asList(7, null, 9));
        PgBytes t = b().i32(1).i32(0).i32(PgTypes.TEXT).i32(2).i32(1).i32(1).raw("a".getBytes()).i32(0);
        assertThat(bin(PgTypes.TEXT_ARRAY, t)).as("text[]").isEqualTo(List.of("a", ""));
        PgBytes two = b().i32(2).i32(0).i32(PgTypes.INT2).i32(2).i32(1).i32(1).i32(1)
                .i32(2).i16(1).i32(2).i16(2);
        assertThat(bin(PgTypes.INT2_ARRAY, two)).as("2x1").isEqualTo(List.of(List.of((short) 1), List.of((short) 2)));
        assertThat(bin(PgTypes.INT8_ARRAY, b().i32(0).i32(0).i32(PgTypes.INT8))).as("empty").isEqualTo(List.of());
    }

    @Test
    void binaryArrayWithHugeDimensionIsAnErrorNotAnAllocation() {
        PgBytes a = b().i32(1).i32(0).i32(PgTypes.INT4).i32(Integer.MAX_VALUE).i32(1);
        assertThatThrownBy(() -> bin(PgTypes.INT4_ARRAY, a)).as("2^31 elements")
                .isInstanceOf(PgOutputException.class).hasMessageContaining("more elements than the bytes");
    }

    @Test
    void binaryArrayNestedThousandsDeepIsAPgOutputExceptionNotAStackOverflow() {
        // each level: a one-element, one-dimensional int4[] whose element type is int4[] again
        int depth = 20_000;
        ByteBuffer nested = ByteBuffer.allocate(24 * depth + 4 * 2);
        for (int i = 0; i < depth; i++) {
            int remaining = 24 * (depth - i - 1) + 8;
            nested.putInt(1).putInt(0).putInt(PgTypes.INT4_ARRAY).putInt(1).putInt(1).putInt(remaining);
        }
        nested.putInt(0).putInt(0); // the innermost: an empty array (ndim 0, flags 0) cut short on purpose
        byte[] bytes = nested.array();

        assertThatThrownBy(() -> PgTypes.decodeBinary(bytes, PgTypes.INT4_ARRAY)).as("%d levels deep", depth)
                .isInstanceOf(PgOutputException.class).hasMessageContaining("MAXDIM");
    }

    @ParameterizedTest(name = "{1} rejects ''{0}''")
    @CsvSource({
        "x, 16", "99999, 21", "2147483648, 23", "9223372036854775808, 20", "-1, 26", "1.2.3, 1700", "abc, 701",
        "0x10, 701", "2024-13-01, 1082", "2024-01-01T00:00, 1114", "25:00:00, 1083", "12:00:00, 1266",
        "zz, 2950", "\\x0, 17", "'{1,2', 1007", "'{\"a}', 1009", "1 fortnight, 1186", "P1Y, 1186",
    })
    void malformedTextIsPgOutputException(String text, int oid) {
        assertThatThrownBy(() -> text(text, oid)).as("'%s' as oid %d", text, oid)
                .isInstanceOf(PgOutputException.class).hasMessageContaining("invalid");
    }

    @Test
    void wrongBinaryLengthIsPgOutputException() {
        assertThatThrownBy(() -> bin(PgTypes.INT8, b().i32(1))).as("int8 of 4 bytes")
                .isInstanceOf(PgOutputException.class).hasMessageContaining("expected 8 bytes");
        assertThatThrownBy(() -> bin(PgTypes.NUMERIC, b().i16(100).i16(0).i16(0).i16(0))).as("numeric digits")
                .isInstanceOf(PgOutputException.class).hasMessageContaining("100 digits");
    }

    @Test
    void decodersReadAtAnOffsetWithoutMovingThePosition() {
        ByteBuffer buf = ByteBuffer.wrap("xx42yy".getBytes()).asReadOnlyBuffer();
        assertThat(PgTypes.decoder(PgTypes.INT4).decodeText(buf, 2, 2)).as("slice").isEqualTo(42);
        assertThat(buf.position()).as("position").isZero();
    }
}
