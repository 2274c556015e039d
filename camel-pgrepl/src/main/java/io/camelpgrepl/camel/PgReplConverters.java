package io.camelpgrepl.camel;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import io.camelpgrepl.client.Lsn;
import io.camelpgrepl.pgoutput.ChangeEvent;
import io.camelpgrepl.pgoutput.RelationInfo;
import io.camelpgrepl.pgoutput.RowChange;
import org.apache.camel.Converter;

/**
 * Type converters for the values pgrepl puts on exchanges. Every body converts to a {@code Map} of typed values
 * and to its JSON form ({@code String}, UTF-8 {@code byte[]}, {@code InputStream}) with the same keys; the one
 * exception is a logical message's {@code byte[]}, which is its content.
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
