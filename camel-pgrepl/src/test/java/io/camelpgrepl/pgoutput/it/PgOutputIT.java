package io.camelpgrepl.pgoutput.it;

import static io.camelpgrepl.pgoutput.it.DecodedStream.events;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.camelpgrepl.client.ConfigurationException;
import io.camelpgrepl.client.Lsn;
import io.camelpgrepl.client.ReplicationConfig;
import io.camelpgrepl.client.SslMode;
import io.camelpgrepl.client.StreamingMode;
import io.camelpgrepl.pgoutput.ChangeEvent;
import io.camelpgrepl.pgoutput.PgInterval;
import io.camelpgrepl.pgoutput.PgOutputException;
import io.camelpgrepl.pgoutput.PgOutputMessage;
import io.camelpgrepl.pgoutput.PgText;
import io.camelpgrepl.pgoutput.PgTypes;
import io.camelpgrepl.pgoutput.RelationInfo;
import io.camelpgrepl.pgoutput.RowChange;
import io.camelpgrepl.pgoutput.TxInfo;
import io.camelpgrepl.pgoutput.UnchangedToast;
import io.camelpgrepl.pgoutput.it.DecodedStream.Decoded;
import io.camelpgrepl.testing.PostgresExtension;
import io.camelpgrepl.testing.PostgresServer;

/**
 * The pgoutput decoder ({@link io.camelpgrepl.pgoutput.ChangeStream} over the replication client) against what a
 * real PostgreSQL sends: every built-in type DESIGN §4 lists in text and binary mode, replica identities and
 * unchanged TOAST, TRUNCATE, logical messages, streamed, two-phase and origin-tagged transactions, and schema
 * changes mid-stream. Runs on the default major (18) and on 14; what 14 lacks is asserted as the client's
 * {@link ConfigurationException}.
 */
class PgOutputIT {

    /** The server's TimeZone, which the walsender prints text-mode timestamptz values in. */
    private static final String SERVER_TIME_ZONE = "Asia/Kathmandu";
    private static final String DB = "pgoutput_it";
    private static final AtomicInteger COUNTER = new AtomicInteger();

    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.create().withOptions(PostgresServer.Options.builder()
            .tls(false)
            .setting("logical_decoding_work_mem", "'64kB'")
            .setting("max_prepared_transactions", "10")
            .setting("timezone", "'" + SERVER_TIME_ZONE + "'")
            .build());

    @BeforeAll
    static void createDatabase() {
        if (PG.server().queryLong("postgres", "SELECT count(*) FROM pg_database WHERE datname = ?", DB) == 0) {
            PG.server().createDatabase(DB);
        }
    }

    private static int major() {
        return PG.server().majorVersion();
    }

    private static SqlSession session() {
        return new SqlSession(PG.server(), DB);
    }

    private static String name(String prefix) {
        return prefix + "_" + COUNTER.incrementAndGet();
    }

    /** A publication for {@code tables} and a pgoutput slot created now; returns the slot name. */
    private static String slotFor(String publication, String... tables) {
        String slot = name("slot");
        PG.server().createSlotAndPublication(DB, slot, publication, tables);
        return slot;
    }

    /**
     * Trust-authenticated superuser without TLS. Nothing is ever acknowledged (no idle advancement either), so
     * a slot can be read again from its start with other options.
     */
    private static ReplicationConfig.Builder config(String slot, String publication) {
        return ReplicationConfig.builder().host(PG.server().host()).port(PG.server().port()).database(DB)
                .user("postgres").sslMode(SslMode.DISABLE).slot(slot).publication(publication)
                .statusInterval(Duration.ofMillis(200)).ackIdleKeepalive(false);
    }

    private static List<RowChange> rows(List<Decoded> decoded, String table) {
        return events(decoded).stream().filter(e -> e instanceof RowChange r && r.table().equals(table))
                .map(RowChange.class::cast).toList();
    }

    private static <T extends ChangeEvent> T only(List<Decoded> decoded, Class<T> type) {
        List<T> found = events(decoded).stream().filter(type::isInstance).map(type::cast).toList();
        assertThat(found).as("exactly one " + type.getSimpleName()).hasSize(1);
        return found.get(0);
    }

    // ------------------------------------------------------------------ 1. every type, text and binary

    /** Column name → SQL type of the table every type goes through; id int is the primary key before them. */
    private static final Map<String, String> TYPED_COLUMNS = columns(
            "b", "bool", "i2", "int2", "i4", "int4", "i8", "int8", "o", "oid", "f4", "float4", "f8", "float8",
            "n", "numeric", "txt", "text", "vc", "varchar(40)", "bc", "char(6)", "nm", "name", "größe ✓", "text",
            "by", "bytea", "u", "uuid", "d", "date", "t", "time", "ttz", "timetz", "ts", "timestamp",
            "tstz", "timestamptz", "iv", "interval", "js", "json", "jb", "jsonb",
            "a_b", "bool[]", "a_i2", "int2[]", "a_i4", "int4[]", "a_i8", "int8[]", "a_o", "oid[]", "a_f4", "float4[]",
            "a_f8", "float8[]", "a_n", "numeric[]", "a_txt", "text[]", "a_vc", "varchar(10)[]", "a_bc", "char(3)[]",
            "a_nm", "name[]", "a_by", "bytea[]", "a_u", "uuid[]", "a_d", "date[]", "a_t", "time[]",
            "a_ttz", "timetz[]", "a_ts", "timestamp[]", "a_tstz", "timestamptz[]", "a_iv", "interval[]",
            "a_js", "json[]", "a_jb", "jsonb[]", "big", "text", "big_by", "bytea");

