package io.camelpgrepl.pgoutput;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Server text → typed value → {@link PgText#toText} gives the server's text back, byte for byte. */
class PgTextTest {

    @ParameterizedTest(name = "oid {1}: ''{0}''")
    @CsvSource(delimiter = '|', value = {
        "t|16", "f|16",
        "-32768|21", "2147483647|23", "-9223372036854775808|20", "4294967295|26",
        "1.5|700", "3.4028235e+38|700", "1e-45|700", "100000|700", "1e+06|700", "0.0001|700", "1.2345e-05|700",
        "-0|701", "0|701", "0.1|701", "1e+100|701", "1e-300|701", "123456789012345|701", "1e+15|701",
        "0.0001|701", "1e-05|701", "Infinity|701", "-Infinity|701", "NaN|701", "1.7976931348623157e+308|701",
        "5e-324|701", "0.30000000000000004|701", "2.5|701", "-1.25e-07|701",
        "123.4500|1700", "-0.001|1700", "0|1700", "0.00|1700", "NaN|1700", "Infinity|1700", "-Infinity|1700",
        "123456789012345678901234567890.000000000000000000001|1700",
        "héllo wörld ✓|25", "abc  |1042", "x|1043", "pg_class|19", "{\"a\": [1, 2]}|3802", "[1,2]|114",
        "\\x00ff10|17", "\\x|17",
        "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11|2950",
        "2024-02-29|1082", "0044-03-15 BC|1082", "infinity|1082", "-infinity|1082", "12345-01-01|1082",
        "13:14:15|1083", "13:14:15.123456|1083", "00:00:00.5|1083", "24:00:00|1083",
        "13:14:15+05:30|1266", "13:14:15.25-08|1266", "00:00:00+14|1266",
        "2024-01-02 03:04:05.123456|1114", "2024-01-02 03:04:05|1114", "0001-01-01 00:00:00 BC|1114",
        "infinity|1114", "-infinity|1114",
        "2024-01-02 03:04:05.123456+00|1184", "2024-07-02 03:04:05-07|1184", "2024-07-02 03:04:05.1+05:30|1184",
        "1900-01-01 00:00:00+00:19:32|1184", "infinity|1184", "-infinity|1184", "0200-01-01 00:00:00+00 BC|1184",
        "1 year 2 mons 3 days 04:05:06.5|1186", "-1 days +02:03:00|1186", "00:00:00|1186", "-00:00:01|1186",
        "1 day|1186", "2 years|1186", "-1 years -2 mons|1186", "1 mon -1 days|1186",
        "100:00:00|1186", "3 days -00:00:00.000001|1186", "infinity|1186", "-infinity|1186",
        "{t,f,NULL}|1000", "{1,2,NULL}|1007", "{{1,2},{3,4}}|1016", "{}|1009",
        "{\"a b\",\"NULL\",NULL,\"q\\\"x\",\"back\\\\slash\",\"\",plain,\"{x}\",\"a,b\"}|1009",
        "{1.50,NaN,-Infinity}|1231", "{1e+100,-0,0.1}|1022", "{1.5,NaN}|1021",
        "{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11}|2951", "{2024-02-29,infinity}|1182",
        "{\"2024-01-02 03:04:05\",-infinity}|1115", "{\"2024-01-02 03:04:05+00\",NULL}|1185",
        "{\"\\\\x0102\",\"\\\\x\"}|1001", "{\"{\\\"a\\\": 1}\"}|3807", "{[1]}|199", "{1,4294967295}|1028",
        "{pg_class}|1003", "{13:14:15,24:00:00}|1183", "{13:14:15+05:30}|1270",
        "{\"1 year 2 mons\",00:00:00,\"-1 days +02:03:00\"}|1187", "{\"ab  \",x}|1014", "{x,\"y z\"}|1015",
        "{-32768,32767}|1005",
    })
    void textRoundTrips(String serverText, int oid) {
        Object value = PgTypes.decodeText(serverText, oid);
        assertThat(PgText.toText(value, oid)).as("toText(decode('%s'), %d)", serverText, oid).isEqualTo(serverText);
    }

    @Test
    void binaryValuesRenderAsTheServerPrintsThem() {
        assertThat(PgText.toText(PgTypes.decodeBinary(new PgBytes().i16(3).i16(1).i16(0).i16(3).i16(1).i16(2345)
                .i16(6780).bytes(), PgTypes.NUMERIC), PgTypes.NUMERIC)).as("binary numeric").isEqualTo("12345.678");
        assertThat(PgText.toText(PgTypes.decodeBinary(new PgBytes().i64(Double.doubleToLongBits(0.1)).bytes(),
                PgTypes.FLOAT8), PgTypes.FLOAT8)).as("binary float8").isEqualTo("0.1");
        assertThat(PgText.toText(PgTypes.decodeBinary(new PgBytes().i64(0).bytes(), PgTypes.TIMESTAMPTZ),
                PgTypes.TIMESTAMPTZ)).as("binary timestamptz in UTC").isEqualTo("2000-01-01 00:00:00+00");
    }

    @Test
    void floatsUseShortestRoundTripDigits() {
        assertThat(PgText.toText(0.1 + 0.2, PgTypes.FLOAT8)).as("0.1+0.2").isEqualTo("0.30000000000000004");
        assertThat(PgText.toText(2.82879384806159E17, PgTypes.FLOAT8)).as("JDK-4511638 case")
                .isEqualTo("2.82879384806159e+17");
        assertThat(PgText.toText(1.0E23, PgTypes.FLOAT8)).as("1e23").isEqualTo("1e+23");
        assertThat(PgText.toText(0.3f, PgTypes.FLOAT4)).as("float4 0.3").isEqualTo("0.3");
    }

    @Test
    void sqlNullIsNull() {
        assertThat(PgText.toText(null, PgTypes.INT4)).as("NULL").isNull();
    }

    @Test
    void renderingTheWrongJavaTypeIsRejected() {
        assertThatThrownBy(() -> PgText.toText("x", PgTypes.INT4)).as("String as int4")
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("OID 23");
        assertThatThrownBy(() -> PgText.toText(UnchangedToast.INSTANCE, PgTypes.TEXT)).as("toast marker")
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void javaValuesRender() {
        assertThat(PgText.toText(new BigDecimal("1E+3"), PgTypes.NUMERIC)).as("plain numeric").isEqualTo("1000");
        assertThat(PgText.toText(OffsetDateTime.of(2024, 1, 2, 3, 4, 5, 120_000_000, ZoneOffset.ofHours(2)),
                PgTypes.TIMESTAMPTZ)).as("timestamptz").isEqualTo("2024-01-02 03:04:05.12+02");
        assertThat(PgText.toText(Arrays.asList("", null), PgTypes.TEXT_ARRAY)).as("empty string vs NULL")
                .isEqualTo("{\"\",NULL}");
    }
}
