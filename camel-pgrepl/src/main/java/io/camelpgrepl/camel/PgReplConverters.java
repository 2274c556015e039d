package io.camelpgrepl.camel;

import java.util.Map;

import io.camelpgrepl.client.Lsn;
import io.camelpgrepl.pgoutput.ChangeEvent;
import io.camelpgrepl.pgoutput.RelationInfo;
import io.camelpgrepl.pgoutput.RowChange;
import org.apache.camel.Converter;

/** Type converters for the values pgrepl puts on exchanges. */
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

    /** The content of a logical decoding message. */
    @Converter
    public static byte[] logicalMessageToBytes(ChangeEvent.LogicalMessage message) {
        return message.content();
    }
}