    private static Map<String, String> columns(String... nameTypePairs) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < nameTypePairs.length; i += 2) {
            m.put(nameTypePairs[i], nameTypePairs[i + 1]);
        }
        return m;
    }

    private static String quoted(String column) {
        return '"' + column.replace("\"", "\"\"") + '"';
    }

    /** Inserts row {@code id} in its own transaction, in a session whose TimeZone is {@code zone}. */
    private static void insertTyped(SqlSession s, String table, int id, String zone, String... columnLiteralPairs) {
        List<String> cols = new ArrayList<>(List.of("id"));
        List<String> values = new ArrayList<>(List.of(Integer.toString(id)));
        for (int i = 0; i < columnLiteralPairs.length; i += 2) {
            assertThat(TYPED_COLUMNS).as("test table column").containsKey(columnLiteralPairs[i]);
            cols.add(quoted(columnLiteralPairs[i]));
            values.add(columnLiteralPairs[i + 1]);
        }
        s.run("SET TimeZone = '" + zone + "'",
                "INSERT INTO " + table + " (" + String.join(", ", cols) + ") VALUES (" + String.join(", ", values)
                        + ")");
    }

    private static final String MD5_CHAIN = "(SELECT string_agg(md5(g::text), '') FROM generate_series(1, 600) g)";

    /**
     * What PostgreSQL prints for a column: {@code col::text}, except for the two types whose cast to text is not
     * their output function ({@code bool::text} is {@code true}, {@code char(n)::text} drops the padding), which
     * are printed by {@code format('%s', col)}, i.e. their output function as {@code psql} and text-mode pgoutput.
     */
    private static String printed(String column, String type) {
        String c = quoted(column);
        if (type.equals("bool") || type.startsWith("char(")) {
            return "CASE WHEN " + c + " IS NULL THEN NULL ELSE format('%s', " + c + ") END";
        }
        return c + "::text";
    }

    @Test
    void everyBuiltInTypeTurnsBackIntoTheTextPostgresPrintsInTextAndBinaryMode() throws Exception {
        String table = name("typed");
        String pub = "pub_" + table;
        try (SqlSession s = session()) {
            s.run("CREATE TABLE " + table + " (id int PRIMARY KEY, " + TYPED_COLUMNS.entrySet().stream()
                    .map(e -> quoted(e.getKey()) + " " + e.getValue()).collect(Collectors.joining(", ")) + ")");
            String slot = slotFor(pub, table);
            insertTyped(s, table, 1, "UTC",
                    "b", "true", "i2", "-32768", "i4", "2147483647", "i8", "-9223372036854775808", "o", "4294967295",
                    "f4", "'3.4028235e38'", "f8", "'-1.7976931348623157e308'",
                    "n", "'3.14159265358979323846264338327950288419716939937510582097494459230781640628620899862803"
                            + "482534211706798214808651'",
                    "txt", "'plain ASCII'", "vc", "'varchar'", "bc", "'ab'", "nm", "'a_name'",
                    "größe ✓", "'中文 in a column named in Unicode'", "by", "'\\x00ff7f80'",
                    "u", "'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'", "d", "'2024-02-29'", "t", "'23:59:59.999999'",
                    "ttz", "'12:34:56.789+05:30'", "ts", "'2024-02-29 12:34:56.123456'",
                    "tstz", "'2024-07-01 12:34:56.789012'", "iv", "'1 year 2 mons -3 days 04:05:06.5'",
                    "js", "'{\"a\": [1, 2.50, \"é\"], \"b\" : null}'",
                    "jb", "'{\"a\": [1, 2.50, \"é\"], \"b\" : null}'",
                    "a_b", "'{t,f,NULL}'", "a_i2", "'{1,-2,NULL}'", "a_i4", "'{{1,2,3},{4,NULL,6}}'", "a_i8", "'{}'",
                    "a_o", "'{0,4294967295}'", "a_f4", "'{1.5,NaN,-Infinity,1e-45}'", "a_f8", "'{0.1,1e300,NULL,-0}'",
                    "a_n", "'{1.10,NaN,-0.000001,Infinity}'",
                    "a_txt", "ARRAY['a b', 'with \"quote\"', 'back\\slash', 'NULL', NULL, '', 'héllo', '{x}', 'a,b',"
                            + " ' lead', E'tab\\there', '😀']",
                    "a_vc", "ARRAY['x', 'y z']::varchar(10)[]", "a_bc", "ARRAY['a', 'bc']::char(3)[]",
                    "a_nm", "'{pg_catalog,public}'", "a_by", "ARRAY['\\x0102'::bytea, NULL, '\\x'::bytea]",
                    "a_u", "'{a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11,NULL}'", "a_d", "'{2024-01-01,infinity,-infinity}'",
                    "a_t", "'{00:00:00,24:00:00,12:00:00.5}'", "a_ttz", "'{10:00:00+01,23:59:59.5-11:30}'",
                    "a_ts", "'{2000-01-01 00:00:00,infinity}'",
                    "a_tstz", "'{2024-03-10 02:30:00,1999-12-31 23:59:59.999999,-infinity}'",
                    "a_iv", "'{1 day,-00:00:00.000001}'", "a_js", "ARRAY['{\"k\": \"v\"}'::json, '[1,2]']",
                    "a_jb", "ARRAY['{\"k\": \"v\"}'::jsonb, 'null']",
                    "big", MD5_CHAIN, "big_by", "decode(" + MD5_CHAIN + ", 'hex')");
            insertTyped(s, table, 2, "America/St_Johns",
                    "b", "false", "i2", "32767", "i4", "-2147483648", "i8", "9223372036854775807", "o", "0",
                    "f4", "'NaN'", "f8", "'Infinity'", "n", "'NaN'",
                    "txt", "'😀 emoji, 中文 CJK, 한국어, e\u0301 (e + U+0301), Ω ∑ 🇩🇪'",
                    "vc", "''", "bc", "''",
                    "nm", "'ünïcödé'", "by", "'\\x'", "u", "'00000000-0000-0000-0000-000000000000'",
                    "d", "'infinity'", "t", "'24:00:00'", "ttz", "'00:00:00+14'", "ts", "'infinity'",
                    "tstz", "'-infinity'", "iv", "'-178000000 years'", "js", "'[]'", "jb", "'{}'",
                    "a_i4", "'{{{1},{2}},{{3},{4}}}'", "a_f8", "'{NaN,Infinity,-Infinity}'", "a_n", "'{}'",
                    "a_txt", "ARRAY['😀', '中文', 'e\u0301']", "a_tstz", "'{2024-11-03 01:30:00}'");
            insertTyped(s, table, 3, "Pacific/Chatham",
                    "b", "true", "i2", "0", "i4", "0", "i8", "0", "o", "1", "f4", "'-0'", "f8", "'5e-324'",
                    "n", "'-0.000000000000000000000000000000000000000001000'",
                    "txt", "E'line\\nbreak\\ttab \\\\ backslash \"quote\" ''apostrophe'''", "vc", "'x'",
                    "bc", "'abcdef'", "nm", "repeat('n', 63)", "by", "'\\x5c27'",
                    "u", "'ffffffff-ffff-ffff-ffff-ffffffffffff'", "d", "'4713-01-01 BC'", "t", "'00:00:00'",
                    "ttz", "'24:00:00+00'", "ts", "'4713-01-01 00:00:00 BC'", "tstz", "'0044-03-15 12:00:00 BC'",
                    "iv", "'0'", "js", "'\"str\"'", "jb", "'[1, \"a\", {\"b\": [true, false, null]}]'",
                    "a_d", "'{4713-01-01 BC}'", "a_ts", "'{\"4713-01-01 00:00:00 BC\"}'",
                    "a_tstz", "'{\"0044-03-15 12:00:00 BC\"}'",
                    "a_iv", "'{\"-1 days +02:03:04\",\"1 mon -00:00:01\"}'");
            insertTyped(s, table, 4, "UTC");
            insertTyped(s, table, 5, SERVER_TIME_ZONE,
                    "f4", "'1234567'", "f8", "'123456789012345680000'",
                    "n", "'123456789012345678901234567890.123456789012345678901234567890'",
                    "d", "'5874897-12-31'", "ts", "'294276-12-31 23:59:59.999999'", "tstz", "'1850-06-01 00:00:00'",
                    "ttz", "'12:00:00+05:41:16'",
                    "iv", major() >= 17 ? "'infinity'" : "'2147483647 days 2147483647:59:59.999999'",
                    "a_iv", major() >= 17 ? "'{-infinity,infinity}'"
                            : "'{\"-2147483648 days -2147483647:59:59.999999\"}'",
                    "a_tstz", "'{294276-12-31 23:59:59.999999+00}'",
                    "big", "repeat('😀中文e\u0301', 3000)");

            insertTyped(s, table, 6, "UTC",
                    "n", "(repeat('9', 131072) || '.' || repeat('9', 16383))::numeric",
                    "a_n", "ARRAY[('0.' || repeat('0', 16382) || '1')::numeric,"
                            + " ('-1' || repeat('0', 131071))::numeric]",
                    "f8", "'-5e-324'", "a_f4", "'{-1e-45,3.4028235e38}'");

            List<List<RowChange>> decodedRows = new ArrayList<>();
            for (Pass pass : PASSES) {
                List<Decoded> decoded;
                try {
                    if (pass.walsenderTimeZone() != null) {
                        s.run("ALTER DATABASE " + DB + " SET TimeZone = '" + pass.walsenderTimeZone() + "'",
                                "ALTER DATABASE " + DB + " SET bytea_output = '" + pass.walsenderByteaOutput() + "'");
                    }
                    try (DecodedStream stream = DecodedStream.open(config(slot, pub).binary(pass.binary()).build())) {
                        decoded = stream.readAckPoints(6);
                    }
                } finally {
                    s.run("ALTER DATABASE " + DB + " RESET ALL");
                }
                RelationInfo relation = only(decoded, ChangeEvent.RelationChange.class).relation();
                assertThat(relation.columns()).as("columns the Relation message describes")
                        .extracting(PgOutputMessage.Column::name).containsExactlyElementsOf(
                                concat(List.of("id"), List.copyOf(TYPED_COLUMNS.keySet())));
                assertThat(relation.columns()).as("every column type has a typed decoder")
                        .allSatisfy(c -> assertThat(PgTypes.isKnown(c.typeOid())).as(c.name()).isTrue());
                List<RowChange> rows = rows(decoded, table);
                assertThat(rows).as(pass.label() + " inserts").extracting(r -> r.after().get("id"))
                        .containsExactly(1, 2, 3, 4, 5, 6);
                decodedRows.add(rows);
                s.run("SET TimeZone = '" + pass.comparedInTimeZone() + "'", "SET bytea_output = 'hex'");
                SoftAssertions softly = new SoftAssertions();
                for (RowChange row : rows) {
                    List<String> printed = s.row("SELECT " + relation.columns().stream()
                            .map(c -> printed(c.name(), c.name().equals("id") ? "int" : TYPED_COLUMNS.get(c.name())))
                            .collect(Collectors.joining(", ")) + " FROM " + table + " WHERE id = "
                            + row.after().get("id"));
                    for (int i = 0; i < relation.columns().size(); i++) {
                        PgOutputMessage.Column c = relation.columns().get(i);
                        Object value = row.after().get(c.name());
                        softly.assertThat(PgText.toText(value, c.typeOid()))
                                .as("%s, row %s, column %s (%s): %s", pass.label(), row.after().get("id"), c.name(),
                                        TYPED_COLUMNS.getOrDefault(c.name(), "int"), describe(value))
                                .isEqualTo(printed.get(i));
                    }
                }
                softly.assertAll();
            }

            List<RowChange> textRows = decodedRows.get(0);
            for (int p = 1; p < PASSES.size(); p++) {
                List<RowChange> other = decodedRows.get(p);
                for (int r = 0; r < textRows.size(); r++) {
                    for (String column : textRows.get(r).after().keySet()) {
                        assertThat(comparable(other.get(r).after().get(column)))
                                .as("row %d, column %s: %s decodes to the same Java value as text mode", r + 1, column,
                                        PASSES.get(p).label())
                                .isEqualTo(comparable(textRows.get(r).after().get(column)));
                    }
                }
            }
        }
    }

    /**
     * One way to stream the typed table: text or binary, and settings the walsender takes from the database (null:
     * the server's). The printed text is compared in the TimeZone the decoded timestamptz values carry.
     */
    private record Pass(String label, boolean binary, String walsenderTimeZone, String walsenderByteaOutput) {
        String comparedInTimeZone() {
            return walsenderTimeZone != null ? walsenderTimeZone : binary ? "UTC" : SERVER_TIME_ZONE;
        }
    }

    private static final List<Pass> PASSES = List.of(
            new Pass("text mode", false, null, null),
            new Pass("binary mode", true, null, null),
            new Pass("text mode, walsender in America/St_Johns with bytea_output escape", false, "America/St_Johns",
                    "escape"));

    private static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    private static String describe(Object value) {
        if (value == null) {
            return "null";
        }
        String s = value instanceof byte[] b ? HexFormat.of().formatHex(b) : String.valueOf(value);
        return value.getClass().getSimpleName() + " " + (s.length() > 80 ? s.substring(0, 80) + "..." : s);
    }

    /** Values that compare equal when they are the same value: timestamptz as instants, bytea as hex. */
    private static Object comparable(Object v) {
        if (v instanceof byte[] b) {
            return HexFormat.of().formatHex(b);
        }
        if (v instanceof List<?> l) {
            return l.stream().map(PgOutputIT::comparable).toList();
        }
        if (v instanceof OffsetDateTime t && !t.equals(OffsetDateTime.MAX) && !t.equals(OffsetDateTime.MIN)) {
            return t.toInstant();
        }
        if (v instanceof BigDecimal d) {
            // the digits and the display scale: binary mode keeps a value with more than 100 padding zeros in
            // exponent form (NumericDecoder.MAX_PADDING_ZEROS), text mode has them all; the same number either way
            return d.toPlainString();
        }
        return v;
    }

    @Test
    void textInAnotherDateStyleOrIntervalStyleIsADecodingErrorThatSaysWhatToSetNotAGuess() throws Exception {
        String db = "pgoutput_it_styles";
        if (PG.server().queryLong("postgres", "SELECT count(*) FROM pg_database WHERE datname = ?", db) == 0) {
            PG.server().createDatabase(db);
        }
        PG.server().execute(db, "ALTER DATABASE " + db + " SET DateStyle = 'SQL, DMY'",
                "ALTER DATABASE " + db + " SET IntervalStyle = 'sql_standard'");
        String dates = name("dates");
        String intervals = name("intervals");
        String pub = "pub_" + dates;
        String slot = name("slot");
        PG.server().execute(db, "CREATE TABLE " + dates + " (id int PRIMARY KEY, d date)",
                "CREATE TABLE " + intervals + " (id int PRIMARY KEY, iv interval)");
        PG.server().createSlotAndPublication(db, slot, pub, dates, intervals);
        PG.server().execute(db, "INSERT INTO " + dates + " VALUES (1, '2024-02-29')",
                "INSERT INTO " + intervals + " VALUES (1, '1 year 2 mons 3 days 04:05:06')");

        try (DecodedStream stream = DecodedStream.open(config(slot, pub).database(db).build())) {
            assertThatThrownBy(() -> stream.readUntil(e -> false)).as("a date the walsender printed as SQL, DMY")
                    .isInstanceOf(PgOutputException.class).hasMessageContaining("'d'").hasMessageContaining(dates)
                    .hasMessageContaining("29/02/2024").hasMessageContaining("DateStyle = 'ISO'")
                    .hasMessageContaining("binary=true");
            assertThatThrownBy(() -> stream.readUntil(e -> false)).as("an interval printed as sql_standard")
                    .isInstanceOf(PgOutputException.class).hasMessageContaining("'iv'")
                    .hasMessageContaining("IntervalStyle = 'postgres'");
        }
        try (DecodedStream stream = DecodedStream.open(config(slot, pub).database(db).binary(true).build())) {
            List<Decoded> decoded = stream.readAckPoints(2);
            assertThat(rows(decoded, dates).get(0).after().get("d")).as("binary mode knows no DateStyle")
                    .isEqualTo(LocalDate.of(2024, 2, 29));
            assertThat(rows(decoded, intervals).get(0).after().get("iv")).as("nor IntervalStyle")
                    .isEqualTo(new PgInterval(14, 3, 14_706_000_000L));
        }
    }

    // ------------------------------------------------------------------ 2. replica identity and TOAST

    @Test
    void replicaIdentityDecidesTheOldTupleAndAnUnchangedToastValueIsMarkedNotNull() throws Exception {
        String def = name("ri_default");
        String full = name("ri_full");
        String index = name("ri_index");
        String pub = "pub_" + def;
        try (SqlSession s = session()) {
            s.run("CREATE TABLE " + def + " (id int PRIMARY KEY, v text, big text)",
                    "CREATE TABLE " + full + " (id int PRIMARY KEY, v text, n int, big text)",
                    "ALTER TABLE " + full + " REPLICA IDENTITY FULL",
                    "CREATE TABLE " + index + " (a int NOT NULL, b text NOT NULL, v text)",
                    "CREATE UNIQUE INDEX " + index + "_ab ON " + index + " (a, b)",
                    "ALTER TABLE " + index + " REPLICA IDENTITY USING INDEX " + index + "_ab");
            String slot = slotFor(pub, def, full, index);
            s.run("BEGIN",
                    "INSERT INTO " + def + " VALUES (1, 'a', " + MD5_CHAIN + ")",
                    "INSERT INTO " + full + " VALUES (1, 'a', NULL, " + MD5_CHAIN + ")",
                    "INSERT INTO " + index + " VALUES (1, 'k', 'a')",
                    "COMMIT");
            s.run("UPDATE " + def + " SET v = 'b' WHERE id = 1");
            s.run("UPDATE " + def + " SET id = 2 WHERE id = 1");
            s.run("UPDATE " + full + " SET v = 'b' WHERE id = 1");
            s.run("UPDATE " + index + " SET v = 'b'");
            s.run("UPDATE " + index + " SET b = 'l'");
            s.run("BEGIN", "DELETE FROM " + def, "DELETE FROM " + full, "DELETE FROM " + index, "COMMIT");
            String big = s.string("SELECT " + MD5_CHAIN);

            for (boolean binary : new boolean[] {false, true}) {
                String mode = binary ? "binary mode" : "text mode";
                List<Decoded> decoded;
                try (DecodedStream stream = DecodedStream.open(config(slot, pub).binary(binary).build())) {
                    decoded = stream.readAckPoints(7);
                }
                Map<String, RelationInfo> relations = events(decoded).stream()
                        .filter(e -> e instanceof ChangeEvent.RelationChange)
                        .map(e -> ((ChangeEvent.RelationChange) e).relation())
                        .collect(Collectors.toMap(RelationInfo::table, r -> r));
                assertThat(relations.get(def).replicaIdentity()).as("DEFAULT").isEqualTo('d');
                assertThat(relations.get(def).keyColumns()).containsExactly("id");
                assertThat(relations.get(full).replicaIdentity()).as("FULL").isEqualTo('f');
                assertThat(relations.get(full).keyColumns()).as("FULL: every column identifies the row")
                        .containsExactly("id", "v", "n", "big");
                assertThat(relations.get(index).replicaIdentity()).as("USING INDEX").isEqualTo('i');
                assertThat(relations.get(index).keyColumns()).containsExactly("a", "b");

                List<Decoded> updates = decoded.stream().filter(d -> d.message() instanceof PgOutputMessage.Update)
                        .toList();
                assertThat(updates).hasSize(5);
                Map<String, Object> inserted = rows(decoded, def).get(0).after();
                assertThat(inserted.get("big")).as("an INSERT carries the TOASTed value itself").isEqualTo(big);

                RowChange nonKey = (RowChange) updates.get(0).event();
                assertThat(oldKind(updates.get(0))).as("DEFAULT, key unchanged: no old tuple").isEqualTo((char) 0);
                assertThat(nonKey.before()).isNull();
                assertThat(nonKey.after()).containsEntry("id", 1).containsEntry("v", "b");
                assertThat(nonKey.after().get("big"))
                        .as(mode + ": an unchanged TOASTed column is the marker, not null, not the value")
                        .isSameAs(UnchangedToast.INSTANCE);

                RowChange keyChange = (RowChange) updates.get(1).event();
                assertThat(oldKind(updates.get(1))).as("DEFAULT, key changed: old key").isEqualTo('K');
                assertThat(keyChange.before()).as("old key only").containsExactly(Map.entry("id", 1));
                assertThat(keyChange.after()).containsEntry("id", 2);
                assertThat(keyChange.after().get("big")).isSameAs(UnchangedToast.INSTANCE);

                RowChange fullUpdate = (RowChange) updates.get(2).event();
                assertThat(oldKind(updates.get(2))).as("FULL: whole old tuple").isEqualTo('O');
                assertThat(fullUpdate.before()).as(mode + ": the old tuple carries the TOASTed value itself")
                        .containsExactly(Map.entry("id", 1), Map.entry("v", "a"), new SimpleEntry<>("n", null),
                                Map.entry("big", big));
                assertThat(fullUpdate.after()).containsEntry("v", "b");
                assertThat(fullUpdate.after().get("big")).isSameAs(UnchangedToast.INSTANCE);

                assertThat(oldKind(updates.get(3))).as("USING INDEX, index columns unchanged").isEqualTo((char) 0);
                assertThat(((RowChange) updates.get(3).event()).before()).isNull();
                RowChange indexChange = (RowChange) updates.get(4).event();
                assertThat(oldKind(updates.get(4))).as("USING INDEX, index column changed").isEqualTo('K');
                assertThat(indexChange.before()).containsExactly(Map.entry("a", 1), Map.entry("b", "k"));
                assertThat(indexChange.after()).containsExactly(Map.entry("a", 1), Map.entry("b", "l"),
                        Map.entry("v", "b"));

                List<Decoded> deletes = decoded.stream().filter(d -> d.message() instanceof PgOutputMessage.Delete)
                        .toList();
                assertThat(deletes).extracting(d -> ((PgOutputMessage.Delete) d.message()).oldKind())
                        .as(mode + ": old tuple kinds of the deletes").containsExactly('K', 'O', 'K');
                assertThat(((RowChange) deletes.get(0).event()).before()).containsExactly(Map.entry("id", 2));
                assertThat(((RowChange) deletes.get(1).event()).before()).containsExactly(Map.entry("id", 1),
                        Map.entry("v", "b"), new SimpleEntry<>("n", null), Map.entry("big", big));
                assertThat(((RowChange) deletes.get(2).event()).before()).containsExactly(Map.entry("a", 1),
                        Map.entry("b", "l"));
            }
        }
    }

    private static char oldKind(Decoded update) {
        return ((PgOutputMessage.Update) update.message()).oldKind();
    }

    // ------------------------------------------------------------------ 3. TRUNCATE

    @Test
    void truncateOfSeveralTablesIsOneMessageWithItsFlagsAndEveryRelation() throws Exception {
        String parent = name("tr_parent");
        String child = name("tr_child");
        String other = name("tr_other");
        String pub = "pub_" + parent;
        try (SqlSession s = session()) {
            s.run("CREATE TABLE " + parent + " (id serial PRIMARY KEY)",
                    "CREATE TABLE " + child + " (id serial PRIMARY KEY, parent int REFERENCES " + parent + ")",
                    "CREATE TABLE " + other + " (id bigserial PRIMARY KEY)");
            String slot = slotFor(pub, parent, child, other);
            s.run("INSERT INTO " + parent + " DEFAULT VALUES", "INSERT INTO " + child + " (parent) VALUES (1)",
                    "INSERT INTO " + other + " DEFAULT VALUES");
            s.run("TRUNCATE " + parent + ", " + other + " RESTART IDENTITY CASCADE");
            s.run("TRUNCATE " + other);
            List<Decoded> decoded;
            try (DecodedStream stream = DecodedStream.open(config(slot, pub).build())) {
                decoded = stream.readAckPoints(5);
            }
            List<ChangeEvent.TruncateChange> truncates = events(decoded).stream()
                    .filter(e -> e instanceof ChangeEvent.TruncateChange).map(ChangeEvent.TruncateChange.class::cast)
                    .toList();
            assertThat(truncates).as("one Truncate per statement").hasSize(2);
            ChangeEvent.TruncateChange both = truncates.get(0);
            assertThat(both.relations()).extracting(RelationInfo::table).as("named and cascaded tables")
                    .containsExactlyInAnyOrder(parent, child, other);
            assertThat(both.cascade()).as("CASCADE").isTrue();
            assertThat(both.restartIdentity()).as("RESTART IDENTITY").isTrue();
            assertThat(both.tx()).as("inside its transaction").isNotNull();
            assertThat(both.xid()).isEqualTo(both.tx().xid());
            ChangeEvent.TruncateChange plain = truncates.get(1);
            assertThat(plain.relations()).extracting(RelationInfo::table).containsExactly(other);
            assertThat(plain.cascade()).isFalse();
            assertThat(plain.restartIdentity()).isFalse();
        }
    }

    // ------------------------------------------------------------------ 4. logical messages

    @Test
    void logicalMessagesCarryTheirTransactionalFlagPrefixContentAndLsn() throws Exception {
        String table = name("msg");
        String pub = "pub_" + table;
        try (SqlSession s = session()) {
            s.run("CREATE TABLE " + table + " (id int PRIMARY KEY)");
            String slot = slotFor(pub, table);
            s.run("BEGIN");
            long xid = s.number("SELECT txid_current()");
            Lsn transactional = s.lsn("SELECT pg_logical_emit_message(true, 'tx-prefix', 'hello ✓')");
            Lsn immediate = s.lsn("SELECT pg_logical_emit_message(false, 'non-tx ✓', '\\x00ff'::bytea)");
            s.run("INSERT INTO " + table + " VALUES (1)", "COMMIT");
            s.run("BEGIN");
            s.string("SELECT pg_logical_emit_message(true, 'rolled-back', 'never delivered')");
            Lsn survivor = s.lsn("SELECT pg_logical_emit_message(false, 'survivor', '')");
            s.run("ROLLBACK");
            s.run("INSERT INTO " + table + " VALUES (2)");

            List<Decoded> decoded;
            try (DecodedStream stream = DecodedStream.open(config(slot, pub).messages(true).build())) {
                decoded = stream.readAckPoints(2);
            }
            List<ChangeEvent.LogicalMessage> messages = events(decoded).stream()
                    .filter(e -> e instanceof ChangeEvent.LogicalMessage).map(ChangeEvent.LogicalMessage.class::cast)
                    .toList();
            assertThat(messages).extracting(ChangeEvent.LogicalMessage::prefix)
                    .as("non-transactional at once, transactional at commit, none from the rolled-back transaction")
                    .containsExactly("non-tx ✓", "tx-prefix", "survivor");

            ChangeEvent.LogicalMessage nonTx = messages.get(0);
            assertThat(nonTx.transactional()).isFalse();
            assertThat(nonTx.tx()).as("outside any transaction").isNull();
            assertThat(nonTx.messageLsn()).as("the LSN pg_logical_emit_message returned").isEqualTo(immediate);
            assertThat(nonTx.content()).containsExactly(0x00, 0xff);

            ChangeEvent.LogicalMessage tx = messages.get(1);
            assertThat(tx.transactional()).isTrue();
            assertThat(tx.tx()).as("inside its transaction").isNotNull();
            assertThat(tx.tx().xidUnsigned()).as("the emitting transaction's xid").isEqualTo(xid);
            assertThat(tx.messageLsn()).isEqualTo(transactional);
            assertThat(new String(tx.content(), StandardCharsets.UTF_8)).isEqualTo("hello ✓");
            assertThat(events(decoded).indexOf(tx)).as("before its transaction's row")
                    .isLessThan(events(decoded).indexOf(rows(decoded, table).get(0)));

            ChangeEvent.LogicalMessage last = messages.get(2);
            assertThat(last.transactional()).isFalse();
            assertThat(last.messageLsn()).isEqualTo(survivor);
            assertThat(last.content()).isEmpty();
        }
    }

    // ------------------------------------------------------------------ 5. streamed transactions

    /** The streaming modes this server has; {@code parallel} (PostgreSQL 16+) is asserted refused before 16. */
    private static List<StreamingMode> streamingModes(String slot, String pub) {
        if (major() >= 16) {
            return List.of(StreamingMode.ON, StreamingMode.PARALLEL);
        }
        assertThatThrownBy(() -> DecodedStream.open(config(slot, pub).streaming(StreamingMode.PARALLEL).build()))
                .as("streaming=parallel on PostgreSQL " + major())
                .isInstanceOf(ConfigurationException.class).hasMessageContaining("streaming=parallel");
        return List.of(StreamingMode.ON);
    }

    /** {@code count} rows from {@code from} on, 250 bytes each: 400 rows are more than logical_decoding_work_mem. */
    private static String insertRows(String table, int from, int count) {
        return "INSERT INTO " + table + " SELECT g, repeat('x', 250) FROM generate_series(" + from + ", "
                + (from + count - 1) + ") g";
    }

    private static Set<Integer> ids(List<RowChange> rows) {
        return rows.stream().map(r -> (Integer) r.after().get("id")).collect(Collectors.toCollection(TreeSet::new));
    }

    private static Set<Integer> range(int from, int count) {
        return IntStream.range(from, from + count).boxed().collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void aStreamedTransactionIsGroupedUnderItsXidAndAcknowledgeableOnlyAtStreamCommit() throws Exception {
        String table = name("streamed");
        String pub = "pub_" + table;
        try (SqlSession big = session(); SqlSession small = session()) {
            big.run("CREATE TABLE " + table + " (id int PRIMARY KEY, pad text)");
            String slot = slotFor(pub, table);
            big.run("BEGIN");
            long xid = big.number("SELECT txid_current()");
            big.run(insertRows(table, 1, 500));
            small.run("INSERT INTO " + table + " VALUES (100000, 'committed while the big one is open')");
            big.run(insertRows(table, 501, 500));
            Lsn message = big.lsn("SELECT pg_logical_emit_message(true, 'in-stream', 'm')");
            big.run("COMMIT");

            for (StreamingMode mode : streamingModes(slot, pub)) {
                List<Decoded> decoded;
                try (DecodedStream stream = DecodedStream.open(config(slot, pub).streaming(mode).messages(true)
                        .build())) {
                    decoded = stream.readAckPoints(2);
                    assertThat(stream.changes.openStreamedTransactions()).as(mode + ": nothing left open").isEmpty();
                }
                List<ChangeEvent> events = events(decoded);
                int streamCommit = indexOf(events, e -> e instanceof ChangeEvent.TransactionCommit c
                        && c.tx().kind() == TxInfo.Kind.STREAMED);
                assertThat(streamCommit).as(mode + ": the big transaction ends with a Stream Commit").isEqualTo(
                        events.size() - 1);
                ChangeEvent.TransactionCommit commit = (ChangeEvent.TransactionCommit) events.get(streamCommit);
                assertThat(commit.tx().xidUnsigned()).as(mode + ": Stream Commit xid").isEqualTo(xid);
                assertThat(commit.tx().commitLsn().isValid()).isTrue();
                assertThat(commit.ackLsn()).as(mode + ": acknowledge the end of the commit")
                        .isGreaterThan(commit.tx().commitLsn());

                List<RowChange> streamedRows = new ArrayList<>();
                ChangeEvent.StreamBlockStart block = null;
                List<Boolean> firstSegments = new ArrayList<>();
                for (ChangeEvent e : events.subList(0, streamCommit)) {
                    if (e instanceof ChangeEvent.StreamBlockStart start) {
                        block = start;
                        firstSegments.add(start.firstSegment());
                    } else if (e instanceof ChangeEvent.StreamBlockStop) {
                        block = null;
                    }
                    boolean ofBigTx = e.tx() != null && e.tx().xidUnsigned() == xid;
                    if (ofBigTx) {
                        assertThat(e.ackLsn()).as(mode + ": nothing of the streamed transaction is acknowledgeable"
                                + " before its Stream Commit: " + e).isEqualTo(Lsn.INVALID);
                    }
                    if (e instanceof RowChange r && (Integer) r.after().get("id") <= 1000) {
                        assertThat(block).as(mode + ": row " + r.after().get("id") + " inside a stream block")
                                .isNotNull();
                        assertThat(ofBigTx).as(mode + ": row grouped under the streamed xid").isTrue();
                        assertThat(r.tx().kind()).isEqualTo(TxInfo.Kind.STREAMED);
                        assertThat(r.xid() & 0xFFFF_FFFFL).as("the change's own xid").isEqualTo(xid);
                        assertThat(r.tx().commitLsn()).as("commit LSN unknown while streaming").isEqualTo(Lsn.INVALID);
                        streamedRows.add(r);
                    }
                }
                assertThat(ids(streamedRows)).as(mode + ": every row of the big transaction, once")
                        .isEqualTo(range(1, 1000));
                assertThat(streamedRows).hasSize(1000);
                assertThat(firstSegments).as(mode + ": first segment flag of each block").isNotEmpty()
                        .startsWith(true).containsOnlyOnce(true);

                int smallRow = indexOf(events, e -> e instanceof RowChange r && r.after().get("id").equals(100000));
                ChangeEvent smallCommit = events.get(smallRow + 1);
                assertThat(events.get(smallRow).tx().kind()).as(mode + ": the small transaction is a regular one")
                        .isEqualTo(TxInfo.Kind.REGULAR);
                assertThat(smallCommit).isInstanceOf(ChangeEvent.TransactionCommit.class);
                assertThat(smallCommit.ackLsn().isValid()).as("the small transaction's own commit").isTrue();
                assertThat(smallRow).as(mode + ": committed between blocks of the open big transaction")
                        .isGreaterThan(indexOf(events, e -> e instanceof ChangeEvent.StreamBlockStart));

                ChangeEvent.LogicalMessage m = (ChangeEvent.LogicalMessage) events.get(
                        indexOf(events, e -> e instanceof ChangeEvent.LogicalMessage));
                assertThat(m.tx().kind()).as("a transactional message inside the stream").isEqualTo(
                        TxInfo.Kind.STREAMED);
                assertThat(m.tx().xidUnsigned()).isEqualTo(xid);
                assertThat(m.messageLsn()).isEqualTo(message);
            }
        }
    }

    private static int indexOf(List<ChangeEvent> events, Predicate<ChangeEvent> p) {
        for (int i = 0; i < events.size(); i++) {
            if (p.test(events.get(i))) {
                return i;
            }
        }
        throw new AssertionError("no matching event among " + events.size());
    }

    /**
     * What a consumer of the change stream applies: rows of streamed transactions are held per top-level xid,
     * a Stream Abort drops the aborted (sub)transaction's rows, the Stream Commit releases the rest.
     */
    private static Set<Integer> committedIds(List<ChangeEvent> events) {
        Map<Long, List<RowChange>> held = new LinkedHashMap<>();
        Set<Integer> committed = new TreeSet<>();
        for (ChangeEvent e : events) {
            if (e instanceof RowChange r && r.tx().kind() == TxInfo.Kind.STREAMED) {
                held.computeIfAbsent(r.tx().xidUnsigned(), x -> new ArrayList<>()).add(r);
            } else if (e instanceof RowChange r) {
                committed.add((Integer) r.after().get("id"));
            } else if (e instanceof ChangeEvent.StreamAborted a) {
                List<RowChange> rows = held.getOrDefault(a.tx().xidUnsigned(), new ArrayList<>());
                if (a.topLevel()) {
                    rows.clear();
                } else {
                    rows.removeIf(r -> r.xid() == a.subxid());
                }
            } else if (e instanceof ChangeEvent.TransactionCommit c && c.tx().kind() == TxInfo.Kind.STREAMED) {
                held.getOrDefault(c.tx().xidUnsigned(), List.of()).forEach(r -> committed.add((Integer) r.after()
                        .get("id")));
                held.remove(c.tx().xidUnsigned());
            }
        }
        return committed;
    }

    /** True once a Stream Stop follows a row whose own xid is {@code xid}: that row reached the consumer. */
    private static Predicate<ChangeEvent> blockStreamedWithRowOf(long xid) {
        boolean[] seen = {false};
        return e -> {
            seen[0] |= e instanceof RowChange r && (r.xid() & 0xFFFF_FFFFL) == xid;
            return seen[0] && e instanceof ChangeEvent.StreamBlockStop;
        };
    }

    /**
     * Streams live: PostgreSQL streams a transaction only while it does not know it aborted (16 and later check
     * before streaming), so each ROLLBACK is issued once the consumer has received rows of what it rolls back.
     */
    @Test
    void aRolledBackStreamedTransactionAndARolledBackSubtransactionAreReportedAborted() throws Exception {
        String table = name("aborted");
        String pub = "pub_" + table;
        try (SqlSession s = session()) {
            s.run("CREATE TABLE " + table + " (id int PRIMARY KEY, pad text)");
            String firstSlot = slotFor(pub, table);
            for (StreamingMode mode : streamingModes(firstSlot, pub)) {
                String slot = mode == StreamingMode.ON ? firstSlot : name("slot");
                if (!slot.equals(firstSlot)) {
                    PG.server().createSlot(DB, slot, false);
                }
                s.run("TRUNCATE " + table);
                List<Decoded> decoded = new ArrayList<>();
                try (DecodedStream stream = DecodedStream.open(config(slot, pub).streaming(mode).build())) {
                    s.run("BEGIN");
                    long rolledBack = s.number("SELECT txid_current()");
                    s.run(insertRows(table, 1, 800));
                    decoded.addAll(stream.readUntil(blockStreamedWithRowOf(rolledBack)));
                    Lsn beforeRollback = s.walInsertLsn();
                    s.run("ROLLBACK");
                    Lsn afterRollback = s.walInsertLsn();

                    s.run("BEGIN");
                    long top = s.number("SELECT txid_current()");
                    s.run(insertRows(table, 1001, 400), "SAVEPOINT s1", insertRows(table, 2001, 400),
                            "SAVEPOINT s2", insertRows(table, 2501, 400), "RELEASE SAVEPOINT s2");
                    long sub = s.number("SELECT xmin::text::bigint FROM " + table + " WHERE id = 2001");
                    long nested = s.number("SELECT xmin::text::bigint FROM " + table + " WHERE id = 2501");
                    decoded.addAll(stream.readUntil(blockStreamedWithRowOf(nested)));
                    s.run("ROLLBACK TO SAVEPOINT s1", "RELEASE SAVEPOINT s1", insertRows(table, 3001, 100),
                            "COMMIT");
                    s.run("INSERT INTO " + table + " VALUES (9999, 'marker')");
                    decoded.addAll(stream.readAckPoints(2));
                    assertThat(stream.changes.openStreamedTransactions()).as(mode + ": nothing left open").isEmpty();

                    List<ChangeEvent> events = events(decoded);
                    String summary = mode + ": " + DecodedStream.summary(decoded);
                    List<ChangeEvent.StreamAborted> aborts = events.stream()
                            .filter(e -> e instanceof ChangeEvent.StreamAborted)
                            .map(ChangeEvent.StreamAborted.class::cast).toList();
                    assertThat(aborts).as(summary + ": the rolled-back transaction, then the rolled-back"
                            + " subtransaction and the one released into it").hasSize(3);

                    ChangeEvent.StreamAborted whole = aborts.get(0);
                    assertThat(whole.tx().xidUnsigned()).as(summary).isEqualTo(rolledBack);
                    assertThat(whole.topLevel()).as("the whole transaction").isTrue();
                    assertThat(whole.ackLsn()).as("an abort acknowledges nothing").isEqualTo(Lsn.INVALID);
                    assertThat(ids(rows(decoded, table).stream().filter(r -> r.tx().xidUnsigned() == rolledBack)
                            .toList())).as(summary + ": rows streamed before the ROLLBACK").isNotEmpty()
                            .isSubsetOf(range(1, 800));
                    if (mode == StreamingMode.PARALLEL) {
                        assertThat(whole.abortLsn()).as("v4 parallel: the end of the abort record")
                                .isGreaterThan(beforeRollback).isLessThanOrEqualTo(afterRollback);
                        assertThat(whole.abortTime()).as("v4 parallel: abort time").isNotNull();
                    } else {
                        assertThat(whole.abortLsn()).as("no abort LSN without parallel streaming")
                                .isEqualTo(Lsn.INVALID);
                        assertThat(whole.abortTime()).isNull();
                    }

                    for (ChangeEvent.StreamAborted subxact : aborts.subList(1, 3)) {
                        assertThat(subxact.tx().xidUnsigned()).as("belongs to the top-level transaction")
                                .isEqualTo(top);
                        assertThat(subxact.topLevel()).isFalse();
                        long subxid = subxact.subxid() & 0xFFFF_FFFFL;
                        List<RowChange> subRows = rows(decoded, table).stream()
                                .filter(r -> (r.xid() & 0xFFFF_FFFFL) == subxid).toList();
                        assertThat(ids(subRows)).as(summary + ": rows of subtransaction " + subxid
                                + " streamed before its abort").isNotEmpty().isSubsetOf(subxid == sub
                                ? range(2001, 400) : range(2501, 400));
                        assertThat(subRows).allSatisfy(r -> assertThat(r.tx().xidUnsigned()).isEqualTo(top));
                        assertThat(events.indexOf(subxact)).as("abort after the subtransaction's rows")
                                .isGreaterThan(events.indexOf(subRows.get(subRows.size() - 1)));
                    }
                    assertThat(aborts.subList(1, 3)).extracting(a -> a.subxid() & 0xFFFF_FFFFL)
                            .as("savepoint s1 and s2, released into it").containsExactlyInAnyOrder(sub, nested);

                    Set<Integer> inTable = new TreeSet<>();
                    for (String id : s.string("SELECT string_agg(id::text, ',') FROM " + table).split(",")) {
                        inTable.add(Integer.parseInt(id));
                    }
                    Set<Integer> expected = new TreeSet<>(range(1001, 400));
                    expected.addAll(range(3001, 100));
                    expected.add(9999);
                    assertThat(committedIds(events)).as(summary + ": rows a consumer applies").isEqualTo(expected)
                            .isEqualTo(inTable);
                }
            }
        }
    }

    // ------------------------------------------------------------------ 6. two-phase

    @Test
    void preparedTransactionsAreDecodedWithGidXidAndLsnsThenCommittedOrRolledBack() throws Exception {
        String table = name("two_phase");
        String pub = "pub_" + table;
        try (SqlSession s = session()) {
            s.run("CREATE TABLE " + table + " (id int PRIMARY KEY, pad text)", "CREATE PUBLICATION " + pub
                    + " FOR TABLE " + table);
            String slot = name("slot_2pc");
            ReplicationConfig config = config(slot, pub).createSlot(true).twoPhase(true)
                    .streaming(StreamingMode.ON).build();
            if (major() < 15) {
                assertThatThrownBy(() -> DecodedStream.open(config)).as("twoPhase on PostgreSQL " + major())
                        .isInstanceOf(ConfigurationException.class).hasMessageContaining("twoPhase");
                return;
            }
            try (DecodedStream stream = DecodedStream.open(config)) {
                assertThat(s.string("SELECT two_phase::text FROM pg_replication_slots WHERE slot_name = '" + slot
                        + "'")).as("slot created with two_phase").isEqualTo("true");

                s.run("BEGIN", "INSERT INTO " + table + " VALUES (1, 'to commit')");
                long xid1 = s.number("SELECT txid_current()");
                Lsn beforePrepare1 = s.walInsertLsn();
                s.run("PREPARE TRANSACTION 'gid commit ✓'");
                Lsn afterPrepare1 = s.walInsertLsn();
                s.run("COMMIT PREPARED 'gid commit ✓'");
                Lsn afterCommit1 = s.walInsertLsn();

                s.run("BEGIN", "INSERT INTO " + table + " VALUES (2, 'to roll back')");
                long xid2 = s.number("SELECT txid_current()");
                s.run("PREPARE TRANSACTION 'gid-rollback'");
                Lsn afterPrepare2 = s.walInsertLsn();
                s.run("ROLLBACK PREPARED 'gid-rollback'");
                Lsn afterRollback2 = s.walInsertLsn();

                s.run("BEGIN", insertRows(table, 10, 600));
                long xid3 = s.number("SELECT txid_current()");
                s.run("PREPARE TRANSACTION 'gid-streamed'", "COMMIT PREPARED 'gid-streamed'");

                List<Decoded> decoded = stream.readAckPoints(6);
                List<ChangeEvent> events = events(decoded);

                ChangeEvent.PrepareBegin begin1 = (ChangeEvent.PrepareBegin) events.get(0);
                assertThat(begin1.tx().gid()).isEqualTo("gid commit ✓");
                assertThat(begin1.tx().xidUnsigned()).isEqualTo(xid1);
                assertThat(begin1.tx().kind()).isEqualTo(TxInfo.Kind.PREPARED);
                assertThat(begin1.ackLsn()).isEqualTo(Lsn.INVALID);
                RowChange row1 = rows(decoded, table).get(0);
                assertThat(row1.after()).containsEntry("id", 1);
                assertThat(row1.tx().gid()).as("the row knows its prepared transaction").isEqualTo("gid commit ✓");
                ChangeEvent.TransactionPrepared prepared1 = (ChangeEvent.TransactionPrepared) events.get(
                        events.indexOf(row1) + 1);
                assertThat(prepared1.streamed()).isFalse();
                assertThat(prepared1.tx().gid()).isEqualTo("gid commit ✓");
                assertThat(prepared1.tx().xidUnsigned()).isEqualTo(xid1);
                assertThat(prepared1.tx().commitLsn()).as("Prepare and Begin Prepare agree on the prepare LSN")
                        .isEqualTo(begin1.tx().commitLsn())
                        .isGreaterThanOrEqualTo(beforePrepare1).isLessThan(afterPrepare1);
                assertThat(prepared1.ackLsn()).as("acknowledge the end of the prepare record")
                        .isGreaterThan(prepared1.tx().commitLsn()).isLessThanOrEqualTo(afterPrepare1);
                assertThat(prepared1.tx().commitTime()).isNotNull();

                ChangeEvent.PreparedCommitted committed1 = (ChangeEvent.PreparedCommitted) events.get(
                        events.indexOf(prepared1) + 1);
                assertThat(committed1.tx().gid()).isEqualTo("gid commit ✓");
                assertThat(committed1.tx().xidUnsigned()).isEqualTo(xid1);
                assertThat(committed1.tx().commitLsn()).as("COMMIT PREPARED record")
                        .isGreaterThanOrEqualTo(afterPrepare1).isLessThan(afterCommit1);
                assertThat(committed1.ackLsn()).isGreaterThan(committed1.tx().commitLsn())
                        .isLessThanOrEqualTo(afterCommit1);

                int begin2 = indexOf(events, e -> e instanceof ChangeEvent.PrepareBegin b
                        && "gid-rollback".equals(b.tx().gid()));
                assertThat(events.get(begin2).tx().xidUnsigned()).isEqualTo(xid2);
                assertThat(((RowChange) events.get(begin2 + 1)).after()).containsEntry("id", 2);
                ChangeEvent.TransactionPrepared prepared2 = (ChangeEvent.TransactionPrepared) events.get(begin2 + 2);
                assertThat(prepared2.tx().gid()).isEqualTo("gid-rollback");
                ChangeEvent.PreparedRolledBack rolledBack = (ChangeEvent.PreparedRolledBack) events.get(begin2 + 3);
                assertThat(rolledBack.tx().gid()).isEqualTo("gid-rollback");
                assertThat(rolledBack.tx().xidUnsigned()).isEqualTo(xid2);
                assertThat(rolledBack.prepareEndLsn()).as("names the prepare it undoes")
                        .isEqualTo(prepared2.ackLsn()).isLessThanOrEqualTo(afterPrepare2);
                assertThat(rolledBack.prepareTime()).isEqualTo(prepared2.tx().commitTime());
                assertThat(rolledBack.ackLsn()).isGreaterThan(afterPrepare2).isLessThanOrEqualTo(afterRollback2);
                assertThat(rolledBack.tx().commitTime()).as("rollback time").isNotNull();

                ChangeEvent.TransactionPrepared streamPrepare = (ChangeEvent.TransactionPrepared) events.get(
                        indexOf(events, e -> e instanceof ChangeEvent.TransactionPrepared p && p.streamed()));
                assertThat(streamPrepare.tx().gid()).as("a large prepared transaction: Stream Prepare")
                        .isEqualTo("gid-streamed");
                assertThat(streamPrepare.tx().xidUnsigned()).isEqualTo(xid3);
                assertThat(ids(rows(decoded, table).stream().filter(r -> r.tx().xidUnsigned() == xid3).toList()))
                        .isEqualTo(range(10, 600));
                ChangeEvent last = events.get(events.size() - 1);
                assertThat(last).isInstanceOf(ChangeEvent.PreparedCommitted.class);
                assertThat(last.tx().gid()).isEqualTo("gid-streamed");
            }
        }
    }

    // ------------------------------------------------------------------ 7. schema changes

    @Test
    void addAndDropColumnMidStreamSendANewRelationThatReplacesTheOld() throws Exception {
        String table = name("altered");
        String pub = "pub_" + table;
        try (SqlSession s = session()) {
            s.run("CREATE TABLE " + table + " (id int PRIMARY KEY, a text)");
            String slot = slotFor(pub, table);
            try (DecodedStream stream = DecodedStream.open(config(slot, pub).build())) {
                s.run("INSERT INTO " + table + " VALUES (1, 'before')");
                List<Decoded> first = stream.readAckPoints(1);
                s.run("ALTER TABLE " + table + " ADD COLUMN b numeric DEFAULT 1.5",
                        "INSERT INTO " + table + " VALUES (2, 'added', 2.25)");
                List<Decoded> second = stream.readAckPoints(1);
                s.run("ALTER TABLE " + table + " DROP COLUMN a",
                        "ALTER TABLE " + table + " ALTER COLUMN id TYPE bigint",
                        "CREATE TYPE " + table + "_mood AS ENUM ('sad', '😀 happy')",
                        "ALTER TABLE " + table + " ADD COLUMN m " + table + "_mood",
                        "INSERT INTO " + table + " VALUES (3, 3.75, '😀 happy')");
                List<Decoded> third = stream.readAckPoints(1);

                RelationInfo r1 = only(first, ChangeEvent.RelationChange.class).relation();
                RelationInfo r2 = only(second, ChangeEvent.RelationChange.class).relation();
                RelationInfo r3 = only(third, ChangeEvent.RelationChange.class).relation();
                assertThat(List.of(r1.relationId(), r2.relationId(), r3.relationId())).as("one relation id")
                        .containsOnly(r1.relationId());
                assertThat(r1.columns()).extracting(PgOutputMessage.Column::name).containsExactly("id", "a");
                assertThat(r2.columns()).extracting(PgOutputMessage.Column::name).containsExactly("id", "a", "b");
                assertThat(r3.columns()).extracting(PgOutputMessage.Column::name).containsExactly("id", "b", "m");
                assertThat(r3.columns().get(0).typeOid()).as("id is bigint now").isEqualTo(PgTypes.INT8);
                assertThat(stream.changes.relations().require(r1.relationId(), "test")).as("the cache holds the newest")
                        .isSameAs(r3);

                assertThat(rows(first, table).get(0).after()).containsExactly(Map.entry("id", 1),
                        Map.entry("a", "before"));
                assertThat(rows(second, table).get(0).after()).containsExactly(Map.entry("id", 2),
                        Map.entry("a", "added"), Map.entry("b", new BigDecimal("2.25")));
                assertThat(rows(third, table).get(0).after()).containsExactly(Map.entry("id", 3L),
                        Map.entry("b", new BigDecimal("3.75")), Map.entry("m", "😀 happy"));
                ChangeEvent.TypeInfo type = only(third, ChangeEvent.TypeInfo.class);
                assertThat(type.name()).as("a Type message describes the enum before the Relation that uses it")
                        .isEqualTo(table + "_mood");
                assertThat(type.namespace()).isEqualTo("public");
                assertThat(type.typeOid()).isEqualTo(r3.columns().get(2).typeOid());
                List<ChangeEvent> thirdEvents = events(third);
                assertThat(thirdEvents.indexOf(type)).isLessThan(thirdEvents.indexOf(
                        only(third, ChangeEvent.RelationChange.class)));
            }
        }
    }

    // ------------------------------------------------------------------ 8. origin

    @Test
    void changesFromAReplicationOriginAreSkippedWithOriginNoneAndDeliveredWithAny() throws Exception {
        String table = name("origin");
        String pub = "pub_" + table;
        String origin = name("origin ✓");
        try (SqlSession s = session(); SqlSession replicated = session()) {
            s.run("CREATE TABLE " + table + " (id int PRIMARY KEY, v text)");
            String slot = slotFor(pub, table);
            s.string("SELECT pg_replication_origin_create('" + origin + "')");
            replicated.string("SELECT pg_replication_origin_session_setup('" + origin + "')");
            replicated.run("BEGIN");
            replicated.string("SELECT pg_replication_origin_xact_setup('0/ABCDEF', now())");
            replicated.run("INSERT INTO " + table + " VALUES (1, 'replicated')", "COMMIT");
            replicated.string("SELECT pg_replication_origin_session_reset()");
            s.run("INSERT INTO " + table + " VALUES (2, 'local')");

            List<Decoded> any;
            if (major() >= 16) {
                List<Decoded> none;
                try (DecodedStream stream = DecodedStream.open(config(slot, pub).origin("none").build())) {
                    none = stream.readAckPoints(1);
                }
                assertThat(rows(none, table)).as("origin=none: only the local change").extracting(r -> r.after()
                        .get("id")).containsExactly(2);
                assertThat(events(none)).noneMatch(e -> e instanceof ChangeEvent.OriginInfo);
                try (DecodedStream stream = DecodedStream.open(config(slot, pub).origin("any").build())) {
                    any = stream.readAckPoints(2);
                }
            } else {
                assertThatThrownBy(() -> DecodedStream.open(config(slot, pub).origin("none").build()))
                        .as("origin on PostgreSQL " + major()).isInstanceOf(ConfigurationException.class)
                        .hasMessageContaining("origin");
                try (DecodedStream stream = DecodedStream.open(config(slot, pub).build())) {
                    any = stream.readAckPoints(2);
                }
            }
            assertThat(rows(any, table)).as("every change").extracting(r -> r.after().get("id"))
                    .containsExactly(1, 2);
            ChangeEvent.OriginInfo info = only(any, ChangeEvent.OriginInfo.class);
            assertThat(info.name()).isEqualTo(origin);
            assertThat(info.originCommitLsn()).as("the origin LSN set for the transaction").isEqualTo(
                    Lsn.parse("0/ABCDEF"));
            assertThat(info.tx()).as("belongs to the replicated transaction").isEqualTo(rows(any, table).get(0).tx());
        }
    }
}
