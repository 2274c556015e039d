package io.camelpgrepl.client;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The primary key columns of every table of the publications, read from the catalog before START_REPLICATION.
 *
 * <p>Why a query: pgoutput's Relation message flags the replica-identity columns, which are the primary key only
 * with {@code REPLICA IDENTITY DEFAULT}; with {@code FULL} it flags every column and with {@code USING INDEX} the
 * index's columns. The replication connection cannot run a query once it streams, so the lookup happens here,
 * once per connection; a table added to a publication later is seen at the next connect.
 */
final class PrimaryKeyQuery {

    private static final Logger LOG = LoggerFactory.getLogger(PrimaryKeyQuery.class);

    private PrimaryKeyQuery() {
    }

    /**
     * Relation OID (as pgoutput's Relation message carries it) → primary key column names in column order; tables
     * without a primary key are absent. Best effort: when the catalog cannot be read the map is empty and keys fall
     * back to the replica identity.
     */
    static Map<Integer, List<String>> load(PgConnection conn, List<String> publications) {
        String sql = "SELECT DISTINCT c.oid, a.attnum, a.attname FROM pg_catalog.pg_publication_tables pt"
                + " JOIN pg_catalog.pg_namespace n ON n.nspname = pt.schemaname"
                + " JOIN pg_catalog.pg_class c ON c.relnamespace = n.oid AND c.relname = pt.tablename"
                + " JOIN pg_catalog.pg_index i ON i.indrelid = c.oid AND i.indisprimary"
                + " JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum = ANY (i.indkey)"
                + " WHERE pt.pubname IN (" + literals(publications) + ") ORDER BY 1, 2";
        List<List<String>> rows;
        try {
            rows = conn.query(sql);
        } catch (ServerErrorException e) {
            LOG.warn("Could not read the primary keys of the tables of publications {} ({}); keys fall back to each"
                    + " table's replica identity", publications, e.getMessage());
            return Map.of();
        }
        Map<Integer, List<String>> keys = new HashMap<>();
        for (List<String> row : rows) {
            if (row.size() != 3) {
                throw new ProtocolException("primary key query returned " + row.size() + " columns, expected 3");
            }
            int oid = (int) ReplicationBootstrap.number(row.get(0), "primary key query oid");
            keys.computeIfAbsent(oid, k -> new ArrayList<>()).add(row.get(2));
        }
        keys.replaceAll((oid, cols) -> List.copyOf(cols));
        return Collections.unmodifiableMap(keys);
    }

    private static String literals(List<String> values) {
        StringBuilder sb = new StringBuilder();
        for (String v : values) {
            sb.append(sb.length() == 0 ? "" : ", ").append(SqlQuoting.literal(v));
        }
        return sb.toString();
    }
}
