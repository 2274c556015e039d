package io.camelpgrepl.camel;

import org.apache.camel.spi.Metadata;

/** Message headers the pgrepl consumer sets on every exchange. */
public final class PgReplConstants {

    @Metadata(description = "The event's LSN (the WAL record's position; for a Commit, the transaction's end LSN; for a"
                            + " READ row, the snapshot's consistent point).",
              javaType = "io.camelpgrepl.client.Lsn")
    public static final String LSN = "CamelPgReplLsn";
    @Metadata(description = "The commit LSN of the event's transaction, when known (Begin's final LSN; for a READ row,"
                            + " the snapshot's consistent point).",
              javaType = "io.camelpgrepl.client.Lsn")
    public static final String COMMIT_LSN = "CamelPgReplCommitLsn";
    @Metadata(description = "The transaction id of the event's transaction: PostgreSQL's unsigned 32-bit xid as a"
                            + " Long (never negative).", javaType = "Long")
    public static final String XID = "CamelPgReplXid";
    @Metadata(description = "When the event's transaction committed.", javaType = "java.time.Instant")
    public static final String COMMIT_TIMESTAMP = "CamelPgReplCommitTimestamp";
    @Metadata(description = "The pgoutput message type: BEGIN, COMMIT, INSERT, UPDATE, DELETE, TRUNCATE, MESSAGE,"
                            + " RELATION, TYPE, ORIGIN, STREAM_START, STREAM_STOP, STREAM_COMMIT, STREAM_ABORT,"
                            + " BEGIN_PREPARE, PREPARE, COMMIT_PREPARED, ROLLBACK_PREPARED, STREAM_PREPARE, STOPPED; READ for"
                            + " a row of the initial snapshot.",
              javaType = "String")
    public static final String MESSAGE_TYPE = "CamelPgReplMessageType";
    @Metadata(description = "The row operation for a row change: INSERT, UPDATE, DELETE or TRUNCATE; READ for a row of"
                            + " the initial snapshot (snapshotMode).", javaType = "String")
    public static final String OPERATION = "CamelPgReplOperation";
    @Metadata(description = "The schema of the changed table.", javaType = "String")
    public static final String SCHEMA = "CamelPgReplSchema";
    @Metadata(description = "The name of the changed table.", javaType = "String")
    public static final String TABLE = "CamelPgReplTable";
    @Metadata(description = "The replication slot the event was read from.", javaType = "String")
    public static final String SLOT = "CamelPgReplSlot";
    @Metadata(description = "On row changes, truncates and messages: true when their transaction had not committed"
                            + " yet when they were sent (a streamed transaction with streaming on, or a prepared one"
                            + " with twoPhase); its STREAM_COMMIT, STREAM_ABORT, COMMIT_PREPARED or ROLLBACK_PREPARED"
                            + " exchange follows.", javaType = "Boolean")
    public static final String UNCOMMITTED = "CamelPgReplUncommitted";
    @Metadata(description = "On row changes (change and debezium formats): the row's key as a Map of column name to"
                            + " typed value: the primary key columns, or without a primary key the replica identity"
                            + " columns (all columns with REPLICA IDENTITY FULL); none with REPLICA IDENTITY NOTHING."
                            + " The new key on an UPDATE, the old one on a DELETE. Converts to JSON like a row.",
              javaType = "java.util.Map")
    public static final String KEY = "CamelPgReplKey";
    @Metadata(description = "On an UPDATE that changed the row's key: the old key (same form as CamelPgReplKey).",
              javaType = "java.util.Map")
    public static final String OLD_KEY = "CamelPgReplOldKey";
    @Metadata(description = "A String unique within the slot and identical on every redelivery: for row changes,"
                            + " truncates and messages the WAL record's LSN and the event's ordinal within that record"
                            + " (rows of one COPY share a record), e.g. 0/1A2B3C8:0; for transaction events their LSN"
                            + " and type, e.g. 0/1A2B400:COMMIT. Not set in raw format or on RELATION exchanges.",
              javaType = "String")
    public static final String EVENT_ID = "CamelPgReplEventId";
    @Metadata(description = "On the STOPPED exchange: the LSN that proved stopAtLsn was reached.",
              javaType = "io.camelpgrepl.client.Lsn")
    public static final String STOPPED_AT = "CamelPgReplStoppedAt";

    /** Value of {@link #MESSAGE_TYPE} and {@link #OPERATION} on a row of the initial snapshot. */
    public static final String READ = "READ";

    /** Value of {@link #MESSAGE_TYPE} on the exchange emitted when stopAtLsn was reached. */
    public static final String STOPPED = "STOPPED";

    private PgReplConstants() {
    }
}
