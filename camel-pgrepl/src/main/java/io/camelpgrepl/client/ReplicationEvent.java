package io.camelpgrepl.client;

import java.nio.ByteBuffer;
import java.time.Instant;

/**
 * What {@link ReplicationClient#recv()} hands out, in stream order.
 *
 * <p>Every pgoutput message the server sends arrives as one event. Begin, Commit and logical decoding
 * messages are recognised by the client (it needs them for commit-boundary acknowledgement and bounded
 * replay) and get their own types; everything else is {@link XLogData} with the pgoutput bytes
 * untouched. Events that came from an XLogData frame implement {@link WalMessage}, which exposes the
 * frame header and the exact payload bytes.
 */
public sealed interface ReplicationEvent
        permits ReplicationEvent.WalMessage, ReplicationEvent.KeepAlive, ReplicationEvent.StoppedAt {

    /** An event that carries one pgoutput message from an XLogData ('w') frame. */
    sealed interface WalMessage extends ReplicationEvent permits XLogData, Begin, Commit, Message {
        /** The frame's {@code dataStart}: the record's LSN (0/0 for Relation and Type messages). */
        Lsn walStart();

        /** The frame's {@code walEnd}: the server's current end of WAL when it sent the frame. */
        Lsn walEnd();

        /** When the server sent the frame. */
        Instant serverTime();

        /** The pgoutput message bytes, read-only, position 0. */
        ByteBuffer data();

        /** The pgoutput message type byte ({@code 'B'}, {@code 'I'}, ...). */
        default byte messageType() {
            return data().get(0);
        }
    }

    /** Any pgoutput message the client does not interpret itself (Relation, Insert, Stream Start...). */
    record XLogData(Lsn walStart, Lsn walEnd, Instant serverTime, ByteBuffer data) implements WalMessage {
    }

    /** A pgoutput Begin: the transaction {@code xid} whose commit record is at {@code finalLsn}. */
    record Begin(Lsn walStart, Lsn walEnd, Instant serverTime, ByteBuffer data,
                 Lsn finalLsn, Instant commitTime, int xid) implements WalMessage {
    }

    /**
     * A pgoutput Commit. {@code endLsn} is the LSN to acknowledge once everything up to and including this
     * transaction has been applied.
     */
    record Commit(Lsn walStart, Lsn walEnd, Instant serverTime, ByteBuffer data,
                  int flags, Lsn commitLsn, Lsn endLsn, Instant commitTime) implements WalMessage {
    }

    /**
     * A logical decoding message ({@code pg_logical_emit_message}), sent when the {@code messages} option is
     * on. {@code xid} is 0 unless the message is transactional and the transaction is being streamed.
     */
    record Message(Lsn walStart, Lsn walEnd, Instant serverTime, ByteBuffer data,
                   boolean transactional, Lsn messageLsn, int xid, String prefix, byte[] content)
            implements WalMessage {
    }

    /** A primary keepalive ('k'). {@code replyRequested} means the client answered at once. */
    record KeepAlive(Lsn walEnd, Instant serverTime, boolean replyRequested) implements ReplicationEvent {
    }

    /**
     * Bounded replay reached {@code stopAtLsn}: every transaction committed at or before the bound has been
     * delivered; {@code reached} is the position that proved it. The stream ends after this event.
     */
    record StoppedAt(Lsn reached) implements ReplicationEvent {
    }
}
