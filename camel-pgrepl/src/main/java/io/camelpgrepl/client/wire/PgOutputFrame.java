package io.camelpgrepl.client.wire;

import java.time.Instant;
import java.util.Set;

import io.camelpgrepl.client.Lsn;

/**
 * What {@link PgOutputFraming} read from one pgoutput message: its type, the transaction it belongs to and the
 * LSNs that frame transactions. Fields a message does not carry are 0, {@link Lsn#INVALID} or null.
 *
 * @param type             the message type byte ({@code 'B'}, {@code 'I'}, ...)
 * @param xid              the xid written in the message, or 0: Begin, Begin Prepare, Prepare, Commit Prepared,
 *                         Rollback Prepared, Stream Start/Commit/Abort/Prepare (the top-level xid), and the
 *                         leading xid of Relation, Type, Insert, Update, Delete, Truncate and Message inside a
 *                         streamed block (there it may be a subtransaction's)
 * @param flags            the flags byte of Commit, Stream Commit, Prepare, Commit Prepared, Rollback Prepared,
 *                         Stream Prepare and Message
 * @param lsn              Begin: final (commit) LSN; Commit, Stream Commit, Commit Prepared: commit LSN; Begin
 *                         Prepare, Prepare, Stream Prepare: prepare LSN; Message: the message's LSN
 * @param time             commit time (Begin, Commit, Stream Commit, Commit Prepared), prepare time (Begin
 *                         Prepare, Prepare, Stream Prepare) or rollback time (Rollback Prepared)
 * @param ackLsn           on a message that ends a transaction for good (Commit, Stream Commit, Prepare, Stream
 *                         Prepare, Commit Prepared, Rollback Prepared): the end LSN to acknowledge once it is handled
 * @param relationId       the relation of Relation, Insert, Update, Delete; the first relation of Truncate
 * @param transaction      the transaction this message belongs to: a regular one from Begin to Commit, a prepared
 *                         one from Begin Prepare to Prepare, a streamed one from Stream Start to Stream Stop (all
 *                         inclusive); null outside
 * @param openStreamedXids the streamed transactions still open after this message (immutable)
 */
public record PgOutputFrame(byte type, int xid, int flags, Lsn lsn, Instant time, Lsn ackLsn, int relationId,
                            Transaction transaction, Set<Integer> openStreamedXids) {

    /** Flag bit of a Message: it belongs to its transaction. */
    public static final int TRANSACTIONAL = 1;

    /**
     * The transaction a message lies in. {@code commitLsn} and {@code commitTime} are Begin's final LSN and commit
     * time, Begin Prepare's prepare LSN and time, or {@link Lsn#INVALID} and null for a streamed transaction (its
     * commit is not known until Stream Commit).
     */
    public record Transaction(int xid, Lsn commitLsn, Instant commitTime, Kind kind) {
    }

    /** How a transaction reaches the client. */
    public enum Kind { REGULAR, PREPARED, STREAMED }

    /** The message type's name: {@code BEGIN}, {@code INSERT}, {@code STREAM_COMMIT}, ... or {@code UNKNOWN}. */
    public String typeName() {
        return PgOutputFraming.typeName(type);
    }

    /** Between Stream Start and Stream Stop: Relation, Type, row changes and Message carry an xid first. */
    public boolean inStreamBlock() {
        return transaction != null && transaction.kind() == Kind.STREAMED;
    }

    /** Insert, Update, Delete or Truncate. */
    public boolean isRowChange() {
        return PgOutputFraming.isRowChange(type);
    }

    /** Whether this message ends a transaction the server will not send again; then {@link #ackLsn()} is set. */
    public boolean endsTransaction() {
        return ackLsn.isValid();
    }

    /** A Message whose transactional flag is set. */
    public boolean transactional() {
        return (flags & TRANSACTIONAL) != 0;
    }

    /** {@link #xid()} when the message carries one, else the xid of its {@link #transaction()}, else 0. */
    public int transactionXid() {
        return xid != 0 ? xid : transaction != null ? transaction.xid() : 0;
    }
}
