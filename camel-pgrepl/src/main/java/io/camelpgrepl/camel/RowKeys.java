package io.camelpgrepl.camel;

import java.util.List;
import java.util.Map;

import io.camelpgrepl.pgoutput.Row;
import io.camelpgrepl.pgoutput.RowChange;

/**
 * The {@link PgReplConstants#KEY} and {@link PgReplConstants#OLD_KEY} of a row change (DESIGN §5): the primary key
 * columns when the table has one (from the catalog at connect, {@link io.camelpgrepl.client.ReplicationClient#primaryKeys()}),
 * else the replica-identity columns pgoutput flags: the index's with {@code USING INDEX}, every column with
 * {@code FULL}, none with {@code NOTHING} (no key header then).
 *
 * <p>The key is the row's current identity: the new key on an UPDATE, the old one on a DELETE. An UPDATE that changed
 * the key also gets the old key, so a consumer keyed by it (a compacted Kafka topic) can retire the old key, as
 * Debezium's delete-and-tombstone for a changed key allows. When the old tuple lacks a primary key column (a
 * {@code USING INDEX} table with another primary key), the replica-identity columns it does carry are the key.
 */
final class RowKeys {

    private final Map<Integer, List<String>> primaryKeys;

    RowKeys(Map<Integer, List<String>> primaryKeys) {
        this.primaryKeys = primaryKeys;
    }

    /** The row's key, or null when the table has none (or the row lacks its columns). */
    Row key(RowChange change) {
        return keyOf(change, change.operation() == RowChange.Operation.DELETE ? change.before() : change.after());
    }

    /** On an UPDATE that changed the key (as far as the old tuple the server sent shows): the old key; else null. */
    Row oldKey(RowChange change, Row key) {
        if (change.operation() != RowChange.Operation.UPDATE || change.before() == null || key == null) {
            return null;
        }
        Row old = keyOf(change, change.before());
        // an old tuple without the key's columns (the identity index's only) cannot tell whether the key changed
        return old == null || !old.keySet().equals(key.keySet()) || old.sameValues(key) ? null : old;
    }

    private Row keyOf(RowChange change, Map<String, Object> tuple) {
        if (!(tuple instanceof Row row)) {
            return null;
        }
        List<String> pk = primaryKeys.get(change.relationId());
        Row key = pk != null ? row.select(pk) : null;
        if (key == null && !change.keyColumns().isEmpty()) {
            key = row.select(change.keyColumns());
        }
        return key;
    }
}
