package io.camelpgrepl.camel;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.camelpgrepl.client.Lsn;
import io.camelpgrepl.pgoutput.ChangeEvent;
import io.camelpgrepl.pgoutput.RowChange;
import io.camelpgrepl.pgoutput.TxInfo;
import org.apache.camel.CamelContext;
import org.apache.camel.TypeConverter;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Camel's type converters turn every body into a Map and into JSON (String, UTF-8 bytes, a stream). */
@SuppressWarnings("unchecked")
class PgReplConvertersTest {

    private final CamelContext context = new DefaultCamelContext();

    @AfterEach
    void close() throws Exception {
        context.close();
    }

    private TypeConverter converter() {
        context.start();
        return context.getTypeConverter();
    }

    @Test
    void aRowChangeConvertsToJsonStringBytesAndStream() throws Exception {
        RowChange change = new RowChange(Lsn.of(1), null, 1, 1, "public", "t", RowChange.Operation.DELETE,
                Map.of("id", 1), null, List.of("id"));
        TypeConverter tc = converter();
        String json = "{\"schema\":\"public\",\"table\":\"t\",\"operation\":\"DELETE\",\"before\":{\"id\":1},\"after\":null}";
        assertThat(tc.convertTo(String.class, change)).isEqualTo(json);
        assertThat(new String(tc.convertTo(byte[].class, change), StandardCharsets.UTF_8)).isEqualTo(json);
        try (InputStream in = tc.convertTo(InputStream.class, change)) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(json);
        }
        assertThat(tc.convertTo(Map.class, change)).containsOnlyKeys("schema", "table", "operation", "before", "after");
    }

    @Test
    void transactionEventsConvertToMapAndJsonWithTheSameKeys() {
        TxInfo tx = new TxInfo(42, Lsn.parse("0/10"), Instant.parse("2024-01-01T00:00:00Z"), TxInfo.Kind.REGULAR, null);
        ChangeEvent.TransactionCommit commit = new ChangeEvent.TransactionCommit(Lsn.of(1), tx, 0, Lsn.parse("0/18"));
        TypeConverter tc = converter();
        Map<String, Object> map = tc.convertTo(Map.class, commit);
        assertThat(map).containsEntry("type", "COMMIT").containsEntry("xid", 42L)
                .containsEntry("endLsn", Lsn.parse("0/18"));
        assertThat(tc.convertTo(String.class, commit)).isEqualTo("{\"type\":\"COMMIT\",\"xid\":42,\"gid\":null,"
                + "\"commitLsn\":\"0/10\",\"commitTime\":\"2024-01-01T00:00:00Z\",\"endLsn\":\"0/18\"}");
    }

    @Test
    void aLogicalMessageIsJsonAsTextButItsContentAsBytes() {
        byte[] content = "payload".getBytes(StandardCharsets.UTF_8);
        ChangeEvent.LogicalMessage m = new ChangeEvent.LogicalMessage(Lsn.of(1), null, 0, false, Lsn.of(1), "p",
                content);
        TypeConverter tc = converter();
        assertThat(tc.convertTo(byte[].class, m)).as("unchanged: the content").isEqualTo(content);
        assertThat(tc.convertTo(String.class, m)).isEqualTo(
                "{\"prefix\":\"p\",\"transactional\":false,\"content\":\"cGF5bG9hZA==\"}");
    }
}
