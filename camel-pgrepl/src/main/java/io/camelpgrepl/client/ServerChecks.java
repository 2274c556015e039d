package io.camelpgrepl.client;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Misconfiguration found before START_REPLICATION, in one catalog query on the replication connection, and named
 * with what to do: {@code wal_level} not logical, a publication that does not exist (PostgreSQL 18 would stream
 * nothing and log a WARNING, 15-17 fail only at the first change), tables whose UPDATE and DELETE cannot be
 * published (a warning: inserts still flow), decoding on a standby without {@code hot_standby_feedback}, a failover
 * slot without {@code synchronized_standby_slots} (a warning), and an invalidated slot. A role without REPLICATION
 * never gets this far: the server refuses the replication connection at login (see {@link ReplicationClient}).
 */
final class ServerChecks {

    private static final Logger LOG = LoggerFactory.getLogger(ServerChecks.class);
    /** How many tables without a usable replica identity the warning names. */
    private static final int NAMED_TABLES = 10;

    private ServerChecks() {
    }

    /**
     * What the checks read that later steps need.
     *
     * @param walSenderTimeoutMillis   {@code wal_sender_timeout} in milliseconds
     * @param synchronizedStandbySlots the primary's {@code synchronized_standby_slots}, or null before PostgreSQL 17
     */
    record Findings(long walSenderTimeoutMillis, String synchronizedStandbySlots) {
    }

    /**
     * Runs the checks ({@code onStandby}: the server is a hot standby).
     *
     * @throws ConfigurationException when streaming cannot work as configured
     */
    static Findings check(PgConnection conn, ReplicationConfig config, ServerCapabilities server, boolean onStandby) {
        if (onStandby) {
            server.requireStandbyDecoding();
        }
        StringBuilder names = new StringBuilder();
        for (String pub : config.publications()) {
            names.append(names.length() == 0 ? "" : ", ").append(SqlQuoting.literal(pub));
        }
        String pubs = "ARRAY[" + names + "]::text[]";
        List<String> row = ReplicationBootstrap.singleRow(conn.query("SELECT"
                + " (SELECT setting FROM pg_catalog.pg_settings WHERE name = 'wal_sender_timeout'),"
                + " current_setting('wal_level'),"
                + " (SELECT string_agg(quote_literal(p), ', ') FROM unnest(" + pubs + ") AS p"
                + "   WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_publication WHERE pubname = p)),"
                + " (SELECT string_agg(t, ', ') FROM (SELECT DISTINCT format('%I.%I', n.nspname, c.relname) AS t"
                + "   FROM pg_catalog.pg_publication_tables pt"
                + "   JOIN pg_catalog.pg_publication p ON p.pubname = pt.pubname"
                + "   JOIN pg_catalog.pg_namespace n ON n.nspname = pt.schemaname"
                + "   JOIN pg_catalog.pg_class c ON c.relnamespace = n.oid AND c.relname = pt.tablename"
                + "   WHERE pt.pubname = ANY (" + pubs + ") AND (p.pubupdate OR p.pubdelete)"
                + "   AND (c.relreplident = 'n' OR c.relreplident = 'd' AND NOT EXISTS (SELECT 1 FROM"
                + "     pg_catalog.pg_index i WHERE i.indrelid = c.oid AND i.indisprimary))"
                + "   ORDER BY 1 LIMIT " + (NAMED_TABLES + 1) + ") AS missing),"
                + " current_setting('hot_standby_feedback'),"
                // missing_ok: NULL before PostgreSQL 17
                + " current_setting('synchronized_standby_slots', true)"), "setup checks", 6);
        long walSenderTimeout = ReplicationBootstrap.number(row.get(0), "wal_sender_timeout");
        if (!"logical".equals(row.get(1))) {
            throw new ConfigurationException("Server " + config.endpoint() + " runs with wal_level=" + row.get(1)
                    + ", but logical replication needs wal_level=logical; set it in postgresql.conf (or ALTER SYSTEM"
                    + " SET wal_level = logical) and restart the server");
        }
        if (row.get(2) != null) {
            throw new ConfigurationException("Publication(s) " + row.get(2) + " do not exist in database '"
                    + config.database() + "' on " + config.endpoint() + "; create them (CREATE PUBLICATION ... FOR"
                    + " TABLE ...), set createPublication=true, or fix the publication option");
        }
        if (row.get(3) != null) {
            String[] tables = row.get(3).split(", ");
            String listed = tables.length > NAMED_TABLES
                    ? String.join(", ", List.of(tables).subList(0, NAMED_TABLES)) + " and more" : row.get(3);
            LOG.warn("Publication(s) {} publish UPDATE/DELETE of {}, which have no primary key and no replica identity:"
                     + " the server will refuse updates and deletes on them. Add a primary key or set ALTER TABLE ..."
                     + " REPLICA IDENTITY USING INDEX ... (or FULL)", config.publications(), listed);
        }
        if (onStandby && !"on".equalsIgnoreCase(row.get(4))) {
            // without it the primary removes catalog rows the slot still needs and the standby invalidates the slot
            throw new ConfigurationException("Server " + config.endpoint() + " is a standby with hot_standby_feedback="
                    + row.get(4) + "; logical decoding on a standby needs hot_standby_feedback = on (without it the"
                    + " primary removes catalog rows the slot needs and the slot is invalidated). Set it in the"
                    + " standby's postgresql.conf and reload, or connect to the primary (targetSessionAttrs=primary)");
        }
        return new Findings(walSenderTimeout, row.get(5));
    }

    /**
     * Warns when a failover slot streams from a primary whose {@code synchronized_standby_slots} is empty: the primary
     * may then send a change to this consumer before any standby has it; after a failover the promoted standby's slot
     * is behind what was consumed, and those changes exist nowhere else.
     */
    static void warnWithoutStandbySlots(ReplicationConfig config, SlotStatus slot, String synchronizedStandbySlots) {
        if (!Boolean.TRUE.equals(slot.failover()) || slot.onStandby() || synchronizedStandbySlots == null) {
            return;
        }
        if (synchronizedStandbySlots.isBlank()) {
            LOG.warn("Failover slot '{}' on {}: synchronized_standby_slots is empty, so this consumer may receive"
                    + " changes before any standby has them and lose them on failover; name the standbys' physical"
                    + " slots in synchronized_standby_slots on the primary", config.slot(), config.endpoint());
        }
    }

    /** Refuses a slot that can no longer stream, saying which setting lets it survive next time. */
    static void refuseInvalidated(String slot, SlotStatus status) {
        if (!status.isInvalidated()) {
            return;
        }
        String reason = status.invalidationReason() != null ? status.invalidationReason() : "wal_removed";
        String fix;
        switch (reason) {
            case "rows_removed":
                fix = "on a standby, turn on hot_standby_feedback and use a physical slot between primary and standby";
                break;
            case "wal_level_insufficient":
                fix = "set wal_level=logical on the primary";
                break;
            case "idle_timeout":
                fix = "raise idle_replication_slot_timeout, or keep a consumer streaming from the slot";
                break;
            default:
                fix = "raise max_slot_wal_keep_size (or set it to -1), or keep the consumer from falling so far behind";
        }
        throw new ConfigurationException("Slot '" + slot + "' is invalidated (wal_status " + status.walStatus()
                + ", reason " + reason + "): it can no longer stream, and changes since its confirmed position are"
                + " lost. Drop and re-create it (and resynchronise the target); to keep this from happening again, "
                + fix);
    }
}
