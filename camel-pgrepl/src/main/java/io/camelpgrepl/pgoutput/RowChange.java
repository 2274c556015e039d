package io.camelpgrepl.pgoutput;

import io.camelpgrepl.client.Lsn;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One decoded row change with its table identity and typed values.
 *
 * <p>{@code before}: for UPDATE and DELETE, the old row the server sent — only the key columns when it sent the
 * replica-identity key ({@code 'K'}), every column with {@code REPLICA IDENTITY FULL} ({@code 'O'}); null for
 * INSERT and for an UPDATE that did not change the key. {@code after}: the new row (null for DELETE). Both are
 * ordered in column order; a null column maps to {@code null}, an unchanged TOAST column to
 * {@link UnchangedToast#INSTANCE}. {@code xid} is the (sub)transaction id the server sent with the change in a
 * streamed block, else the transaction's xid.
 *
 * <p>{@link Operation#READ}: a row of an initial snapshot ({@link SnapshotRows}): {@code after} is the row,
 * {@code before} null, {@code lsn} the snapshot's consistent point, no transaction ({@code tx} null, {@code xid} 0).
 */
public record RowChange(Lsn lsn, TxInfo tx, int xid, int relationId, String schema, String table,
                        Operation operation, Map<String, Object> before, Map<String, Object> after,
                        List<String> keyColumns) implements ChangeEvent {

    public enum Operation { INSERT, UPDATE, DELETE, READ }

    /** Keys {@code schema}, {@code table}, {@code operation} (its name), {@code before}, {@code after}. */
    @Override
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>(8);
        m.put("schema", schema);
        m.put("table", table);
        m.put("operation", operation.name());
        m.put("before", before);
        m.put("after", after);
        return m;
    }
}
