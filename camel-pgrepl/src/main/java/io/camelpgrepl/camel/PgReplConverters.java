package io.camelpgrepl.camel;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.camelpgrepl.client.ChannelBinding;
import io.camelpgrepl.client.Lsn;
import io.camelpgrepl.client.Origin;
import io.camelpgrepl.client.SnapshotMode;
import io.camelpgrepl.client.SslMode;
import io.camelpgrepl.client.SslNegotiation;
import io.camelpgrepl.client.StreamingMode;
import io.camelpgrepl.pgoutput.ChangeEvent;
import io.camelpgrepl.pgoutput.ChangeJson;
import io.camelpgrepl.pgoutput.DebeziumEnvelope;
import io.camelpgrepl.pgoutput.RelationInfo;
import io.camelpgrepl.pgoutput.Row;
import io.camelpgrepl.pgoutput.RowChange;
import org.apache.camel.Converter;

/**
 * Type converters for the values pgrepl puts on exchanges, and for its options with a fixed set of values. Every
 * body converts to a {@code Map} of typed values and to its JSON form ({@code String}, UTF-8 {@code byte[]},
 * {@code InputStream}) with the same keys; the one exception is a logical message's {@code byte[]}, which is its
 * content. Options parse with the enum's own {@code parse}, so a URI takes exactly the spellings the option documents
 * ({@code sslMode=verify-full}, {@code streaming=false}), in any case, and a wrong one is named with its option.
 * One converter per enum: Camel's own enum conversion runs before any fallback converter, so a single fallback
 * for all of them never sees the text (it would take {@code streaming=false} as an unknown constant).
 */
@Converter(generateLoader = true)
public final class PgReplConverters {

    private PgReplConverters() {
    }

    /** An LSN as PostgreSQL prints it, e.g. {@code 16/B374D848}. */
    @Converter
    public static String lsnToString(Lsn lsn) {
        return lsn.toString();
    }

    /** Parses PostgreSQL's LSN text form. */
    @Converter
    public static Lsn stringToLsn(String text) {
        return Lsn.parse(text);
    }

    /** A row change as a map with keys schema, table, operation, before, after (column name to typed value). */
    @Converter
    public static Map<String, Object> rowChangeToMap(RowChange change) {
        return change.toMap();
    }

    /** A truncate as a map with keys operation, tables, cascade, restartIdentity. */
    @Converter
    public static Map<String, Object> truncateToMap(ChangeEvent.TruncateChange truncate) {
        return truncate.toMap();
    }

    /** A table's shape as a map with keys schema, table, relationId, replicaIdentity, keyColumns, columns. */
    @Converter
    public static Map<String, Object> relationToMap(RelationInfo relation) {
        return relation.toMap();
    }

    /** Any other event (logical message, transaction events) as a map: see {@link ChangeEvent#toMap()}. */
    @Converter
    public static Map<String, Object> eventToMap(ChangeEvent event) {
        return event.toMap();
    }

    /** The content of a logical decoding message (not its JSON: the bytes the application emitted). */
    @Converter
    public static byte[] logicalMessageToBytes(ChangeEvent.LogicalMessage message) {
        return message.content();
    }

    /** sslMode: disable, allow, prefer, require, verify-ca, verify-full. */
    @Converter
    public static SslMode toSslMode(String text) {
        return SslMode.parse(text);
    }

    /** sslNegotiation: postgres or direct. */
    @Converter
    public static SslNegotiation toSslNegotiation(String text) {
        return SslNegotiation.parse(text);
    }

    /** channelBinding: disable, prefer or require. */
    @Converter
    public static ChannelBinding toChannelBinding(String text) {
        return ChannelBinding.parse(text);
    }

    /** streaming: off, on or parallel (false and true read as off and on). */
    @Converter
    public static StreamingMode toStreamingMode(String text) {
        return StreamingMode.parse(text);
    }

    /** origin: none or any. */
    @Converter
    public static Origin toOrigin(String text) {
        return Origin.parse(text);
    }

    /** outputFormat: change, raw or debezium. */
    @Converter
    public static OutputFormat toOutputFormat(String text) {
        return OutputFormat.parse(text);
    }

    /** snapshotMode: never, initial or initialOnly. */
    @Converter
    public static SnapshotMode toSnapshotMode(String text) {
        return SnapshotMode.parse(text);
    }

    /** failurePolicy: redeliver, stop or skip. */
    @Converter
    public static FailurePolicy toFailurePolicy(String text) {
        return FailurePolicy.parse(text);
    }

    /** An event as JSON: the keys of its map form, values encoded by column type. */
    @Converter
    public static String eventToJson(ChangeEvent event) {
        return event.toJson();
    }

    /** An event as UTF-8 JSON. */
    @Converter
    public static byte[] eventToJsonBytes(ChangeEvent event) {
        return event.toJson().getBytes(StandardCharsets.UTF_8);
    }

    /** An event as a stream of UTF-8 JSON. */
    @Converter
    public static InputStream eventToJsonStream(ChangeEvent event) {
        return new ByteArrayInputStream(eventToJsonBytes(event));
    }

    /** A Debezium envelope (outputFormat=debezium) as JSON. */
    @Converter
    public static String envelopeToJson(DebeziumEnvelope envelope) {
        return envelope.toJson();
    }

    /** A Debezium envelope as UTF-8 JSON. */
    @Converter
    public static byte[] envelopeToJsonBytes(DebeziumEnvelope envelope) {
        return envelope.toJson().getBytes(StandardCharsets.UTF_8);
    }

    /** A Debezium envelope as a stream of UTF-8 JSON. */
    @Converter
    public static InputStream envelopeToJsonStream(DebeziumEnvelope envelope) {
        return new ByteArrayInputStream(envelopeToJsonBytes(envelope));
    }

    /** A row's key ({@code CamelPgReplKey}) or any typed row as JSON, e.g. {@code {"id":42}}: a Kafka key. */
    @Converter
    public static String rowToJson(Row row) {
        return ChangeJson.toJson(row);
    }

    /** A row's key as UTF-8 JSON. */
    @Converter
    public static byte[] rowToJsonBytes(Row row) {
        return ChangeJson.toJson(row).getBytes(StandardCharsets.UTF_8);
    }

    /** A table's shape as JSON. */
    @Converter
    public static String relationToJson(RelationInfo relation) {
        return relation.toJson();
    }

    /** A table's shape as UTF-8 JSON. */
    @Converter
    public static byte[] relationToJsonBytes(RelationInfo relation) {
        return relation.toJson().getBytes(StandardCharsets.UTF_8);
    }

    /** A table's shape as a stream of UTF-8 JSON. */
    @Converter
    public static InputStream relationToJsonStream(RelationInfo relation) {
        return new ByteArrayInputStream(relationToJsonBytes(relation));
    }
}
