package io.camelpgrepl.client;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.camelpgrepl.client.wire.BackendMessages;
import io.camelpgrepl.client.wire.Frame;
import io.camelpgrepl.client.wire.FrontendMessages;

/**
 * Reads the rows that exist when a stream starts ({@link SnapshotMode}), on the replication connection, in the
 * snapshot of a new slot: {@code BEGIN READ ONLY ISOLATION LEVEL REPEATABLE READ}, then
 * {@code CREATE_REPLICATION_SLOT ... TEMPORARY ... (SNAPSHOT 'use')} makes the slot's snapshot the transaction's,
 * then each table of the publications through a cursor, then {@code COMMIT}. Every change committed after the
 * slot's consistent point is decoded from the slot and none before it, so rows plus stream miss nothing and repeat
 * nothing, whatever writers do meanwhile.
 *
 * <p>The slot is temporary while the snapshot is read: if the connection or the process dies, it goes too, and the
 * next start takes the snapshot again instead of streaming from a slot whose snapshot never reached the route.
 * Only once the {@link SnapshotListener} says every row was handled is it copied to the permanent slot
 * ({@code pg_copy_logical_replication_slot}: same consistent point) and the temporary one dropped. So a slot that
 * exists is a slot whose snapshot completed. With {@code temporarySlot} the configured slot is itself the
 * temporary one; with {@link SnapshotMode#INITIAL_ONLY} the temporary slot is streamed only up to its consistent
 * point and is gone when the connection closes.
 *
 * <p>Rows come in text (with {@code binary}, in binary send format, as pgoutput would send them) through a
 * cursor fetched {@value #FETCH_ROWS} rows at a time, two fetches in flight so the server works while the
 * listener does; a listener that blocks holds the next fetch back.
 */
final class InitialSnapshot {

    private static final Logger LOG = LoggerFactory.getLogger(InitialSnapshot.class);
    static final int FETCH_ROWS = 4096;
    private static final int FETCHES_IN_FLIGHT = 2;
    private static final String CURSOR = "pgrepl_snapshot";
    private static final String DUPLICATE_OBJECT = "42710";

    private InitialSnapshot() {
    }

    /** The slot to stream from after the snapshot and the snapshot's position (the slot's consistent point). */
    record Taken(String slot, Lsn consistentPoint) {
    }

    /**
     * Takes the snapshot and hands it to {@code listener}; on return the slot to stream from exists.
     *
     * @throws ReplicationException a typed error; what the listener throws passes through
     */
    static Taken take(PgConnection conn, ReplicationConfig config, ServerCapabilities server, ConnectAttempt attempt,
                      SnapshotListener listener, ServerInfo info, Map<Integer, List<String>> primaryKeys) {
        checkPublications(conn, config);
        boolean initialOnly = config.snapshotMode() == SnapshotMode.INITIAL_ONLY;
        boolean keepAsIs = !initialOnly && config.temporarySlot();
        // a backend pid is unique among live sessions, and a temporary slot lives no longer than its session
        String snapshotSlot = keepAsIs ? config.slot() : "pgrepl_snapshot_" + Integer.toUnsignedString(conn.backendPid());
        if (!initialOnly) {
            server.checkSlotFeatures(config);
        }
        long started = System.nanoTime();
        conn.query("BEGIN READ ONLY ISOLATION LEVEL REPEATABLE READ");
        attempt.phase("CREATE_REPLICATION_SLOT for the initial snapshot (it waits for the transactions running when it"
                + " started)", config.createSlotTimeout(), "createSlotTimeout");
        List<String> created = ReplicationBootstrap.singleRow(conn.query("CREATE_REPLICATION_SLOT "
                + SqlQuoting.identifier(snapshotSlot) + " TEMPORARY LOGICAL pgoutput"
                + server.snapshotSlotOptions(keepAsIs && config.twoPhase())), "CREATE_REPLICATION_SLOT", 4);
        Lsn consistentPoint = ReplicationBootstrap.lsn(created.get(1), "CREATE_REPLICATION_SLOT consistent_point");
        // reading takes as long as the route takes: no time limit from here on, but a cancel still closes the connection
        attempt.end();
        // the route sets the pace: an idle-in-transaction limit would end the snapshot whenever the route is slow
        conn.query("SET LOCAL idle_in_transaction_session_timeout = 0");
        LOG.info("Reading the initial snapshot of publications {} at {} (slot '{}')", config.publications(),
                consistentPoint, config.slot());
        listener.begin(consistentPoint, info);
        long rows = 0;
        List<TableRef> tables = tables(conn, config, server);
        for (TableRef ref : tables) {
            SnapshotTable table = describe(conn, config, server, ref, primaryKeys);
            listener.table(table);
            rows += readTable(conn, config, ref, table, listener);
        }
        conn.query("COMMIT");
        listener.end();
        LOG.info("Initial snapshot of publications {} at {}: {} rows from {} tables in {} ms", config.publications(),
                consistentPoint, rows, tables.size(), (System.nanoTime() - started) / 1_000_000);
        if (initialOnly || keepAsIs) {
            return new Taken(snapshotSlot, consistentPoint);
        }
        attempt.phase("copying the snapshot's slot to '" + config.slot() + "'", config.connectTimeout(), "connectTimeout");
        makePermanent(conn, config, snapshotSlot, consistentPoint);
        return new Taken(config.slot(), consistentPoint);
    }

