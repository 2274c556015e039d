package io.camelpgrepl.client;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.camelpgrepl.client.ReplicationEvent.KeepAlive;
import io.camelpgrepl.client.ReplicationEvent.StoppedAt;
import io.camelpgrepl.client.wire.BackendMessages;
import io.camelpgrepl.client.wire.Frame;
import io.camelpgrepl.client.wire.FrontendMessages;
import io.camelpgrepl.client.wire.PgOutputFrame;
import io.camelpgrepl.client.wire.PgOutputFraming;
import io.camelpgrepl.client.wire.PgTime;
import io.camelpgrepl.client.wire.PrimaryKeepalive;
import io.camelpgrepl.client.wire.XLogDataFrame;

/**
 * The reader thread: reads the copy stream, frames each pgoutput message once ({@link PgOutputFraming}), and
 * hands events to the {@link EventBuffer} in batches. It tracks what must be acknowledged before a keepalive may
 * be (idle acknowledgement), ends a bounded replay at {@code stopAtLsn}, and finishes the copy when the server
 * does. Whatever ends it, the last thing it queues is {@link #END}.
 */
final class StreamReader implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(StreamReader.class);
    /** Queued last: the stream has ended (see {@link StreamState#failure} for why). */
    static final Object END = new Object();
    private static final int MAX_BATCH = 512;
    /** A batch is handed over at this many message bytes too: 512 rows of 1 MiB must not gather in one. */
    private static final long MAX_BATCH_BYTES = 1L << 20;

    private final ReplicationConfig config;
    private final PgConnection conn;
    private final StreamState state;
    private final EventBuffer queue;
    private final FeedbackLoop feedback;
    private final PgOutputFraming framing = new PgOutputFraming();
    private List<Object> batch = new ArrayList<>();
    /** Message bytes in {@link #batch}. */
    private long batchBytes;
    /** The highest end of a transaction (or non-transactional message) received: idle acks wait for it. */
    private long ackPointReceived;
    /** After stopAtLsn: what the server still sends is dropped. */
    private boolean discarding;

    StreamReader(ReplicationConfig config, PgConnection conn, StreamState state, EventBuffer queue,
                 FeedbackLoop feedback) {
        this.config = config;
        this.conn = conn;
        this.state = state;
        this.queue = queue;
        this.feedback = feedback;
    }

    @Override
    public void run() {
        try {
            while (true) {
                if (!batch.isEmpty() && (batch.size() >= MAX_BATCH || batchBytes >= MAX_BATCH_BYTES
                        || !conn.canReadWithoutBlocking())) {
                    flushBatch();
                }
                state.awaitNotPaused();
                Frame f = conn.readFrame();
                state.lastReceivedNanos = System.nanoTime();
                switch (f.type()) {
                    case 'd':
                        onCopyData(f.body());
                        break;
                    case 'c':
                        finishAfterServerCopyDone();
                        if (state.stopRequested) {
                            return;
                        }
                        // Not an answer to ours: the server ended the stream (a proxy, a failover, a bug); the slot
                        // stays, and whoever owns the stream connects again.
                        throw new ConnectionException("Server " + config.endpoint() + " ended the replication stream "
                                + "of slot '" + config.slot() + "' with CopyDone without being asked to; connect again");
                    case 'C':
                        // A walsender whose server shuts down (WalSndDone) ends the copy with CommandComplete and
                        // exits, without CopyDone: the stream did not end because we asked.
                        if (state.stopRequested) {
                            return;
                        }
                        throw new ConnectionException("Server " + config.endpoint() + " ended the replication stream"
                                + " of slot '" + config.slot() + "' (it is shutting down); connect again once it is"
                                + " back");
                    case 'E':
                        throw new ServerErrorException("Replication stream of slot '" + config.slot() + "' from "
                                + config.endpoint() + " ended", BackendMessages.serverError(f));
                    case 'N':
                        conn.logNotice(f);
                        break;
                    case 'S':
                        break;
                    default:
                        throw new ProtocolException("Unexpected message '" + f.typeChar()
                                + "' in the replication stream of slot '" + config.slot() + "'");
                }
            }
        } catch (InterruptedException e) {
            if (!state.aborted) {
                state.failure = new ConnectionException("Reader of slot '" + config.slot() + "' was interrupted", e);
            }
        } catch (IOException e) {
            if (!state.aborted && !state.stopRequested && state.failure == null) {
                state.failure = new ConnectionException("Connection to " + config.endpoint() + " lost while streaming "
                        + "slot '" + config.slot() + "': " + e.getMessage(), e);
            }
        } catch (ReplicationException e) {
            if (state.failure == null) {
                state.failure = e;
            }
        } catch (RuntimeException e) {
            state.failure = new ProtocolException("Unexpected failure reading slot '" + config.slot() + "': " + e, e);
        } catch (Error e) {
            // Never a clean end of stream: the consumer would take it for a stop and nothing would reconnect.
            state.failure = new ReplicationException("The reader of slot '" + config.slot() + "' failed with " + e
                    + "; the stream ended", e, false);
        } finally {
            state.terminated = true;
            if (state.failure != null && !state.aborted) {
                LOG.warn("Replication stream of slot '{}' failed: {}", config.slot(), state.failure.getMessage());
            }
            conn.close();
            state.signal();
            enqueueEnd();
        }
    }

    private void onCopyData(byte[] body) throws InterruptedException {
        if (body.length == 0) {
            throw new ProtocolException("Empty CopyData in the replication stream");
        }
        byte kind = body[0];
        if (kind == 'w') {
            XLogDataFrame x = XLogDataFrame.parse(body);
            state.advanceReceived(x.walEnd());
            if (!discarding) {
                onWalMessage(Lsn.of(x.walStart()), Lsn.of(x.walEnd()), PgTime.toInstant(x.sendTime()), x.data());
            }
        } else if (kind == 'k') {
            onKeepalive(body);
        } else {
            throw new ProtocolException("Unknown CopyData message '" + (char) kind + "' in the replication stream");
        }
    }

    private void onKeepalive(byte[] body) throws InterruptedException {
        PrimaryKeepalive k = PrimaryKeepalive.parse(body);
        long walEnd = k.walEnd();
        boolean reply = k.replyRequested();
        state.advanceReceived(walEnd);
        if (config.ackIdleKeepalive() && !discarding && framing.idle()
                && Long.compareUnsigned(state.applied.get(), ackPointReceived) >= 0) {
            Lsn stopAt = config.stopAtLsn();
            // a bounded replay never acknowledges past its bound: what lies beyond was not delivered
            long idle = stopAt == null ? walEnd : Math.min(walEnd, stopAt.asLong());
            if (Long.compareUnsigned(idle, state.idleAck) > 0) {
                state.idleAck = idle;
            }
        }
        if (reply) {
            feedback.sendStatus(false);
        }
        if (discarding) {
            return;
        }
        Lsn stopAt = config.stopAtLsn();
        if (stopAt != null && !framing.transactionOpen() && Long.compareUnsigned(walEnd, stopAt.asLong()) >= 0) {
            reachStop(Lsn.of(walEnd));
            return;
        }
        deliver(new KeepAlive(Lsn.of(walEnd), PgTime.toInstant(k.sendTime()), reply));
    }

    private void onWalMessage(Lsn walStart, Lsn walEnd, Instant sent, ByteBuffer data) throws InterruptedException {
        PgOutputFrame frame = framing.frame(data, walStart);
        Lsn stopAt = config.stopAtLsn();
        if (stopAt != null && beyondBound(frame, stopAt)) {
            reachStop(decisionLsn(frame));
            return;
        }
        switch (frame.type()) {
            case 'B':
                deliver(new ReplicationEvent.Begin(walStart, walEnd, sent, data, frame));
                break;
            case 'C':
                noteAckPoint(frame.ackLsn());
                deliver(new ReplicationEvent.Commit(walStart, walEnd, sent, data, frame));
                break;
            case 'M': {
                PgOutputFraming.MessageBody body = PgOutputFraming.messageBody(data, frame, walStart);
                if (!frame.transactional()) {
                    noteAckPoint(frame.lsn());
                }
                deliver(new ReplicationEvent.Message(walStart, walEnd, sent, data, frame, body.prefix(),
                        body.content()));
                break;
            }
            default:
                if (frame.endsTransaction()) {
                    noteAckPoint(frame.ackLsn());
                }
                deliver(new ReplicationEvent.XLogData(walStart, walEnd, sent, data, frame));
        }
        if (stopAt != null && frame.endsTransaction() && decisionLsn(frame).compareTo(stopAt) >= 0) {
            reachStop(decisionLsn(frame));
        }
    }

    /**
     * Whether {@code frame} opens, or decides, a transaction that commits past the bound of a bounded replay: a
     * Begin or Begin Prepare by its final (prepare) LSN, a Commit Prepared, Rollback Prepared, Stream Commit or Stream
     * Prepare by its own position, a non-transactional Message by its LSN. Rows of a streamed transaction arrive
     * before its commit is known; they are delivered (as uncommitted), its outcome past the bound is not.
     */
    private static boolean beyondBound(PgOutputFrame frame, Lsn stopAt) {
        switch (frame.type()) {
            case 'B':
            case 'b':
            case 'K':
            case 'r':
            case 'c':
            case 'p':
                return decisionLsn(frame).isAfter(stopAt);
            case 'M':
                return !frame.transactional() && frame.lsn().isAfter(stopAt);
            default:
                return false;
        }
    }

    /** The LSN that places a transaction against the bound: its commit (prepare) LSN, else its end. */
    private static Lsn decisionLsn(PgOutputFrame frame) {
        return frame.lsn().isValid() ? frame.lsn() : frame.ackLsn();
    }

    private void noteAckPoint(Lsn lsn) {
        ackPointReceived = StreamState.maxUnsigned(ackPointReceived, lsn.asLong());
    }

    private void deliver(ReplicationEvent event) {
        batch.add(event);
        if (event instanceof ReplicationEvent.WalMessage w) {
            batchBytes += w.data().remaining();
        }
        state.events++;
    }

    /** Hands the parsed events to the consumer; while it is behind, the socket is not read (backpressure). */
    private void flushBatch() throws InterruptedException {
        state.readerWaiting = true;
        try {
            queue.putAll(batch, batchBytes);
            batch = new ArrayList<>(Math.min(MAX_BATCH, Math.max(16, batch.size() * 2)));
            batchBytes = 0;
        } finally {
            state.readerWaiting = false;
            state.lastReceivedNanos = System.nanoTime();
        }
    }

    /**
     * Bounded replay reached its end: tell the consumer and drop what the server still sends. The copy ends when the
     * consumer comes back for more (see {@link ReplicationClient#recv()}) or stops: only then has it acknowledged
     * the transactions it was still working on, and status updates keep going out until then.
     */
    private void reachStop(Lsn reached) throws InterruptedException {
        LOG.info("Slot '{}' reached stopAtLsn {} (at {}); ending the stream", config.slot(), config.stopAtLsn(),
                reached);
        discarding = true;
        deliver(new StoppedAt(reached));
        flushBatch();
    }

    private void finishAfterServerCopyDone() throws IOException {
        feedback.endCopy();
        while (true) {
            Frame f = conn.readFrame();
            if (f.type() == 'Z') {
                break;
            }
            if (f.type() == 'E') {
                throw new ServerErrorException("Ending the stream of slot '" + config.slot() + "'",
                        BackendMessages.serverError(f));
            }
        }
        if (state.dropSlot) {
            ReplicationBootstrap.dropSlotOnStop(conn, config);
        }
        conn.write(FrontendMessages.terminate());
    }

    private void enqueueEnd() {
        if (state.aborted) {
            batch.clear();
            batchBytes = 0;
            queue.clear();
        }
        batch.add(END);
        while (true) {
            try {
                flushBatch();
                return;
            } catch (InterruptedException e) {
                if (state.aborted) {
                    queue.clear();
                    batch.clear();
                    batchBytes = 0;
                    batch.add(END);
                }
            }
        }
    }
}
