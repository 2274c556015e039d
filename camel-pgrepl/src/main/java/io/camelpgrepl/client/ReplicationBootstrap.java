package io.camelpgrepl.client;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything between login and streaming, on the replication connection: IDENTIFY_SYSTEM, the server's version
 * ({@link ServerCapabilities}) and {@code wal_sender_timeout}, the publications and the slot (checked, created when
 * asked; with an initial snapshot, by {@link InitialSnapshot}; and its health), the start position check, and
 * START_REPLICATION; and dropping the slot when its owner stops the stream, when asked. Misconfiguration is found
 * here, before streaming ({@link ServerChecks}).
 * Every reply is checked for its shape: a wrong number of rows or columns, or a value that does not parse, is a
 * {@link ProtocolException} naming the command.
 */
final class ReplicationBootstrap {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicationBootstrap.class);
    private static final String DUPLICATE_OBJECT = "42710";

    private ReplicationBootstrap() {
    }

    /**
     * What streaming starts with.
     *
     * @param stream the configuration streamed with: {@code config}, or after a {@link SnapshotMode#INITIAL_ONLY}
     *               snapshot its temporary slot, bounded at the snapshot's consistent point
     */
    record Started(ServerInfo serverInfo, long walSenderTimeoutMillis, SlotStatus slotStatus,
                   Map<Integer, List<String>> primaryKeys, ReplicationConfig stream) {
    }

    /**
     * Runs the steps up to and including START_REPLICATION; on return the connection is in copy-both mode. Every
     * step is bounded through {@code attempt}: connectTimeout, and createSlotTimeout for CREATE_REPLICATION_SLOT
     * (which waits for the transactions running when it started).
     *
     * @param snapshot receives the initial snapshot when one is taken (see {@link InitialSnapshot}); null without
     *                 snapshotMode
     * @throws ReplicationException a typed error; the caller closes the connection
     */
    static Started start(PgConnection conn, ReplicationConfig config, ConnectAttempt attempt,
                         SnapshotListener snapshot) {
        attempt.phase("IDENTIFY_SYSTEM", config.connectTimeout(), "connectTimeout");
        List<String> id = singleRow(conn.query("IDENTIFY_SYSTEM"), "IDENTIFY_SYSTEM", 4);
        String systemId = id.get(0);
        if (systemId == null || systemId.isEmpty() || !systemId.chars().allMatch(Character::isDigit)) {
            throw new ProtocolException("IDENTIFY_SYSTEM returned system identifier '" + systemId + "', not a number");
        }
        long timeline = number(id.get(1), "IDENTIFY_SYSTEM timeline");
        if (timeline < 1 || timeline > Integer.MAX_VALUE) {
            throw new ProtocolException("IDENTIFY_SYSTEM returned timeline " + timeline + ", not a valid timeline");
        }
        Lsn xlogPos = lsn(id.get(2), "IDENTIFY_SYSTEM xlogpos");
        String dbName = id.get(3) != null ? id.get(3) : config.database();
        if (config.expectedSystemId() != null && !Long.toUnsignedString(config.expectedSystemId()).equals(systemId)) {
            throw new ConfigurationException("Server " + config.endpoint() + " belongs to cluster " + systemId
                    + ", not the expected " + Long.toUnsignedString(config.expectedSystemId())
                    + " (expectedSystemId); refusing to stream or acknowledge anything from it");
        }
        String versionText = conn.parameter("server_version");
        ServerCapabilities server = ServerCapabilities.parse(versionText);
        int proto = server.chooseProtocol(config);
        ServerInfo info = new ServerInfo(systemId, (int) timeline, xlogPos, dbName, server.versionNum(), versionText,
                proto);
        attempt.phase("the setup queries", config.connectTimeout(), "connectTimeout");
        if (config.createPublication()) {
            ensurePublications(conn, config);
        }
        long walSenderTimeout = ServerChecks.check(conn, config);
        // before the slot: a snapshot exported by creating it lasts only until the next command
        Map<Integer, List<String>> primaryKeys = PrimaryKeyQuery.load(conn, config.publications());
        ReplicationConfig stream = config;
        SlotState slot;
        if (config.snapshotMode() == SnapshotMode.INITIAL_ONLY) {
            // the one-off snapshot leaves the configured slot alone: its own temporary slot ends the stream at once
            InitialSnapshot.Taken taken = InitialSnapshot.take(conn, config, server, attempt, snapshot, info,
                    primaryKeys);
            stream = config.toBuilder().slot(taken.slot()).temporarySlot(true).startLsn(Lsn.INVALID)
                    .stopAtLsn(taken.consistentPoint()).streaming(StreamingMode.OFF).twoPhase(false)
                    .snapshotMode(SnapshotMode.NEVER).build();
            slot = new SlotState(taken.consistentPoint(), null);
        } else {
            slot = prepareSlot(conn, config, server, attempt, snapshot == null ? null
                    : () -> InitialSnapshot.take(conn, config, server, attempt, snapshot, info, primaryKeys));
        }
        Lsn slotPosition = slot.confirmedFlush();
        Lsn start = config.startLsn();
        if (start.isValid() && slotPosition != null && start.isBefore(slotPosition)) {
            String msg = "startLsn " + start + " is older than slot '" + config.slot() + "' confirmed_flush_lsn "
                    + slotPosition + "; the server will start at " + slotPosition
                    + " (what lies between was acknowledged before and is not replayed)";
            if (config.strictStartLsn()) {
                throw new ConfigurationException(msg + "; refusing because strictStartLsn is set");
            }
            LOG.warn(msg);
        }
        attempt.phase("START_REPLICATION", config.connectTimeout(), "connectTimeout");
        conn.startCopyBoth(startReplicationCommand(stream, proto, server),
                "START_REPLICATION for slot '" + config.slot() + "' on " + config.endpoint() + " failed");
        attempt.end();
        LOG.info("Streaming slot '{}' (publications {}) from {}: PostgreSQL {}, system {}, timeline {}, from {}, "
                + "pgoutput v{}", config.slot(), config.publications(), config.endpoint(), versionText, systemId,
                timeline, start.isValid() ? start : "the slot's position", proto);
        return new Started(info, walSenderTimeout, slot.status(), primaryKeys, stream);
    }

    /** After the copy ended on request: drops the slot when {@code dropSlotOnStop} is set (a temporary one goes by itself). */
    static void dropSlotOnStop(PgConnection conn, ReplicationConfig config) {
        if (config.dropSlotOnStop() && !config.temporarySlot()) {
            conn.query("DROP_REPLICATION_SLOT " + SqlQuoting.identifier(config.slot()));
            LOG.info("Dropped replication slot '{}' (dropSlotOnStop)", config.slot());
        }
    }

    static String startReplicationCommand(ReplicationConfig config, int proto, ServerCapabilities server) {
        StringBuilder sql = new StringBuilder("START_REPLICATION SLOT ").append(SqlQuoting.identifier(config.slot()))
                .append(" LOGICAL ").append(config.startLsn()).append(" (proto_version '").append(proto)
                .append("', publication_names ").append(SqlQuoting.publicationNames(config.publications()));
        if (config.binary()) {
            sql.append(", binary 'true'");
        }
        if (config.messages()) {
            sql.append(", messages 'true'");
        }
        if (config.streaming() != StreamingMode.OFF) {
            sql.append(", streaming ").append(SqlQuoting.literal(server.streamingValue(config.streaming())));
        }
        if (config.twoPhase()) {
            sql.append(", two_phase 'true'");
        }
        if (config.origin() != null) {
            sql.append(", origin ").append(SqlQuoting.literal(config.origin().toLowerCase(Locale.ROOT)));
        }
        return sql.append(')').toString();
    }

    private static void ensurePublications(PgConnection conn, ReplicationConfig config) {
        for (String pub : config.publications()) {
            List<List<String>> rows = conn.query("SELECT 1 FROM pg_catalog.pg_publication WHERE pubname = "
                    + SqlQuoting.literal(pub));
            if (!rows.isEmpty()) {
                continue;
            }
            StringBuilder sql = new StringBuilder("CREATE PUBLICATION ").append(SqlQuoting.identifier(pub));
            if (config.publicationTables().isEmpty()) {
                sql.append(" FOR ALL TABLES");
            } else {
                sql.append(" FOR TABLE ");
                for (int i = 0; i < config.publicationTables().size(); i++) {
                    sql.append(i == 0 ? "" : ", ").append(SqlQuoting.qualifiedName(config.publicationTables().get(i)));
                }
            }
            try {
                conn.query(sql.toString());
                LOG.info("Created publication '{}' {}", pub, config.publicationTables().isEmpty() ? "for all tables"
                        : "for " + config.publicationTables());
            } catch (ServerErrorException e) {
                if (!DUPLICATE_OBJECT.equals(e.sqlState())) {
                    throw e;
                }
            }
        }
    }

    /** What the slot query found: the position to start from (null when unknown) and the slot's health. */
    private record SlotState(Lsn confirmedFlush, SlotStatus status) {
    }

    /**
     * Checks (and creates, when asked) the slot; with snapshotMode=initial, {@code snapshot} creates it (through
     * {@link InitialSnapshot}, after handing the rows over).
     */
    private static SlotState prepareSlot(PgConnection conn, ReplicationConfig config, ServerCapabilities server,
                                         ConnectAttempt attempt, Supplier<InitialSnapshot.Taken> snapshot) {
        String slot = config.slot();
        String query = "slot query for '" + slot + "'";
        List<List<String>> rows = conn.query("SELECT plugin, database, confirmed_flush_lsn, wal_status, safe_wal_size, "
                + (server.versionNum() >= ServerCapabilities.PG17 ? "invalidation_reason" : "NULL::text")
                + " FROM pg_catalog.pg_replication_slots WHERE slot_name = " + SqlQuoting.literal(slot));
        if (!rows.isEmpty()) {
            List<String> r = singleRow(rows, query, 6);
            if (!"pgoutput".equals(r.get(0))) {
                throw new ConfigurationException("Slot '" + slot + "' uses plugin " + r.get(0) + ", but this client "
                        + "reads pgoutput; use a slot created with pgoutput");
            }
            if (r.get(1) != null && !r.get(1).equals(config.database())) {
                throw new ConfigurationException("Slot '" + slot + "' belongs to database '" + r.get(1)
                        + "', not '" + config.database() + "'; connect to that database");
            }
            SlotStatus status = new SlotStatus(r.get(3), r.get(4) == null ? null : number(r.get(4),
                    query + " safe_wal_size"), r.get(5), Instant.now());
            ServerChecks.refuseInvalidated(slot, status);
            return new SlotState(r.get(2) == null ? null : lsn(r.get(2), query + " confirmed_flush_lsn"), status);
        }
        if (!config.createSlot()) {
            // START_REPLICATION reports the missing slot with the server's own error (42704).
            return new SlotState(null, null);
        }
        if (config.snapshotMode() == SnapshotMode.INITIAL) {
            return new SlotState(snapshot.get().consistentPoint(),
                    new SlotStatus("reserved", null, null, Instant.now()));
        }
        String sql = "CREATE_REPLICATION_SLOT " + SqlQuoting.identifier(slot) + (config.temporarySlot() ? " TEMPORARY"
                : "") + " LOGICAL pgoutput" + server.createSlotOptions(config);
        attempt.phase("CREATE_REPLICATION_SLOT (it waits for the transactions running when it started)",
                config.createSlotTimeout(), "createSlotTimeout");
        List<List<String>> created;
        try {
            created = conn.query(sql);
        } catch (ServerErrorException e) {
            if (DUPLICATE_OBJECT.equals(e.sqlState())) {
                return new SlotState(null, null); // created concurrently by another consumer
            }
            throw e;
        }
        String point = singleRow(created, "CREATE_REPLICATION_SLOT", 4).get(1);
        LOG.info("Created {}replication slot '{}' at {}", config.temporarySlot() ? "temporary " : "", slot,
                point == null ? "?" : point);
        return new SlotState(point == null ? null : lsn(point, "CREATE_REPLICATION_SLOT consistent_point"),
                new SlotStatus("reserved", null, null, Instant.now()));
    }

    /** The one row of a reply that must have one, with exactly {@code columns} columns. */
    static List<String> singleRow(List<List<String>> rows, String what, int columns) {
        if (rows.size() != 1) {
            throw new ProtocolException(what + " returned " + rows.size() + " rows, expected 1");
        }
        List<String> row = rows.get(0);
        if (row.size() != columns) {
            throw new ProtocolException(what + " returned " + row.size() + " columns, expected " + columns);
        }
        return row;
    }

    static Lsn lsn(String text, String what) {
        try {
            return Lsn.parse(text);
        } catch (IllegalArgumentException e) {
            throw new ProtocolException(what + " returned '" + text + "', not an LSN", e);
        }
    }

    static long number(String text, String what) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new ProtocolException(what + " returned '" + text + "', not a number", e);
        }
    }
}
