package io.camelpgrepl.pgoutput;

import java.io.Serializable;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * A decoded row: column name to value, in column order, immutable, nulls allowed. The names and their positions
 * ({@link Columns}) are shared by every row of a relation, so a row costs one array of values where a hash map would
 * allocate an entry per column: on a busy stream that is most of the garbage decoding makes. Equal to any map with
 * the same entries; serialised as an unmodifiable {@link LinkedHashMap}.
 */
final class RowMap extends AbstractMap<String, Object> implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The column names of one row shape (all columns, or the key columns) and where each sits. */
    static final class Columns {
        final String[] names;
        private final Map<String, Integer> index;

        Columns(String[] names) {
            this.names = names;
            this.index = new HashMap<>(names.length * 2);
            for (int i = 0; i < names.length; i++) {
                index.putIfAbsent(names[i], i);
            }
        }

        int indexOf(Object name) {
            Integer i = index.get(name);
            return i == null ? -1 : i;
        }
    }

    private final transient Columns columns;
    private final transient Object[] values;

    /** {@code values} in the order of {@code columns.names}; the map owns the array. */
    RowMap(Columns columns, Object[] values) {
        this.columns = columns;
        this.values = values;
    }

    @Override
    public int size() {
        return values.length;
    }

    @Override
    public boolean isEmpty() {
        return values.length == 0;
    }

    @Override
    public boolean containsKey(Object key) {
        return columns.indexOf(key) >= 0;
    }

    @Override
    public Object get(Object key) {
        int i = columns.indexOf(key);
        return i < 0 ? null : values[i];
    }

    @Override
    public Object getOrDefault(Object key, Object defaultValue) {
        int i = columns.indexOf(key);
        return i < 0 ? defaultValue : values[i];
    }

    @Override
    public void forEach(BiConsumer<? super String, ? super Object> action) {
        for (int i = 0; i < values.length; i++) {
            action.accept(columns.names[i], values[i]);
        }
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, Object>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < values.length;
                    }

                    @Override
                    public Entry<String, Object> next() {
                        if (next >= values.length) {
                            throw new NoSuchElementException();
                        }
                        int i = next++;
                        return new SimpleImmutableEntry<>(columns.names[i], values[i]);
                    }
                };
            }

            @Override
            public int size() {
                return values.length;
            }
        };
    }

    // AbstractMap's put already throws; these would otherwise succeed silently on an absent key or an empty row.
    @Override
    public Object remove(Object key) {
        throw new UnsupportedOperationException("a decoded row is immutable");
    }

    @Override
    public void putAll(Map<? extends String, ?> m) {
        throw new UnsupportedOperationException("a decoded row is immutable");
    }

    @Override
    public void clear() {
        throw new UnsupportedOperationException("a decoded row is immutable");
    }

    private Object writeReplace() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(this));
    }
}