    /** Copies the temporary slot to the configured one (same position), then drops it. */
    private static void makePermanent(PgConnection conn, ReplicationConfig config, String snapshotSlot, Lsn point) {
        String slot = config.slot();
        try {
            conn.query("SELECT 1 FROM pg_catalog.pg_copy_logical_replication_slot(" + SqlQuoting.literal(snapshotSlot)
                    + ", " + SqlQuoting.literal(slot) + ", false)");
            LOG.info("Created replication slot '{}' at {}, the initial snapshot's consistent point", slot, point);
        } catch (ServerErrorException e) {
            if (!DUPLICATE_OBJECT.equals(e.sqlState())) {
                throw e;
            }
            LOG.warn("Slot '{}' was created by someone else while this consumer read its initial snapshot; streaming "
                     + "from that slot's position instead of {}", slot, point);
        }
        if (config.failoverSlot()) {
            conn.query("ALTER_REPLICATION_SLOT " + SqlQuoting.identifier(slot) + " (FAILOVER true)");
        }
        conn.query("DROP_REPLICATION_SLOT " + SqlQuoting.identifier(snapshotSlot));
    }

    /** A missing publication would read as an empty snapshot: name it instead. */
    private static void checkPublications(PgConnection conn, ReplicationConfig config) {
        List<List<String>> found = conn.query("SELECT pubname FROM pg_catalog.pg_publication WHERE pubname IN ("
                + literals(config.publications()) + ")");
        for (String pub : config.publications()) {
            if (found.stream().noneMatch(r -> pub.equals(r.get(0)))) {
                throw new ConfigurationException("Publication '" + pub + "' does not exist in database '"
                        + config.database() + "' on " + config.endpoint() + "; create it (or set createPublication=true)"
                        + " before taking the initial snapshot");
            }
        }
    }

    /** A table of the publications, and the row filter pgoutput applies to it (null for none). */
    private record TableRef(String schema, String table, String oid, char replicaIdentity, String rowFilter) {
    }

    /**
     * The publications' tables in (schema, table) order, as pgoutput publishes them: leaf partitions, or the root
     * with {@code publish_via_partition_root}. A table in several publications is read once, with their row
     * filters OR-ed, and with none when one of them has none (as pgoutput and table synchronisation do).
     */
    private static List<TableRef> tables(PgConnection conn, ReplicationConfig config, ServerCapabilities server) {
        String filter = server.publicationColumnListsAndRowFilters()
                ? "CASE WHEN bool_or(pt.rowfilter IS NULL) THEN NULL"
                  + " ELSE string_agg(DISTINCT '(' || pt.rowfilter || ')', ' OR ') END"
                : "NULL";
        List<List<String>> rows = conn.query("SELECT n.nspname, c.relname, c.oid, c.relreplident, " + filter
                + " FROM pg_catalog.pg_publication_tables pt"
                + " JOIN pg_catalog.pg_namespace n ON n.nspname = pt.schemaname"
                + " JOIN pg_catalog.pg_class c ON c.relnamespace = n.oid AND c.relname = pt.tablename"
                + " WHERE pt.pubname IN (" + literals(config.publications()) + ")"
                + " GROUP BY n.nspname, c.relname, c.oid, c.relreplident"
                + " ORDER BY n.nspname COLLATE \"C\", c.relname COLLATE \"C\"");
        List<TableRef> tables = new ArrayList<>(rows.size());
        for (List<String> r : rows) {
            if (r.size() != 5 || r.get(3) == null || r.get(3).length() != 1) {
                throw new ProtocolException("publication table query returned an unexpected row " + r);
            }
            tables.add(new TableRef(r.get(0), r.get(1), r.get(2), r.get(3).charAt(0), r.get(4)));
        }
        return tables;
    }

