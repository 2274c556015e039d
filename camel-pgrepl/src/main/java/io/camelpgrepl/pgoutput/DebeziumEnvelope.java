package io.camelpgrepl.pgoutput;

import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.annotation.JsonValue;
import io.camelpgrepl.client.Lsn;
import java.util.AbstractMap;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The body of {@code outputFormat=debezium} (DESIGN §5): Debezium's PostgreSQL change event value, without the
 * {@code schema}/{@code payload} wrapper. An unmodifiable map that converts to JSON ({@link #toJson()}, values
 * encoded by column type as {@link ChangeJson} does).
 *
 * <ul>
 * <li>Row change: {@code before}, {@code after}, {@code source}, {@code op} ({@code c}, {@code u}, {@code d}, or
 * {@code r} for a snapshot row), {@code ts_ms}.</li>
 * <li>Truncate: {@code op} {@code t}, {@code before} and {@code after} null; {@code source} names the first table
 * (one event per statement, where Debezium sends one per table).</li>
 * <li>Logical message: {@code op} {@code m}, {@code source}, {@code message} ({@code prefix}, {@code content}
 * as bytes: base64 in JSON), {@code ts_ms}, like Debezium's logical decoding message events.</li>
 * </ul>
 *
 * <p>{@code source}: {@code version} (the jar manifest's Implementation-Version, else {@code unknown}), {@code connector} ({@code postgresql}), {@code name} (the slot),
 * {@code ts_ms} (commit time; null while a streamed transaction has not committed), {@code snapshot}
 * ({@code "true"} for snapshot rows, {@code "last"} for the snapshot's last row, else {@code "false"}), {@code db}, {@code sequence} (a JSON array text of
 * two LSNs as decimal strings: the transaction's commit LSN and the event's), {@code schema}, {@code table},
 * {@code txId} (the unsigned 32-bit xid), {@code lsn} (the event's WAL record LSN as a number), {@code xmin}
 * (null).
 */
public final class DebeziumEnvelope extends AbstractMap<String, Object> {

    /** {@code source.version}: this component's version, as Debezium puts its own there. */
    private static final String VERSION = versionOf(DebeziumEnvelope.class);

    private final Map<String, Object> fields;

    private DebeziumEnvelope(Map<String, Object> fields) {
        this.fields = Collections.unmodifiableMap(fields);
    }

    /**
     * The envelope of a row change, truncate or logical message; null for any other event (it has no Debezium
     * form).
     *
     * @param name     {@code source.name}
     * @param database {@code source.db}
     * @param nowMillis top-level {@code ts_ms}: when the event was converted
     */
    public static DebeziumEnvelope of(ChangeEvent event, String name, String database, long nowMillis) {
        return of(event, name, database, nowMillis, "false");
    }

    /**
     * The envelope of an initial snapshot's row ({@code op} {@code r}): {@code source.snapshot} is {@code "true"},
     * and {@code "last"} on the snapshot's last row, as Debezium marks it.
     */
    public static DebeziumEnvelope ofSnapshotRow(RowChange row, boolean last, String name, String database,
                                                 long nowMillis) {
        return of(row, name, database, nowMillis, last ? "last" : "true");
    }

    private static DebeziumEnvelope of(ChangeEvent event, String name, String database, long nowMillis,
                                       String snapshot) {
        Map<String, Object> m = new LinkedHashMap<>(8);
        if (event instanceof RowChange) {
            RowChange rc = (RowChange) event;
            m.put("before", rc.before());
            m.put("after", rc.after());
            m.put("source", source(event, name, database, rc.schema(), rc.table(), snapshot));
            m.put("op", op(rc.operation()));
        } else if (event instanceof ChangeEvent.TruncateChange) {
            ChangeEvent.TruncateChange tc = (ChangeEvent.TruncateChange) event;
            RelationInfo first = tc.relations().isEmpty() ? null : tc.relations().get(0);
            m.put("before", null);
            m.put("after", null);
            m.put("source", source(event, name, database, first != null ? first.schema() : "",
                    first != null ? first.table() : "", snapshot));
            m.put("op", "t");
        } else if (event instanceof ChangeEvent.LogicalMessage) {
            ChangeEvent.LogicalMessage lm = (ChangeEvent.LogicalMessage) event;
            m.put("source", source(event, name, database, "", "", snapshot));
            m.put("op", "m");
            Map<String, Object> message = new LinkedHashMap<>(4);
            message.put("prefix", lm.prefix());
            message.put("content", lm.content());
            m.put("message", Collections.unmodifiableMap(message));
        } else {
            return null;
        }
        m.put("ts_ms", nowMillis);
        return new DebeziumEnvelope(m);
    }

    /** Debezium's {@code op} letter; by name, so a new operation fails here rather than passing unnoticed. */
    static String op(RowChange.Operation operation) {
        switch (operation.name()) {
            case "INSERT":
                return "c";
            case "UPDATE":
                return "u";
            case "DELETE":
                return "d";
            case "READ":
                return "r";
            default:
                throw new IllegalArgumentException("no Debezium op for " + operation);
        }
    }

    private static Map<String, Object> source(ChangeEvent ev, String name, String database, String schema,
                                              String table, String snapshot) {
        TxInfo tx = ev.tx();
        Lsn commit = tx != null && tx.commitLsn().isValid() ? tx.commitLsn() : null;
        Map<String, Object> s = new LinkedHashMap<>(16);
        s.put("version", VERSION);
        s.put("connector", "postgresql");
        s.put("name", name);
        s.put("ts_ms", tx != null && tx.commitTime() != null ? tx.commitTime().toEpochMilli() : null);
        s.put("snapshot", snapshot);
        s.put("db", database);
        s.put("sequence", "[" + quoted(commit) + "," + quoted(ev.lsn()) + "]");
        s.put("schema", schema);
        s.put("table", table);
        s.put("txId", tx != null ? tx.xidUnsigned() : null);
        s.put("lsn", ev.lsn().asLong());
        s.put("xmin", null);
        return Collections.unmodifiableMap(s);
    }

    private static String quoted(Lsn lsn) {
        return lsn == null ? "null" : "\"" + Long.toUnsignedString(lsn.asLong()) + "\"";
    }

    private static String versionOf(Class<?> type) {
        String v = type.getPackage() != null ? type.getPackage().getImplementationVersion() : null;
        return v != null ? v : "unknown";
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return fields.entrySet();
    }

    @Override
    public Object get(Object key) {
        return fields.get(key);
    }

    @Override
    public boolean containsKey(Object key) {
        return fields.containsKey(key);
    }

    /** The envelope as JSON; Jackson writes this text too (see {@link ChangeEvent#toJson()}). */
    @JsonValue
    @JsonRawValue
    public String toJson() {
        return ChangeJson.toJson(this);
    }

    @Override
    public String toString() {
        return toJson();
    }
}
