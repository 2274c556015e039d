package io.camelpgrepl.camel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.camelpgrepl.pgoutput.PgText;
import io.camelpgrepl.pgoutput.PgTypes;
import io.camelpgrepl.testing.PostgresExtension;
import io.camelpgrepl.testing.PostgresServer;
import io.camelpgrepl.testing.TestUsers;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * JSON bodies on a real PostgreSQL: every DESIGN §4 type streamed through {@code pgrepl:} routes, converted with
 * {@code convertBodyTo(String.class)} (text and binary mode), parsed back and compared with what the server prints
 * for the same column; {@code marshal().json()} with camel-jackson, in Java and YAML, writes the same bytes.
 */
class PgReplJsonIT extends CamelTestSupport {

    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.create();

    /** Exact numbers: decimals keep their scale, so {@code 1.50} is not {@code 1.5}. */
    private static final ObjectMapper EXACT = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS, DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true)).build();

    private static final String DB = "json_it";
    private static final String MD5_CHAIN = "(SELECT string_agg(md5(g::text), '') FROM generate_series(1, 600) g)";

    /** Column → SQL type; id int is the key before them. */
    private static final Map<String, String> COLUMNS = columns(
            "b", "bool", "i2", "int2", "i4", "int4", "i8", "int8", "o", "oid", "f4", "float4", "f8", "float8",
            "n", "numeric", "txt", "text", "vc", "varchar(40)", "bc", "char(6)", "nm", "name", "by", "bytea",
            "u", "uuid", "d", "date", "t", "time", "ttz", "timetz", "ts", "timestamp", "tstz", "timestamptz",
            "iv", "interval", "js", "json", "jb", "jsonb", "pt", "point",
            "a_b", "bool[]", "a_i2", "int2[]", "a_i4", "int4[]", "a_i8", "int8[]", "a_o", "oid[]", "a_f4", "float4[]",
            "a_f8", "float8[]", "a_n", "numeric[]", "a_txt", "text[]", "a_vc", "varchar(10)[]", "a_bc", "char(3)[]",
            "a_nm", "name[]", "a_by", "bytea[]", "a_u", "uuid[]", "a_d", "date[]", "a_t", "time[]",
            "a_ttz", "timetz[]", "a_ts", "timestamp[]", "a_tstz", "timestamptz[]", "a_iv", "interval[]",
            "a_js", "json[]", "a_jb", "jsonb[]", "big", "text");

    private static Map<String, String> columns(String... pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return m;
    }

    private static String uri(String slot, boolean binary) {
        PostgresServer server = PG.server();
        return "pgrepl:" + slot + "?publication=json_pub&host=" + server.host() + "&port=" + server.port()
               + "&database=" + DB + "&user=" + TestUsers.SUPERUSER + "&sslMode=disable&statusInterval=1s"
               + "&messages=true&includeTransactionEvents=true&includeRelationEvents=true&binary=" + binary;
    }

    private static void insert(int id, String... columnLiteralPairs) {
        List<String> cols = new ArrayList<>(List.of("id"));
        List<String> values = new ArrayList<>(List.of(Integer.toString(id)));
        for (int i = 0; i < columnLiteralPairs.length; i += 2) {
            assertThat(COLUMNS).as("test table column").containsKey(columnLiteralPairs[i]);
            cols.add(columnLiteralPairs[i]);
            values.add(columnLiteralPairs[i + 1]);
        }
        PG.server().execute(DB, "INSERT INTO typed (" + String.join(", ", cols) + ") VALUES ("
                + String.join(", ", values) + ")");
    }

    @Test
    void everyTypeConvertsToJsonThatMatchesWhatPostgresPrints() throws Exception {
        PostgresServer server = PG.server();
        server.createDatabase(DB);
        server.execute(DB, "CREATE TABLE typed (id int PRIMARY KEY, " + COLUMNS.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", ")) + ")");
        server.execute(DB, "CREATE TABLE other (id int PRIMARY KEY)");
        server.createSlotAndPublication(DB, "json_text", "json_pub", "typed", "other");
        for (String slot : List.of("json_binary", "json_jackson", "json_yaml")) {
            server.queryString(DB, "SELECT lsn::text FROM pg_create_logical_replication_slot(?, 'pgoutput')", slot);
        }
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri("json_text", false)).convertBodyTo(String.class).to("mock:text");
                from(uri("json_binary", true)).convertBodyTo(String.class).to("mock:binary");
                from(uri("json_jackson", false)).marshal().json().to("mock:jackson");
            }
        });
        // the README's YAML route
        PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.fromString("routes.yaml", """
                - route:
                    from:
                      uri: "%s"
                      steps:
                        - marshal: {json: {}}
                        - to: mock:yaml
                """.formatted(uri("json_yaml", false))));

        insert(1, "b", "true", "i2", "-32768", "i4", "2147483647", "i8", "-9223372036854775808", "o", "4294967295",
                "f4", "'3.4028235e38'", "f8", "'0.1'", "n", "'123.4500'", "txt", "E'q\"b\\\\s \\n\\t\\x01 é 😀'",
                "vc", "'varchar'", "bc", "'ab'", "nm", "'a_name'", "by", "'\\x00ff7f80'",
                "u", "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'", "d", "'2024-02-29'", "t", "'23:59:59.999999'",
                "ttz", "'12:34:56.789+05:30'", "ts", "'2024-02-29 12:34:56.123456'",
                "tstz", "'2024-07-01 12:34:56.789012+02'", "iv", "'1 year 2 mons -3 days 04:05:06.5'",
                "js", "'{\"a\": [1, 2.50, \"é\"], \"b\" : null}'", "jb", "'{\"a\": [1, 2.50, \"é\"], \"b\" : null}'",
                "pt", "'(1,2)'",
                "a_b", "'{t,f,NULL}'", "a_i2", "'{1,-2,NULL}'", "a_i4", "'{{1,2,3},{4,NULL,6}}'", "a_i8", "'{}'",
                "a_o", "'{0,4294967295}'", "a_f4", "'{1.5,NaN,-Infinity,1e-45}'", "a_f8", "'{0.1,1e300,NULL,-0}'",
                "a_n", "'{1.10,NaN,-0.000001,Infinity}'",
                "a_txt", "ARRAY['a b', 'with \"quote\"', 'back\\slash', 'NULL', NULL, '', '{x}', ' lead', '😀']",
                "a_vc", "ARRAY['x', 'y z']::varchar(10)[]", "a_bc", "ARRAY['a', 'bc']::char(3)[]",
                "a_nm", "'{pg_catalog,public}'", "a_by", "ARRAY['\\x0102'::bytea, NULL, '\\x'::bytea]",
                "a_u", "'{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11,NULL}'", "a_d", "'{2024-01-01,infinity,-infinity}'",
                "a_t", "'{00:00:00,24:00:00,12:00:00.5}'", "a_ttz", "'{10:00:00+01,23:59:59.5-11:30}'",
                "a_ts", "'{2000-01-01 00:00:00,infinity}'", "a_tstz", "'{2024-03-10 02:30:00+00,-infinity}'",
                "a_iv", "'{1 day,-00:00:00.000001,\"-1 days +02:03:04\"}'",
                "a_js", "ARRAY['{\"k\": \"v\"}'::json, '[1,2]']", "a_jb", "ARRAY['{\"k\": \"v\"}'::jsonb, 'null']",
                "big", MD5_CHAIN);
        insert(2, "b", "false", "f4", "'NaN'", "f8", "'Infinity'", "n", "'NaN'", "vc", "''", "bc", "''",
                "by", "'\\x'", "d", "'infinity'", "t", "'24:00:00'", "ttz", "'00:00:00+14'", "ts", "'infinity'",
                "tstz", "'-infinity'", "iv", "'-178000000 years'", "js", "'[]'", "jb", "'{}'",
                "a_i4", "'{{{1},{2}},{{3},{4}}}'", "a_f8", "'{NaN,Infinity,-Infinity}'", "a_n", "'{}'");
        insert(3, "f4", "'-0'", "f8", "'5e-324'", "n", "'-0.000000000000000000000000000000000000000001000'",
                "d", "'4713-01-01 BC'", "t", "'00:00:00'", "ttz", "'24:00:00+00'", "ts", "'4713-01-01 00:00:00 BC'",
                "tstz", "'0044-03-15 12:00:00+00 BC'", "iv", "'0'", "js", "'\"str\"'", "jb", "'[1, \"a\", true]'",
                "a_iv", "'{\"1 mon -00:00:01\"}'");
        insert(4);
        insert(5, "f4", "'1e+20'", "f8", "'1e+20'", "n", "'-Infinity'", "tstz", "'1850-06-01 00:00:00+00:19:32'",
                "d", "'5874897-12-31'", "ts", "'294276-12-31 23:59:59.999999'", "ttz", "'12:00:00+05:41:16'",
                "iv", "'3 days -00:00:00.000001'");
        server.execute(DB, "UPDATE typed SET i4 = 7 WHERE id = 1",
                "SELECT pg_logical_emit_message(true, 'outbox', '{\"id\": 1}')", "TRUNCATE other");

        for (String mock : List.of("mock:text", "mock:binary", "mock:jackson", "mock:yaml")) {
            await().atMost(Duration.ofSeconds(60)).until(() -> getMockEndpoint(mock).getReceivedExchanges().stream()
                    .anyMatch(e -> "TRUNCATE".equals(e.getMessage().getHeader(PgReplConstants.MESSAGE_TYPE))));
        }
        List<String> text = bodies("mock:text");
        assertThat(bodies("mock:jackson")).as("marshal().json() writes the converter's JSON").isEqualTo(text);
        assertThat(bodies("mock:yaml")).as("YAML marshal: {json: {}}").isEqualTo(text);
        for (String mock : List.of("mock:text", "mock:binary")) {
            checkStream(mock, getMockEndpoint(mock).getReceivedExchanges());
        }
    }

    private List<String> bodies(String mock) {
        return getMockEndpoint(mock).getReceivedExchanges().stream()
                .map(e -> e.getMessage().getBody(String.class)).toList();
    }

    /** Every exchange's JSON parses; rows match the server's text of the stored row, column by column. */
    private void checkStream(String mock, List<Exchange> exchanges) throws Exception {
        Map<Integer, JsonNode> inserted = new LinkedHashMap<>();
        JsonNode update = null;
        for (Exchange e : exchanges) {
            String type = e.getMessage().getHeader(PgReplConstants.MESSAGE_TYPE, String.class);
            JsonNode node = EXACT.readTree(e.getMessage().getBody(String.class));
            switch (type) {
                case "INSERT" -> inserted.put(node.get("after").get("id").intValue(), node.get("after"));
                case "UPDATE" -> update = node.get("after");
                case "MESSAGE" -> {
                    assertThat(node.get("prefix").asText()).isEqualTo("outbox");
                    assertThat(new String(Base64.getDecoder().decode(node.get("content").asText()),
                            StandardCharsets.UTF_8)).isEqualTo("{\"id\": 1}");
                }
                case "TRUNCATE" -> assertThat(node.get("tables").get(0).asText()).isEqualTo("public.other");
                case "RELATION" -> assertThat(node.get("table").asText()).isIn("typed", "other");
                case "BEGIN", "COMMIT" -> assertThat(node.get("xid").isIntegralNumber()).as(type + " xid").isTrue();
                default -> throw new AssertionError("unexpected " + type);
            }
        }
        assertThat(inserted).as(mock + " inserts").containsOnlyKeys(1, 2, 3, 4, 5);
        assertThat(update).as(mock + " update").isNotNull();
        assertThat(update.get("big")).as("unchanged TOAST marker")
                .isEqualTo(EXACT.readTree("{\"unchangedToast\": true}"));
        assertThat(update.get("i4").intValue()).isEqualTo(7);

        try (Connection c = PG.server().connect(DB); Statement st = c.createStatement()) {
            st.execute("SET TimeZone = 'UTC'");
            st.execute("SET IntervalStyle = 'iso_8601'");
            for (Map.Entry<Integer, JsonNode> row : inserted.entrySet()) {
                for (Map.Entry<String, String> col : COLUMNS.entrySet()) {
                    String name = col.getKey();
                    JsonNode values = row.getKey() == 1 && name.equals("i4") ? update : row.getValue();
                    assertThat(values.has(name)).as("every column present: %s", name).isTrue();
                    if (name.equals("pt") && mock.equals("mock:binary") && !values.get(name).isNull()) {
                        // an unknown type in binary mode is its send format: base64 like bytea (point: 2 float8)
                        java.nio.ByteBuffer point = java.nio.ByteBuffer.wrap(
                                Base64.getDecoder().decode(values.get(name).asText()));
                        assertThat(List.of(point.getDouble(), point.getDouble())).as("binary point").containsExactly(
                                1.0, 2.0);
                        continue;
                    }
                    checkColumn(c, mock + " row " + row.getKey() + " " + name, row.getKey(), name, col.getValue(),
                            values.get(name));
                }
            }
        }
    }

    /** One JSON value against the server's text of the stored column; arrays by element and by shape. */
    private static void checkColumn(Connection c, String what, int id, String column, String type, JsonNode v)
            throws Exception {
        if (type.endsWith("[]")) {
            String elem = type.substring(0, type.length() - 2);
            assertThat(v.isNull() || v.isArray()).as(what + " is a JSON array").isTrue();
            if (v.isNull()) {
                assertThat(query(c, "SELECT " + column + " IS NULL FROM typed WHERE id = " + id)).isEqualTo("t");
                return;
            }
            // a json[] element may itself be a JSON array: these arrays are one-dimensional here
            boolean jsonElements = elem.startsWith("json");
            List<JsonNode> leaves = new ArrayList<>();
            if (jsonElements) {
                v.forEach(leaves::add);
            } else {
                collect(v, leaves);
            }
            assertThat(query(c, "SELECT array_dims(" + column + ") FROM typed WHERE id = " + id))
                    .as(what + " dims").isEqualTo(jsonElements ? (v.size() == 0 ? null : "[1:" + v.size() + "]")
                            : dims(v));
            List<String> server = queryAll(c, "SELECT " + printed("e", elem) + " FROM typed, unnest(" + column
                    + ") WITH ORDINALITY AS x(e, i) WHERE id = " + id + " ORDER BY i");
            assertThat(leaves).as(what + " elements").hasSameSizeAs(server);
            for (int i = 0; i < leaves.size(); i++) {
                checkScalar(what + "[" + i + "]", elem, leaves.get(i), server.get(i));
            }
            return;
        }
        checkScalar(what, type, v, query(c, "SELECT " + printed(column, type) + " FROM typed WHERE id = " + id));
    }

    /** {@code col::text}, or the output function for the two types whose cast to text differs (bool, char(n)). */
    private static String printed(String column, String type) {
        return type.equals("bool") || type.startsWith("char(")
                ? "CASE WHEN " + column + " IS NULL THEN NULL ELSE format('%s', " + column + ") END"
                : column + "::text";
    }

    private static void checkScalar(String what, String type, JsonNode v, String server) throws Exception {
        if (server == null) {
            assertThat(v.isNull()).as(what + ": SQL NULL is null, got " + v).isTrue();
            return;
        }
        String base = type.replaceAll("\\(.*\\)", "");
        if (base.equals("json") || base.equals("jsonb")) {
            assertThat(v).as(what + ": embedded JSON").isEqualTo(EXACT.readTree(server));
        } else if ((base.equals("float4") || base.equals("float8")) && v.isNumber()) {
            // the shortest digits: the same decimal the server prints
            assertThat(v.decimalValue()).as(what + ": " + v + " vs " + server)
                    .isEqualByComparingTo(new BigDecimal(server));
        } else {
            assertThat(ours(base, v)).as(what).isEqualTo(server);
        }
    }

    private static String dims(JsonNode v) {
        if (v.size() == 0) {
            return null;
        }
        StringBuilder dims = new StringBuilder();
        for (JsonNode level = v; level.isArray() && level.size() > 0; level = level.get(0)) {
            dims.append("[1:").append(level.size()).append(']');
        }
        return dims.toString();
    }

    private static void collect(JsonNode v, List<JsonNode> out) {
        if (v.isArray()) {
            v.forEach(e -> collect(e, out));
        } else {
            out.add(v);
        }
    }

    private static String query(Connection c, String sql) throws Exception {
        List<String> all = queryAll(c, sql);
        assertThat(all).as(sql).hasSize(1);
        return all.get(0);
    }

    private static List<String> queryAll(Connection c, String sql) throws Exception {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    /**
     * Our JSON value as the text PostgreSQL prints (UTC, IntervalStyle iso_8601): numbers from the JSON number,
     * dates and times through java.time's ISO parsers, bytea from base64, the rest as the JSON string.
     */
    private static String ours(String base, JsonNode v) {
        switch (base) {
            case "bool":
                assertThat(v.isBoolean()).as("bool is a JSON boolean: " + v).isTrue();
                return v.booleanValue() ? "t" : "f";
            case "int2", "int4", "int8", "oid":
                assertThat(v.isIntegralNumber()).as(base + " is a JSON integer: " + v).isTrue();
                return v.bigIntegerValue().toString();
            case "numeric", "float4", "float8":
                if (v.isTextual()) {
                    assertThat(v.asText()).isIn("NaN", "Infinity", "-Infinity");
                    return v.asText();
                }
                assertThat(v.isNumber()).as(base + " is a JSON number: " + v).isTrue();
                return v.decimalValue().toPlainString();
            case "bytea":
                return "\\x" + HexFormat.of().formatHex(Base64.getDecoder().decode(v.asText()));
            case "date":
                return special(v) != null ? special(v) : PgText.toText(LocalDate.parse(v.asText()), PgTypes.DATE);
            case "time":
                return v.asText().equals("24:00:00") ? "24:00:00"
                        : PgText.toText(LocalTime.parse(v.asText()), PgTypes.TIME);
            case "timetz":
                return v.asText().startsWith("24:00:00") ? "24:00:00" + v.asText().substring(8).replace("Z", "+00")
                        : PgText.toText(OffsetTime.parse(v.asText()), PgTypes.TIMETZ);
            case "timestamp":
                return special(v) != null ? special(v)
                        : PgText.toText(LocalDateTime.parse(v.asText()), PgTypes.TIMESTAMP);
            case "timestamptz":
                return special(v) != null ? special(v) : PgText.toText(OffsetDateTime.parse(v.asText())
                        .withOffsetSameInstant(ZoneOffset.UTC), PgTypes.TIMESTAMPTZ);
            default:
                // text types, uuid, interval (ISO 8601 = IntervalStyle iso_8601), point (unknown: its text)
                assertThat(v.isTextual()).as(base + " is a JSON string: " + v).isTrue();
                return v.asText();
        }
    }

    private static String special(JsonNode v) {
        return v.asText().equals("infinity") || v.asText().equals("-infinity") ? v.asText() : null;
    }
}
