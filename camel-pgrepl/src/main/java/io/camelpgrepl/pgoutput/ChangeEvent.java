package io.camelpgrepl.pgoutput;

import com.fasterxml.jackson.annotation.JsonRawValue;
import com.fasterxml.jackson.annotation.JsonValue;
import io.camelpgrepl.client.Lsn;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@link ChangeStream} makes of each pgoutput message: a decoded event that knows its transaction.
 *
 * <p>{@link #lsn()} is the XLogData header's record LSN (0/0 for Relation and Type). {@link #ackLsn()} is
 * {@link Lsn#INVALID} except on the events that close something the server will not send again: Commit and
 * Stream Commit (their end LSN), Prepare and Stream Prepare (end LSN: a prepared transaction is durable on the
 * server and will come back as Commit/Rollback Prepared, not as a resend), Commit Prepared and Rollback
 * Prepared (end LSN). A consumer acknowledges {@code ackLsn()} once it has handled everything before it.
 */
public sealed interface ChangeEvent permits ChangeEvent.TransactionBegin, ChangeEvent.TransactionCommit,
        ChangeEvent.RelationChange, ChangeEvent.TypeInfo, ChangeEvent.OriginInfo, ChangeEvent.TruncateChange,
        ChangeEvent.LogicalMessage, ChangeEvent.StreamBlockStart, ChangeEvent.StreamBlockStop,
        ChangeEvent.StreamAborted, ChangeEvent.PrepareBegin, ChangeEvent.TransactionPrepared,
        ChangeEvent.PreparedCommitted, ChangeEvent.PreparedRolledBack, RowChange {

    /** The XLogData header's {@code dataStart} for this message. */
    Lsn lsn();

    /** The transaction this event belongs to; null outside one (a non-transactional message, a stray Relation). */
    TxInfo tx();

    /** The LSN to acknowledge once this event and everything before it are handled, or {@link Lsn#INVALID}. */
    default Lsn ackLsn() {
        return Lsn.INVALID;
    }

    /**
     * The event as a map of typed values: {@link RowChange#toMap()}, {@link TruncateChange#toMap()},
     * {@link LogicalMessage#toMap()}, a relation's {@link RelationInfo#toMap()}, or for the other events
     * {@code type}, {@code xid}, {@code gid}, {@code commitLsn}, {@code commitTime} and what the event adds.
     */
    default Map<String, Object> toMap() {
        return EventMaps.of(this);
    }

    /**
     * The event as JSON ({@link ChangeJson}): the keys of {@link #toMap()}, values encoded by column type.
     *
     * <p>The Jackson annotations make {@code marshal().json()} with camel-jackson write exactly this text. They
     * come from the optional jackson-annotations artifact: without Jackson on the class path the JVM ignores
     * them, and nothing here needs Jackson.
     */
    @JsonValue
    @JsonRawValue
    default String toJson() {
        return ChangeJson.toJson(this);
    }

    /** Begin of a regular transaction. */
    record TransactionBegin(Lsn lsn, TxInfo tx) implements ChangeEvent {
    }

    /** Commit, or Stream Commit of a streamed transaction ({@code tx.kind() == STREAMED}). */
    record TransactionCommit(Lsn lsn, TxInfo tx, int flags, Lsn ackLsn) implements ChangeEvent {
    }

    /** A Relation message: the cache now holds {@code relation} (which may replace an older description). */
    record RelationChange(Lsn lsn, TxInfo tx, RelationInfo relation) implements ChangeEvent {
    }

    /** A Type message. */
    record TypeInfo(Lsn lsn, TxInfo tx, int typeOid, String namespace, String name) implements ChangeEvent {
    }

    /** An Origin message: the current transaction was replicated from origin {@code name}. */
    record OriginInfo(Lsn lsn, TxInfo tx, Lsn originCommitLsn, String name) implements ChangeEvent {
    }

    /** TRUNCATE of one or more tables. */
    record TruncateChange(Lsn lsn, TxInfo tx, int xid, List<RelationInfo> relations, boolean cascade,
                          boolean restartIdentity) implements ChangeEvent {
        public TruncateChange {
            relations = List.copyOf(relations);
        }

        /** Keys {@code operation} ({@code TRUNCATE}), {@code tables} (schema.table list), {@code cascade}, {@code restartIdentity}. */
        @Override
        public Map<String, Object> toMap() {
            List<String> tables = new ArrayList<>(relations.size());
            for (RelationInfo r : relations) {
                tables.add(r.schema() + "." + r.table());
            }
            Map<String, Object> m = new LinkedHashMap<>(8);
            m.put("operation", "TRUNCATE");
            m.put("tables", tables);
            m.put("cascade", cascade);
            m.put("restartIdentity", restartIdentity);
            return m;
        }
    }

    /** A logical decoding message ({@code pg_logical_emit_message}); {@code tx} is null when non-transactional. */
    record LogicalMessage(Lsn lsn, TxInfo tx, int xid, boolean transactional, Lsn messageLsn, String prefix,
                          byte[] content) implements ChangeEvent {
        public LogicalMessage {
            content = content.clone();
        }

        /** Keys {@code prefix}, {@code transactional}, {@code content} (the bytes; base64 in JSON). */
        @Override
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>(4);
            m.put("prefix", prefix);
            m.put("transactional", transactional);
            m.put("content", content());
            return m;
        }

        @Override
        public byte[] content() {
            return content.clone();
        }
    }

    /** Stream Start: a block of the streamed transaction {@code tx} begins. */
    record StreamBlockStart(Lsn lsn, TxInfo tx, boolean firstSegment) implements ChangeEvent {
    }

    /** Stream Stop: the current block ends (the transaction stays open). */
    record StreamBlockStop(Lsn lsn, TxInfo tx) implements ChangeEvent {
    }

    /**
     * Stream Abort: discard the streamed changes of {@code subxid} ({@link #topLevel()}: the whole transaction
     * {@code tx.xid()}). Nothing to acknowledge. {@code abortLsn}/{@code abortTime} only with v4 parallel
     * streaming.
     */
    record StreamAborted(Lsn lsn, TxInfo tx, int subxid, Lsn abortLsn, Instant abortTime) implements ChangeEvent {
        public boolean topLevel() {
            return subxid == tx.xid();
        }
    }

    /** Begin Prepare: the changes of a transaction to be prepared ({@code tx.gid()}) follow. */
    record PrepareBegin(Lsn lsn, TxInfo tx) implements ChangeEvent {
    }

    /** Prepare or Stream Prepare ({@code streamed}): acknowledge {@code ackLsn}, the prepare's end LSN. */
    record TransactionPrepared(Lsn lsn, TxInfo tx, boolean streamed, Lsn ackLsn) implements ChangeEvent {
    }

    /** COMMIT PREPARED of {@code tx.gid()}. */
    record PreparedCommitted(Lsn lsn, TxInfo tx, Lsn ackLsn) implements ChangeEvent {
    }

    /** ROLLBACK PREPARED of {@code tx.gid()}: discard what was delivered for it. */
    record PreparedRolledBack(Lsn lsn, TxInfo tx, Lsn prepareEndLsn, Instant prepareTime, Lsn ackLsn)
            implements ChangeEvent {
    }
}
