package io.camelpgrepl.pgoutput;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelpgrepl.client.Lsn;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The JSON form of bodies and values (DESIGN §5 "JSON"), parsed back with a strict Jackson. */
class ChangeJsonTest {

    private static final ObjectMapper STRICT = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** The JSON of one value of type {@code oid}, decoded from the server's text; the document must parse. */
    private static String json(String serverText, int oid) throws Exception {
        return json(PgTypes.decodeText(serverText, oid), oid);
    }

    private static String json(Object value, int oid) throws Exception {
        String doc = ChangeJson.toJson(row(new Object[] {"c", oid, value}));
        STRICT.readTree(doc);
        assertThat(doc).startsWith("{\"c\":").endsWith("}");
        return doc.substring(5, doc.length() - 1);
    }

    /** A row of (name, type oid, typed value) triples. */
    static Row row(Object[]... columns) {
        List<PgOutputMessage.Column> cols = new ArrayList<>();
        Object[] values = new Object[columns.length];
        for (int i = 0; i < columns.length; i++) {
            cols.add(new PgOutputMessage.Column(i == 0 ? 1 : 0, (String) columns[i][0], (Integer) columns[i][1], -1));
            values[i] = columns[i][2];
        }
        RelationInfo rel = new RelationInfo(new PgOutputMessage.Relation(0, 16384, "public", "t", 'd', cols));
        return new Row(rel, null, values);
    }

