package io.camelpgrepl.examples.kafka;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelpgrepl.pgoutput.RowChange;
import org.apache.camel.Exchange;
import org.apache.camel.component.kafka.KafkaConstants;

/**
 * The Kafka record key and the event id of a row change, computed in the route from the row's primary key.
 *
 * <p>Interim: the component's own headers {@code CamelPgReplKey} (the replica-identity key as a Map) and
 * {@code CamelPgReplEventId} replace this class once they are released (DESIGN §5).
 */
public final class RecordKeys {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RecordKeys() {
    }

    /** Sets the Kafka record key ({@link KafkaConstants#KEY}) and {@link KafkaPipeline#EVENT_ID_HEADER}. */
    public static void setKeyAndEventId(Exchange exchange) throws JsonProcessingException {
        String key = key(exchange);
        exchange.getMessage().setHeader(KafkaConstants.KEY, key);
        exchange.getMessage().setHeader(KafkaPipeline.EVENT_ID_HEADER, eventId(exchange, key));
    }

    /** The primary key columns as a JSON object ({@code {"id":42}}): one key per row, so one partition per row. */
    static String key(Exchange exchange) throws JsonProcessingException {
        RowChange row = exchange.getMessage().getBody(RowChange.class);
        Map<String, Object> values = row.after() != null ? row.after() : row.before();
        Map<String, Object> key = new LinkedHashMap<>();
        for (String column : row.keyColumns()) {
            key.put(column, values.get(column));
        }
        return JSON.writeValueAsString(key);
    }

    /**
     * Unique per event and the same on redelivery: the transaction's commit LSN, the record's LSN and the key
     * (rows of one multi-row insert can share a record LSN, never a key).
     */
    static String eventId(Exchange exchange, String key) {
        return exchange.getMessage().getHeader("CamelPgReplCommitLsn", String.class) + "/"
                + exchange.getMessage().getHeader("CamelPgReplLsn", String.class) + "/" + key;
    }
}