    /**
     * The columns pgoutput sends for the table: its publication column list (15+) or every column but generated
     * ones (14), each with the type pgoutput names (a domain's own OID, not its base type) and whether it is part
     * of the replica identity (all columns under {@code FULL}).
     */
    private static SnapshotTable describe(PgConnection conn, ReplicationConfig config, ServerCapabilities server,
                                          TableRef t, Map<Integer, List<String>> primaryKeys) {
        String published = server.publicationColumnListsAndRowFilters()
                ? "a.attname = ANY (SELECT unnest(pt.attnames) FROM pg_catalog.pg_publication_tables pt WHERE pt.pubname"
                  + " IN (" + literals(config.publications()) + ") AND pt.schemaname = " + SqlQuoting.literal(t.schema)
                  + " AND pt.tablename = " + SqlQuoting.literal(t.table) + ")"
                : "a.attgenerated = ''";
        List<List<String>> rows = conn.query("SELECT a.attname, a.atttypid, a.atttypmod, c.relreplident = 'f' OR EXISTS"
                + " (SELECT 1 FROM pg_catalog.pg_index i WHERE i.indrelid = c.oid AND a.attnum = ANY (i.indkey)"
                + " AND CASE c.relreplident WHEN 'd' THEN i.indisprimary WHEN 'i' THEN i.indisreplident ELSE false END)"
                + " FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid"
                + " WHERE a.attrelid = " + SqlQuoting.literal(t.oid) + "::pg_catalog.oid AND a.attnum > 0"
                + " AND NOT a.attisdropped AND " + published + " ORDER BY a.attnum");
        String what = "columns of " + t.schema + "." + t.table;
        List<SnapshotTable.Column> columns = new ArrayList<>(rows.size());
        for (List<String> r : rows) {
            if (r.size() != 4) {
                throw new ProtocolException(what + " returned " + r.size() + " columns, expected 4");
            }
            columns.add(new SnapshotTable.Column(r.get(0), (int) ReplicationBootstrap.number(r.get(1), what),
                    (int) ReplicationBootstrap.number(r.get(2), what), "t".equals(r.get(3))));
        }
        int relationId = (int) ReplicationBootstrap.number(t.oid, what);
        return new SnapshotTable(t.schema, t.table, relationId, t.replicaIdentity, columns,
                primaryKeys.getOrDefault(relationId, List.of()));
    }

    /** Declares the table's cursor and hands every row to the listener; returns how many. */
    private static long readTable(PgConnection conn, ReplicationConfig config, TableRef ref, SnapshotTable table,
                                  SnapshotListener listener) {
        boolean binary = config.binary();
        String select = "SELECT " + table.columns().stream().map(c -> SqlQuoting.identifier(c.name()))
                .collect(Collectors.joining(", ")) + " FROM " + SqlQuoting.identifier(ref.schema) + "."
                + SqlQuoting.identifier(ref.table) + (ref.rowFilter == null ? "" : " WHERE " + ref.rowFilter);
        conn.query("DECLARE " + CURSOR + " NO SCROLL " + (binary ? "BINARY " : "") + "CURSOR FOR " + select);
        String context = "FETCH from " + ref.schema + "." + ref.table + " on " + config.endpoint();
        byte[] fetch = FrontendMessages.query("FETCH FORWARD " + FETCH_ROWS + " FROM " + CURSOR);
        int columns = table.columns().size();
        long rows = 0;
        try {
            int inFlight = 0;
            for (; inFlight < FETCHES_IN_FLIGHT; inFlight++) {
                conn.write(fetch);
            }
            boolean exhausted = false;
            int fetched = 0;
            ServerError error = null;
            while (inFlight > 0) {
                Frame f = conn.readFrame();
                switch (f.type()) {
                    case 'D': {
                        int[] offsets = new int[columns];
                        int[] lengths = new int[columns];
                        BackendMessages.dataRowLayout(f, offsets, lengths);
                        fetched++;
                        if (error == null) {
                            listener.row(new SnapshotRow(f.body(), offsets, lengths, binary));
                        }
                        break;
                    }
                    case 'E':
                        if (error == null) {
                            error = BackendMessages.serverError(f);
                        }
                        break;
                    case 'N':
                        conn.logNotice(f);
                        break;
                    case 'T':
                    case 'C':
                    case 'S':
                        break;
                    case 'Z':
                        inFlight--;
                        rows += fetched;
                        exhausted |= fetched < FETCH_ROWS;
                        fetched = 0;
                        if (!exhausted && error == null) {
                            conn.write(fetch);
                            inFlight++;
                        }
                        break;
                    default:
                        throw new ProtocolException("Unexpected message '" + f.typeChar() + "' in reply to FETCH");
                }
            }
            if (error != null) {
                throw new ServerErrorException(context + " failed", error);
            }
        } catch (IOException e) {
            throw new ConnectionException("Connection to " + config.endpoint() + " lost during the initial snapshot ("
                    + context + "): " + e.getMessage(), e);
        }
        conn.query("CLOSE " + CURSOR);
        LOG.debug("Initial snapshot: {} rows from {}.{}", rows, ref.schema, ref.table);
        return rows;
    }

    private static String literals(List<String> values) {
        return values.stream().map(SqlQuoting::literal).collect(Collectors.joining(", "));
    }
}
