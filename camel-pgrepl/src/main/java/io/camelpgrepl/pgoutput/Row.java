package io.camelpgrepl.pgoutput;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * One decoded tuple: an unmodifiable map of column name → typed value in column order (what
 * {@link RowChange#before()} and {@link RowChange#after()} hold), which also knows each column's type OID.
 *
 * <p>The types are why this is not a plain map: json and jsonb arrive as {@code String}s like text, and only the
 * column type tells a JSON encoder to embed them as JSON values. Values are kept in an array indexed like the
 * relation's columns, so a row costs one array instead of a hash entry per column.
 */
public final class Row extends AbstractMap<String, Object> {

    private final RelationInfo relation;
    /** Relation column index of each entry; null when the row has every column (entry i = column i). */
    private final int[] columns;
    private final Object[] values;

    Row(RelationInfo relation, int[] columns, Object[] values) {
        this.relation = relation;
        this.columns = columns;
        this.values = values;
    }

    @Override
    public int size() {
        return values.length;
    }

    /** The name of entry {@code i} (0-based, column order). */
    public String name(int i) {
        return relation.columnName(column(i));
    }

    /** The typed value of entry {@code i}: null for SQL NULL, {@link UnchangedToast#INSTANCE} when not sent. */
    public Object value(int i) {
        return values[i];
    }

    /** The type OID of entry {@code i}'s column. */
    public int typeOid(int i) {
        return relation.columns().get(column(i)).typeOid();
    }

    private int column(int i) {
        return columns == null ? i : columns[i];
    }

    private int indexOf(Object key) {
        if (!(key instanceof String)) {
            return -1;
        }
        int c = relation.columnIndex((String) key);
        if (c < 0 || columns == null) {
            return c;
        }
        for (int i = 0; i < columns.length; i++) {
            if (columns[i] == c) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public boolean containsKey(Object key) {
        return indexOf(key) >= 0;
    }

    @Override
    public Object get(Object key) {
        int i = indexOf(key);
        return i < 0 ? null : values[i];
    }

    @Override
    public Set<Map.Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public int size() {
                return values.length;
            }

            @Override
            public Iterator<Map.Entry<String, Object>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < values.length;
                    }

                    @Override
                    public Map.Entry<String, Object> next() {
                        if (next >= values.length) {
                            throw new NoSuchElementException();
                        }
                        int i = next++;
                        return new AbstractMap.SimpleImmutableEntry<>(name(i), values[i]);
                    }
                };
            }
        };
    }
}
