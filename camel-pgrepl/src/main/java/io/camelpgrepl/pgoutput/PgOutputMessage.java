package io.camelpgrepl.pgoutput;

import io.camelpgrepl.client.Lsn;
import java.time.Instant;
import java.util.List;

/**
 * One decoded pgoutput message (protocol versions 1 to 4), as described in PostgreSQL's "Logical Replication
 * Message Formats". Transaction ids are unsigned 32-bit values kept in an {@code int}; {@code xid == 0}
 * (InvalidTransactionId) means "not sent" — row changes carry an xid only inside a streamed block.
 */
public sealed interface PgOutputMessage {

    /** The message type byte, e.g. {@code 'I'}. */
    char type();

    /** 'B': a transaction whose commit record is at {@code finalLsn}. */
    record Begin(Lsn finalLsn, Instant commitTime, int xid) implements PgOutputMessage {
        public char type() {
            return 'B';
        }
    }

    /** 'C': {@code endLsn} is the LSN to acknowledge for this transaction. */
    record Commit(int flags, Lsn commitLsn, Lsn endLsn, Instant commitTime) implements PgOutputMessage {
        public char type() {
            return 'C';
        }
    }

    /** 'O': the transaction came from another node (replication origin). */
    record Origin(Lsn commitLsn, String name) implements PgOutputMessage {
        public char type() {
            return 'O';
        }
    }

    /** One column of a {@link Relation}. Flag 1 marks a column of the replica identity (key). */
    record Column(int flags, String name, int typeOid, int typmod) {
        public boolean isKey() {
            return (flags & 1) != 0;
        }
    }

    /**
     * 'R': a table's description. {@code namespace} is {@code "pg_catalog"} when the server sent the empty
     * string. {@code replicaIdentity} is {@code 'd'} default, {@code 'n'} nothing, {@code 'f'} full, {@code 'i'}
     * index.
     */
    record Relation(int xid, int relationId, String namespace, String name, char replicaIdentity,
                    List<Column> columns) implements PgOutputMessage {
        public Relation {
            columns = List.copyOf(columns);
        }

        public char type() {
            return 'R';
        }
    }

    /** 'Y': a data type's name (sent for non-built-in types used by a relation). */
    record Type(int xid, int typeOid, String namespace, String name) implements PgOutputMessage {
        public char type() {
            return 'Y';
        }
    }

    /** 'I'. */
    record Insert(int xid, int relationId, TupleData newTuple) implements PgOutputMessage {
        public char type() {
            return 'I';
        }
    }

    /**
     * 'U'. {@code oldKind} is {@code 'K'} (old replica-identity key), {@code 'O'} (whole old row, identity
     * FULL) or {@code 0} with {@code oldTuple == null} when the key did not change.
     */
    record Update(int xid, int relationId, char oldKind, TupleData oldTuple, TupleData newTuple)
            implements PgOutputMessage {
        public char type() {
            return 'U';
        }
    }

    /** 'D'. {@code oldKind} is {@code 'K'} or {@code 'O'}. */
    record Delete(int xid, int relationId, char oldKind, TupleData oldTuple) implements PgOutputMessage {
        public char type() {
            return 'D';
        }
    }

    /** 'T'. Flags: {@link #CASCADE} and {@link #RESTART_IDENTITY}. */
    record Truncate(int xid, int flags, List<Integer> relationIds) implements PgOutputMessage {
        public static final int CASCADE = 1;
        public static final int RESTART_IDENTITY = 2;

        public Truncate {
            relationIds = List.copyOf(relationIds);
        }

        public boolean cascade() {
            return (flags & CASCADE) != 0;
        }

        public boolean restartIdentity() {
            return (flags & RESTART_IDENTITY) != 0;
        }

        public char type() {
            return 'T';
        }
    }

    /** 'M': {@code pg_logical_emit_message}. Flag 1 = transactional. */
    record Message(int xid, int flags, Lsn lsn, String prefix, byte[] content) implements PgOutputMessage {
        public Message {
            content = content.clone();
        }

        public boolean transactional() {
            return (flags & 1) != 0;
        }

        @Override
        public byte[] content() {
            return content.clone();
        }

        public char type() {
            return 'M';
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Message m && m.xid == xid && m.flags == flags && m.lsn.equals(lsn)
                    && m.prefix.equals(prefix) && java.util.Arrays.equals(m.content, content);
        }

        @Override
        public int hashCode() {
            return java.util.Objects.hash(xid, flags, lsn, prefix, java.util.Arrays.hashCode(content));
        }

        @Override
        public String toString() {
            return "Message[xid=" + Integer.toUnsignedString(xid) + ", flags=" + flags + ", lsn=" + lsn
                    + ", prefix=" + prefix + ", content=" + content.length + " bytes]";
        }
    }

    /** 'S' (v2+): a block of the in-progress transaction {@code xid} starts. */
    record StreamStart(int xid, boolean firstSegment) implements PgOutputMessage {
        public char type() {
            return 'S';
        }
    }

    /** 'E' (v2+): the current streamed block ends. */
    record StreamStop() implements PgOutputMessage {
        public char type() {
            return 'E';
        }
    }

    /** 'c' (v2+): the streamed transaction {@code xid} committed; acknowledge {@code endLsn}. */
    record StreamCommit(int xid, int flags, Lsn commitLsn, Lsn endLsn, Instant commitTime)
            implements PgOutputMessage {
        public char type() {
            return 'c';
        }
    }

    /**
     * 'A' (v2+): the streamed transaction {@code xid} aborted, or only its subtransaction {@code subxid} when
     * {@code subxid != xid}. {@code abortLsn} (the end of the abort record) and {@code abortTime} are sent only with
     * protocol v4 and {@code streaming=parallel}; otherwise {@link Lsn#INVALID} and {@code null}.
     */
    record StreamAbort(int xid, int subxid, Lsn abortLsn, Instant abortTime) implements PgOutputMessage {
        public boolean topLevel() {
            return xid == subxid;
        }

        public char type() {
            return 'A';
        }
    }

    /** 'b' (v3, two_phase): a transaction to be prepared starts. */
    record BeginPrepare(Lsn prepareLsn, Lsn endLsn, Instant prepareTime, int xid, String gid)
            implements PgOutputMessage {
        public char type() {
            return 'b';
        }
    }

    /** 'P' (v3): the transaction was prepared (PREPARE TRANSACTION). */
    record Prepare(int flags, Lsn prepareLsn, Lsn endLsn, Instant prepareTime, int xid, String gid)
            implements PgOutputMessage {
        public char type() {
            return 'P';
        }
    }

    /** 'K' (v3): COMMIT PREPARED. */
    record CommitPrepared(int flags, Lsn commitLsn, Lsn endLsn, Instant commitTime, int xid, String gid)
            implements PgOutputMessage {
        public char type() {
            return 'K';
        }
    }

    /** 'r' (v3): ROLLBACK PREPARED. */
    record RollbackPrepared(int flags, Lsn prepareEndLsn, Lsn rollbackEndLsn, Instant prepareTime,
                            Instant rollbackTime, int xid, String gid) implements PgOutputMessage {
        public char type() {
            return 'r';
        }
    }

    /** 'p' (v3): a streamed transaction was prepared. */
    record StreamPrepare(int flags, Lsn prepareLsn, Lsn endLsn, Instant prepareTime, int xid, String gid)
            implements PgOutputMessage {
        public char type() {
            return 'p';
        }
    }
}
