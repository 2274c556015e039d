package io.camelpgrepl.camel;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.camelpgrepl.client.Lsn;
import io.camelpgrepl.fixture.SlotFixture;
import io.camelpgrepl.testing.PostgresExtension;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code outputFormat=debezium} on a real PostgreSQL: INSERT, UPDATE, DELETE, TRUNCATE and a logical message, each
 * compared field by field with the value Debezium's PostgreSQL connector documents for the same change (written out
 * by hand below), the position fields taken from the exchange's own headers.
 */
class PgReplDebeziumIT extends CamelTestSupport {

    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.create();

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The JSON body and the headers the position fields are checked against. */
    record Seen(String json, Map<?, ?> map, Lsn lsn, Lsn commitLsn, Integer xid, Instant commitTime) {
    }

    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private SlotFixture f;

    @Test
    void rowChangesTruncatesAndMessagesAreDebeziumEnvelopes() throws Exception {
        f = SlotFixture.builder(PG.server(), "debezium")
                .columns("id int PRIMARY KEY, name text, price numeric(10,2), tags jsonb").create();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(f.uri() + "&outputFormat=debezium&messages=true").process(e -> {
                    Message m = e.getMessage();
                    seen.add(new Seen(m.getBody(String.class), m.getBody(Map.class), m.getHeader(PgReplConstants.LSN, Lsn.class),
                            m.getHeader(PgReplConstants.COMMIT_LSN, Lsn.class), m.getHeader(PgReplConstants.XID, Integer.class),
                            m.getHeader(PgReplConstants.COMMIT_TIMESTAMP, Instant.class)));
                });
            }
        });
        await().atMost(Duration.ofSeconds(20)).until(f::isActive);
        long start = System.currentTimeMillis();

        f.server.execute(f.database,
                "INSERT INTO items VALUES (1, 'apple', 1.50, '{\"a\": [1, 2]}')",
                "UPDATE items SET name = 'pear' WHERE id = 1",
                "DELETE FROM items WHERE id = 1",
                "TRUNCATE items",
                "SELECT pg_logical_emit_message(true, 'audit', 'hello')");
        await().atMost(Duration.ofSeconds(20)).until(() -> seen.size() == 5);

        // Debezium's documented value for each change (PostgreSQL connector, JSON without schemas), with our
        // encodings: numeric as a JSON number, jsonb embedded; before of an UPDATE is null under the default identity
        assertEnvelope(0, start, """
                {"before": null,
                 "after": {"id": 1, "name": "apple", "price": 1.50, "tags": {"a": [1, 2]}},
                 "source": %s, "op": "c"}""");
        assertEnvelope(1, start, """
                {"before": null,
                 "after": {"id": 1, "name": "pear", "price": 1.50, "tags": {"a": [1, 2]}},
                 "source": %s, "op": "u"}""");
        assertEnvelope(2, start, """
                {"before": {"id": 1}, "after": null, "source": %s, "op": "d"}""");
        assertEnvelope(3, start, """
                {"before": null, "after": null, "source": %s, "op": "t"}""");
        assertEnvelope(4, start, """
                {"source": %s, "op": "m", "message": {"prefix": "audit", "content": "aGVsbG8="}}""");
        assertThat(seen.get(0).map().get("op")).as("the body is a Map too").isEqualTo("c");
    }

    private void assertEnvelope(int i, long start, String expectedWithSource) throws Exception {
        Seen s = seen.get(i);
        boolean message = expectedWithSource.contains("\"m\"");
        // the component's version (as Debezium puts its own): whatever the build says, but never missing
        String version = JSON.readTree(s.json()).path("source").path("version").asText();
        assertThat(version).as("source.version").isNotBlank();
        String source = """
                {"version": "%s", "connector": "postgresql", "name": "%s", "ts_ms": %d, "snapshot": "false",
                 "db": "%s", "sequence": "[\\"%d\\",\\"%d\\"]", "schema": "%s", "table": "%s", "txId": %d,
                 "lsn": %d, "xmin": null}""".formatted(version, f.slot, s.commitTime().toEpochMilli(), f.database,
                s.commitLsn().asLong(), s.lsn().asLong(), message ? "" : "public", message ? "" : "items",
                Integer.toUnsignedLong(s.xid()), s.lsn().asLong());
        ObjectNode actual = (ObjectNode) JSON.readTree(s.json());
        JsonNode ts = actual.remove("ts_ms");
        assertThat(ts.asLong()).as("event %d: ts_ms is when it was converted", i)
                .isBetween(start, System.currentTimeMillis());
        assertThat(actual).as("event %d: %s", i, s.json())
                .isEqualTo(JSON.readTree(expectedWithSource.formatted(source)));
    }

}
