package io.camelpgrepl.client;

import java.nio.ByteBuffer;
import java.time.Instant;

import io.camelpgrepl.client.wire.PgOutputFrame;

/**
 * What {@link ReplicationClient#recv()} hands out, in stream order.
 *
 * <p>Every pgoutput message the server sends arrives as one event. Begin, Commit and logical decoding
 * messages are recognised by the client (it needs them for commit-boundary acknowledgement and bounded
 * replay) and get their own types; everything else is {@link XLogData} with the pgoutput bytes
 * untouched. Events that came from an XLogData frame implement {@link WalMessage}, which exposes the
 * frame header, the exact payload bytes and the message's {@link PgOutputFrame framing}, read once by the
 * client: its transaction, the LSNs that end it, its relation.
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

        /** The message's framing: type, transaction, the LSNs that end it, relation id. */
        PgOutputFrame frame();

        /** The pgoutput message type byte ({@code 'B'}, {@code 'I'}, ...). */
        default byte messageType() {
            return frame().type();
        }
    }

    /** Any pgoutput message the client does not interpret itself (Relation, Insert, Stream Start...). */
    record XLogData(Lsn walStart, Lsn walEnd, Instant serverTime, ByteBuffer data, PgOutputFrame frame)
            implements WalMessage {
    }

    /** A pgoutput Begin: the transaction {@link #xid()} whose commit record is at {@link #finalLsn()}. */
    record Begin(Lsn walStart, Lsn walEnd, Instant serverTime, ByteBuffer data, PgOutputFrame frame)
            implements WalMessage {
        public Lsn finalLsn() {
            return frame.lsn();
        }

        public Instant commitTime() {
            return frame.time();
        }

        public int xid() {
            return frame.xid();
        }
    }

    /**
     * A pgoutput Commit. {@link #endLsn()} is the LSN to acknowledge once everything up to and including this
     * transaction has been applied.
     */
    record Commit(Lsn walStart, Lsn walEnd, Instant serverTime, ByteBuffer data, PgOutputFrame frame)
            implements WalMessage {
        public int flags() {
            return frame.flags();
        }

        public Lsn commitLsn() {
            return frame.lsn();
        }

        public Lsn endLsn() {
            return frame.ackLsn();
        }

        public Instant commitTime() {
            return frame.time();
        }
    }

    /**
     * A logical decoding message ({@code pg_logical_emit_message}), sent when the {@code messages} option is
     * on. {@link #xid()} is 0 unless the message is transactional and the transaction is being streamed.
     */
    record Message(Lsn walStart, Lsn walEnd, Instant serverTime, ByteBuffer data, PgOutputFrame frame,
                   String prefix, byte[] content) implements WalMessage {
        public boolean transactional() {
            return frame.transactional();
        }

        public Lsn messageLsn() {
            return frame.lsn();
        }

        public int xid() {
            return frame.xid();
        }
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