    @ParameterizedTest(name = "oid {1}: ''{0}'' -> {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "t|16|true", "f|16|false",
        "-32768|21|-32768", "2147483647|23|2147483647", "-9223372036854775808|20|-9223372036854775808",
        "4294967295|26|4294967295",
        "123.4500|1700|123.4500", "-0.001|1700|-0.001", "0.00|1700|0.00",
        "123456789012345678901234567890.000000000000000000001|1700|123456789012345678901234567890.000000000000000000001",
        "NaN|1700|`\"NaN\"`", "Infinity|1700|`\"Infinity\"`", "-Infinity|1700|`\"-Infinity\"`",
        "0.1|701|0.1", "1e+20|701|1e+20", "-0|701|-0", "5e-324|701|5e-324", "1.7976931348623157e+308|701|1.7976931348623157e+308",
        "123456789012345|701|123456789012345", "1e+15|701|1e+15", "0.0001|701|0.0001", "1e-05|701|1e-05",
        "NaN|701|`\"NaN\"`", "-Infinity|701|`\"-Infinity\"`", "Infinity|700|`\"Infinity\"`",
        "3.4028235e+38|700|3.4028235e+38", "1e-45|700|1e-45", "100000|700|100000", "1e+06|700|1e+06", "1.5|700|1.5",
        "\\x00ff10|17|`\"AP8Q\"`", "\\x|17|`\"\"`",
        "a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11|2950|`\"a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11\"`",
        "2024-02-29|1082|`\"2024-02-29\"`", "0044-03-15 BC|1082|`\"-0043-03-15\"`", "0001-01-01 BC|1082|`\"0000-01-01\"`",
        "12345-01-01|1082|`\"+12345-01-01\"`", "infinity|1082|`\"infinity\"`", "-infinity|1082|`\"-infinity\"`",
        "13:14:00|1083|`\"13:14:00\"`", "13:14:15.123456|1083|`\"13:14:15.123456\"`", "24:00:00|1083|`\"24:00:00\"`",
        "13:14:15+05:30|1266|`\"13:14:15+05:30\"`", "13:14:15.25-08|1266|`\"13:14:15.25-08:00\"`",
        "00:00:00+00|1266|`\"00:00:00Z\"`",
        "2024-01-02 03:04:05.5|1114|`\"2024-01-02T03:04:05.5\"`", "0001-01-01 00:00:00 BC|1114|`\"0000-01-01T00:00:00\"`",
        "infinity|1114|`\"infinity\"`", "-infinity|1114|`\"-infinity\"`",
        "2024-01-02 03:04:05.123456+00|1184|`\"2024-01-02T03:04:05.123456Z\"`",
        "2024-07-02 03:04:05-07|1184|`\"2024-07-02T03:04:05-07:00\"`",
        "1900-01-01 00:00:00+00:19:32|1184|`\"1900-01-01T00:00:00+00:19:32\"`", "infinity|1184|`\"infinity\"`",
        "1 year 2 mons 3 days 04:05:06.5|1186|`\"P1Y2M3DT4H5M6.5S\"`", "-1 days +02:03:00|1186|`\"P-1DT2H3M\"`",
        "00:00:00|1186|`\"PT0S\"`", "3 days -00:00:00.000001|1186|`\"P3DT-0.000001S\"`", "-1 years -2 mons|1186|`\"P-1Y-2M\"`",
        "100:00:00|1186|`\"PT100H\"`", "-00:00:01|1186|`\"PT-1S\"`", "infinity|1186|`\"infinity\"`",
        "{\"a\": [1, 2.50, null]}|3802|`{\"a\": [1, 2.50, null]}`", "`  [1,2]  `|114|`[1,2]`", "\"s\"|114|`\"s\"`",
        "héllo \"wörld\"|25|`\"héllo \\\"wörld\\\"\"`", "`abc  `|1042|`\"abc  \"`", "pg_class|19|`\"pg_class\"`",
        "{t,f,NULL}|1000|`[true,false,null]`", "{{1,2},{3,NULL}}|1016|`[[1,2],[3,null]]`", "{}|1009|`[]`",
        "{1.50,NaN,-Infinity}|1231|`[1.50,\"NaN\",\"-Infinity\"]`", "{1e+100,-0}|1022|`[1e+100,-0]`",
        "{\"{\\\"a\\\": 1}\",NULL}|3807|`[{\"a\": 1},null]`", "{[1]}|199|`[[1]]`",
        "{\"1 year 2 mons\",00:00:00}|1187|`[\"P1Y2M\",\"PT0S\"]`", "{\"\\\\x0102\"}|1001|`[\"AQI=\"]`",
        "{2024-02-29,infinity}|1182|`[\"2024-02-29\",\"infinity\"]`",
    })
    void valuesEncodeByType(String serverText, int oid, String expected) throws Exception {
        assertThat(json(serverText, oid)).as("JSON of '%s' (oid %d)", serverText, oid).isEqualTo(expected);
    }

    @Test
    void floatsAreShortestAndValidJson() throws Exception {
        assertThat(json(0.1 + 0.2, PgTypes.FLOAT8)).isEqualTo("0.30000000000000004");
        assertThat(json(1e20, PgTypes.FLOAT8)).as("exponent form is a JSON number").isEqualTo("1e+20");
        assertThat(STRICT.readTree(json(1e20, PgTypes.FLOAT8)).doubleValue()).isEqualTo(1e20);
        // 2^-1017: the interval below a power of two is half as wide, the nearest 16-digit decimal does not read
        // back but the one above does (PostgreSQL and JDK 19+ print 16 digits)
        assertThat(json(Math.scalb(1.0, -1017), PgTypes.FLOAT8)).isEqualTo("7.120236347223045e-307");
        assertThat(json(2.82879384806159E17, PgTypes.FLOAT8)).as("JDK-4511638").isEqualTo("2.82879384806159e+17");
        assertThat(json(Float.MIN_NORMAL, PgTypes.FLOAT4)).isEqualTo("1.1754944e-38");
        assertThat(json(0.3f, PgTypes.FLOAT4)).isEqualTo("0.3");
        assertThat(json(new BigDecimal("1E+20"), PgTypes.NUMERIC)).as("numeric: no exponent")
                .isEqualTo("100000000000000000000");
    }

    @Test
    void jsonThatIsNotJsonBecomesAString() throws Exception {
        assertThat(json("{not json", PgTypes.JSONB)).isEqualTo("\"{not json\"");
        assertThat(json("{\"a\":1} trailing", PgTypes.JSON)).isEqualTo("\"{\\\"a\\\":1} trailing\"");
        assertThat(json("{\"a\":1}", PgTypes.TEXT)).as("text that looks like JSON stays text")
                .isEqualTo("\"{\\\"a\\\":1}\"");
    }

    @Test
    void nullUnchangedToastAndUnknownTypes() throws Exception {
        assertThat(json(null, PgTypes.INT4)).isEqualTo("null");
        assertThat(json(UnchangedToast.INSTANCE, PgTypes.TEXT)).isEqualTo("{\"unchangedToast\":true}");
        assertThat(json("(1,2)", 600)).as("point stays text").isEqualTo("\"(1,2)\"");
        assertThat(json(new byte[] {1, 2, 3}, 600)).as("binary unknown type").isEqualTo("\"AQID\"");
        assertThat(json(Lsn.parse("16/B374D848"), 0)).isEqualTo("\"16/B374D848\"");
        assertThat(json(Instant.parse("2024-01-02T03:04:05Z"), 0)).isEqualTo("\"2024-01-02T03:04:05Z\"");
        assertThat(json(LocalTime.of(1, 2, 3, 4), 0)).as("nanoseconds kept").isEqualTo("\"01:02:03.000000004\"");
    }

    @Test
    void everyColumnIsPresentInColumnOrder() throws Exception {
        Row r = row(new Object[] {"id", PgTypes.INT4, 1}, new Object[] {"note", PgTypes.TEXT, null},
                new Object[] {"doc", PgTypes.JSONB, "{\"k\": [true]}"}, new Object[] {"big", PgTypes.TEXT,
                        UnchangedToast.INSTANCE});
        RowChange change = new RowChange(Lsn.of(100), null, 7, 16384, "public", "t", RowChange.Operation.UPDATE,
                null, r, List.of("id"));
        String json = change.toJson();
        assertThat(json).isEqualTo("{\"schema\":\"public\",\"table\":\"t\",\"operation\":\"UPDATE\",\"before\":null,"
                + "\"after\":{\"id\":1,\"note\":null,\"doc\":{\"k\": [true]},\"big\":{\"unchangedToast\":true}}}");
        JsonNode node = STRICT.readTree(json);
        List<String> keys = new ArrayList<>();
        node.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).as("JSON keys = Map keys").containsExactlyElementsOf(change.toMap().keySet());
    }

    @Test
    void aRowIsAnOrderedUnmodifiableMapThatKnowsItsTypes() {
        Row r = row(new Object[] {"id", PgTypes.INT4, 1}, new Object[] {"doc", PgTypes.JSONB, "{}"},
                new Object[] {"n", PgTypes.TEXT, null});
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("id", 1);
        expected.put("doc", "{}");
        expected.put("n", null);
        assertThat(r).isEqualTo(expected).containsExactlyEntriesOf(expected);
        assertThat(r.hashCode()).isEqualTo(expected.hashCode());
        assertThat(r.toString()).isEqualTo(expected.toString());
        assertThat(r.containsKey("n")).as("a null column is present").isTrue();
        assertThat(r.containsKey("x")).isFalse();
        assertThat(r.typeOid(1)).isEqualTo(PgTypes.JSONB);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> r.put("x", 1))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void otherBodiesUseTheirMapKeys() throws Exception {
        ChangeEvent.LogicalMessage m = new ChangeEvent.LogicalMessage(Lsn.of(5), null, 0, false, Lsn.of(5), "outbox",
                "{\"id\":1}".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(m.toJson()).isEqualTo("{\"prefix\":\"outbox\",\"transactional\":false,\"content\":\""
                + Base64.getEncoder().encodeToString("{\"id\":1}".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                + "\"}");
        Instant commit = Instant.parse("2024-05-06T07:08:09.123456Z");
        TxInfo tx = new TxInfo(-2, Lsn.parse("0/1A"), commit, TxInfo.Kind.REGULAR, null);
        assertThat(new ChangeEvent.TransactionBegin(Lsn.of(1), tx).toJson()).isEqualTo(
                "{\"type\":\"BEGIN\",\"xid\":4294967294,\"gid\":null,\"commitLsn\":\"0/1A\","
                + "\"commitTime\":\"2024-05-06T07:08:09.123456Z\"}");
        assertThat(new ChangeEvent.TransactionCommit(Lsn.of(1), tx, 0, Lsn.parse("0/20")).toJson()).isEqualTo(
                "{\"type\":\"COMMIT\",\"xid\":4294967294,\"gid\":null,\"commitLsn\":\"0/1A\","
                + "\"commitTime\":\"2024-05-06T07:08:09.123456Z\",\"endLsn\":\"0/20\"}");
        TxInfo streamed = new TxInfo(9, Lsn.INVALID, null, TxInfo.Kind.STREAMED, null);
        assertThat(new ChangeEvent.StreamAborted(Lsn.of(1), streamed, 10, Lsn.INVALID, null).toJson()).isEqualTo(
                "{\"type\":\"STREAM_ABORT\",\"xid\":9,\"gid\":null,\"commitLsn\":null,\"commitTime\":null,"
                + "\"subxid\":10,\"topLevel\":false,\"abortLsn\":null,\"abortTime\":null}");
        RelationInfo rel = new RelationInfo(new PgOutputMessage.Relation(0, 16384, "s", "t", 'f',
                List.of(new PgOutputMessage.Column(1, "id", PgTypes.INT4, -1))));
        assertThat(rel.toJson()).isEqualTo("{\"schema\":\"s\",\"table\":\"t\",\"relationId\":16384,"
                + "\"replicaIdentity\":\"full\",\"keyColumns\":[\"id\"],\"columns\":[{\"name\":\"id\",\"typeOid\":23,"
                + "\"typeModifier\":-1,\"key\":true}]}");
        ChangeEvent.TruncateChange t = new ChangeEvent.TruncateChange(Lsn.of(1), tx, 0, List.of(rel), true, false);
        assertThat(t.toJson()).isEqualTo("{\"operation\":\"TRUNCATE\",\"tables\":[\"s.t\"],\"cascade\":true,"
                + "\"restartIdentity\":false}");
    }

    @Test
    void jacksonWritesTheSameJson() throws Exception {
        ObjectMapper plain = new ObjectMapper();
        Row after = row(new Object[] {"id", PgTypes.INT8, 1L},
                new Object[] {"at", PgTypes.TIMESTAMPTZ, OffsetDateTime.of(2024, 1, 2, 3, 4, 5, 0, ZoneOffset.UTC)},
                new Object[] {"d", PgTypes.DATE, LocalDate.of(2024, 2, 29)},
                new Object[] {"ts", PgTypes.TIMESTAMP, LocalDateTime.MAX},
                new Object[] {"i", PgTypes.INTERVAL, new PgInterval(14, 3, 4_000_000)},
                new Object[] {"b", PgTypes.BYTEA, new byte[] {1}},
                new Object[] {"t", PgTypes.TEXT, UnchangedToast.INSTANCE},
                new Object[] {"j", PgTypes.JSON, "[1, {\"x\": null}]"},
                new Object[] {"a", PgTypes.FLOAT8_ARRAY, Arrays.asList(1e20, Double.NaN, null)});
        RowChange change = new RowChange(Lsn.of(100), null, 7, 16384, "public", "t", RowChange.Operation.INSERT,
                null, after, List.of("id"));
        assertThat(plain.writeValueAsString(change)).as("RowChange").isEqualTo(change.toJson());
        assertThat(plain.writeValueAsString(List.of(change, change))).as("nested in a list")
                .isEqualTo("[" + change.toJson() + "," + change.toJson() + "]");
        ChangeEvent.TransactionBegin begin = new ChangeEvent.TransactionBegin(Lsn.of(1),
                new TxInfo(5, Lsn.of(2), Instant.EPOCH, TxInfo.Kind.REGULAR, null));
        assertThat(plain.writeValueAsString(begin)).as("Begin").isEqualTo(begin.toJson());
        RelationInfo rel = new RelationInfo(new PgOutputMessage.Relation(0, 1, "s", "t", 'd',
                List.of(new PgOutputMessage.Column(1, "id", PgTypes.INT4, -1))));
        assertThat(plain.writeValueAsString(rel)).as("RelationInfo").isEqualTo(rel.toJson());
    }
}
