package io.camelpgrepl.pgoutput;

import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the relation cache knows about one table, from its latest Relation message: identity, columns, replica
 * identity, and the value decoder of each column (looked up once here, not per row).
 */
public final class RelationInfo {

    private final int relationId;
    private final String schema;
    private final String table;
    private final char replicaIdentity;
    private final List<PgOutputMessage.Column> columns;
    private final List<String> keyColumns;
    private final String[] names;
    private final ValueDecoder[] decoders;
    private final boolean[] key;
    private final Map<String, Integer> indexByName;
    private final int[] keyIndexes;

    RelationInfo(PgOutputMessage.Relation r) {
        this.relationId = r.relationId();
        this.schema = r.namespace();
        this.table = r.name();
        this.replicaIdentity = r.replicaIdentity();
        this.columns = r.columns();
        int n = columns.size();
        this.names = new String[n];
        this.decoders = new ValueDecoder[n];
        this.key = new boolean[n];
        List<String> keys = new ArrayList<>();
        this.indexByName = new HashMap<>((int) (n / 0.75f) + 1);
        for (int i = 0; i < n; i++) {
            PgOutputMessage.Column c = columns.get(i);
            names[i] = c.name();
            decoders[i] = PgTypes.decoder(c.typeOid());
            key[i] = c.isKey();
            indexByName.putIfAbsent(c.name(), i);
            if (c.isKey()) {
                keys.add(c.name());
            }
        }
        this.keyColumns = Collections.unmodifiableList(keys);
        this.keyIndexes = new int[keys.size()];
        for (int i = 0, k = 0; i < n; i++) {
            if (key[i]) {
                keyIndexes[k++] = i;
            }
        }
    }

    public int relationId() {
        return relationId;
    }

    public String schema() {
        return schema;
    }

    public String table() {
        return table;
    }

    /** {@code 'd'} default (primary key), {@code 'n'} nothing, {@code 'f'} full, {@code 'i'} index. */
    public char replicaIdentity() {
        return replicaIdentity;
    }

    public List<PgOutputMessage.Column> columns() {
        return columns;
    }

    /** Names of the replica-identity columns, in column order. */
    public List<String> keyColumns() {
        return keyColumns;
    }

    String columnName(int index) {
        return names[index];
    }

    /** The index of the column named {@code name}, or -1. */
    int columnIndex(String name) {
        Integer i = indexByName.get(name);
        return i == null ? -1 : i;
    }

    /**
     * Decodes a tuple into column name → typed value, in column order. Null columns map to {@code null},
     * unchanged TOAST columns to {@link UnchangedToast#INSTANCE}. With {@code keyOnly} (an old key tuple,
     * {@code 'K'}) only the replica-identity columns are included.
     */
    Row decodeRow(TupleData t, boolean keyOnly, String label) {
        int n = names.length;
        if (t.size() != n) {
            throw new PgOutputException("pgoutput " + label + ": tuple has " + t.size() + " columns but relation "
                    + schema + "." + table + " (id " + Integer.toUnsignedString(relationId) + ") has " + n
                    + "; the Relation message and the row disagree");
        }
        boolean onlyKeys = keyOnly && !keyColumns.isEmpty();
        Object[] values = new Object[onlyKeys ? keyIndexes.length : n];
        for (int e = 0; e < values.length; e++) {
            int i = onlyKeys ? keyIndexes[e] : e;
            Object v;
            switch (t.kind(i)) {
                case 'n':
                    v = null;
                    break;
                case 'u':
                    v = UnchangedToast.INSTANCE;
                    break;
                case 't':
                    v = decode(t, i, true, label);
                    break;
                default:
                    v = decode(t, i, false, label);
                    break;
            }
            values[e] = v;
        }
        return new Row(this, onlyKeys ? keyIndexes : null, values);
    }

    private Object decode(TupleData t, int i, boolean text, String label) {
        try {
            return text ? decoders[i].decodeText(t.buffer(), t.offset(i), t.length(i))
                    : decoders[i].decodeBinary(t.buffer(), t.offset(i), t.length(i));
        } catch (RuntimeException e) {
            // PgOutputException from the decoder, or anything a third-party decoder let slip
            throw new PgOutputException("pgoutput " + label + ": column " + (i + 1) + " '" + names[i] + "' (type oid "
                    + Integer.toUnsignedString(columns.get(i).typeOid()) + ") of " + schema + "." + table + ": "
                    + e.getMessage() + " at offset " + t.offset(i), e);
        }
    }

    /**
     * The table's shape as a map with keys schema, table, relationId, replicaIdentity ({@code default},
     * {@code nothing}, {@code full} or {@code index}), keyColumns, and columns (each: name, typeOid, typeModifier,
     * key).
     */
    public Map<String, Object> toMap() {
        List<Map<String, Object>> cols = new ArrayList<>(columns.size());
        for (PgOutputMessage.Column c : columns) {
            Map<String, Object> col = new LinkedHashMap<>(8);
            col.put("name", c.name());
            col.put("typeOid", Integer.toUnsignedLong(c.typeOid()));
            col.put("typeModifier", c.typmod());
            col.put("key", c.isKey());
            cols.add(Collections.unmodifiableMap(col));
        }
        Map<String, Object> m = new LinkedHashMap<>(8);
        m.put("schema", schema);
        m.put("table", table);
        m.put("relationId", Integer.toUnsignedLong(relationId));
        m.put("replicaIdentity", switch (replicaIdentity) {
            case 'd' -> "default";
            case 'n' -> "nothing";
            case 'f' -> "full";
            case 'i' -> "index";
            default -> String.valueOf(replicaIdentity);
        });
        m.put("keyColumns", keyColumns);
        m.put("columns", Collections.unmodifiableList(cols));
        return Collections.unmodifiableMap(m);
    }

    /** The table's shape as JSON: the keys of {@link #toMap()}. Jackson writes this text too (see ChangeEvent). */
    @JsonValue
    @JsonRawValue
    public String toJson() {
        return ChangeJson.toJson(this);
    }

    @Override
    public String toString() {
        return "RelationInfo[" + schema + "." + table + " id=" + Integer.toUnsignedString(relationId) + ", columns="
                + columns.size() + ", keys=" + keyColumns + ", replicaIdentity=" + replicaIdentity + "]";
    }
}
