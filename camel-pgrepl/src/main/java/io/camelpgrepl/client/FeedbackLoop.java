package io.camelpgrepl.client;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.camelpgrepl.client.wire.FrontendMessages;
import io.camelpgrepl.client.wire.PgTime;
import io.camelpgrepl.client.wire.StandbyStatusUpdate;

/**
 * The feedback thread: standby status updates on schedule, a probe when the server has been silent for half of
 * {@code receiveTimeout}, and the verdict "connection dead" when the probe goes unanswered. It runs apart from the
 * reader so that updates go out even while the reader waits for a slow consumer (the walsender's timeout would
 * otherwise fire), and it is the only writer of status updates and CopyDone. After CopyDone it only watches: a
 * server that does not finish the copy within {@code receiveTimeout} is dead too.
 */
final class FeedbackLoop implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(FeedbackLoop.class);

    private final ReplicationConfig config;
    private final PgConnection conn;
    private final StreamState state;
    private final long statusIntervalNanos;
    private final long receiveTimeoutNanos;
    private final ReentrantLock sendLock = new ReentrantLock();
    private final AtomicBoolean copyDoneSent = new AtomicBoolean();
    private volatile long statusSent;

    FeedbackLoop(ReplicationConfig config, PgConnection conn, StreamState state, long walSenderTimeoutMillis) {
        this.config = config;
        this.conn = conn;
        this.state = state;
        long interval = config.statusInterval().toNanos();
        if (walSenderTimeoutMillis > 0) {
            // Keep the walsender's timeout from firing even when we cannot read its keepalive requests.
            interval = Math.min(interval, TimeUnit.MILLISECONDS.toNanos(walSenderTimeoutMillis) / 2);
        }
        this.statusIntervalNanos = Math.max(interval, TimeUnit.MILLISECONDS.toNanos(10));
        this.receiveTimeoutNanos = config.receiveTimeout().toNanos();
    }

    long statusSent() {
        return statusSent;
    }

    @Override
    public void run() {
        try {
            loop();
        } catch (RuntimeException | Error e) {
            // Without this thread nothing keeps the walsender's timeout from firing or notices a dead peer: end the
            // stream with the cause rather than let it die alone.
            if (state.failure == null) {
                state.failure = new ReplicationException("The status-update thread of slot '" + config.slot()
                        + "' failed with " + e + "; the stream ended", e, false);
            }
            LOG.debug("Status updates for slot '{}' failed; closing the stream", config.slot(), e); // the reader reports it
            conn.close();
            state.signal();
        }
    }

    private void loop() {
        long lastStatus = System.nanoTime();
        long probeSentAt = 0;
        // Liveness counts bytes, not whole messages: a large message arriving slowly is a live connection.
        long bytesSeen = conn.bytesRead();
        long bytesMovedAt = lastStatus;
        // Runs until the reader ends, CopyDone or not: after CopyDone nothing may be sent, but a server that never
        // finishes the copy must still be found dead, or the reader would wait for it forever.
        while (!state.terminated) {
            long now = System.nanoTime();
            long next = lastStatus + statusIntervalNanos;
            if (!state.readerWaiting && !state.paused) {
                long bytes = conn.bytesRead();
                if (bytes != bytesSeen) {
                    bytesSeen = bytes;
                    bytesMovedAt = now;
                }
                long received = state.lastReceivedNanos;
                long silentSince = received - bytesMovedAt >= 0 ? received : bytesMovedAt;
                if (copyDoneSent.get() && probeSentAt == 0) {
                    probeSentAt = now; // CopyDone asks for an answer as a probe does
                }
                if (probeSentAt != 0 && silentSince - probeSentAt >= 0) {
                    probeSentAt = 0;
                }
                if (probeSentAt == 0 && now - silentSince >= receiveTimeoutNanos / 2) {
                    LOG.debug("Nothing from {} for {} ms; asking the server to answer", config.endpoint(),
                            TimeUnit.NANOSECONDS.toMillis(now - silentSince));
                    sendStatus(true);
                    lastStatus = now;
                    probeSentAt = now;
                    next = lastStatus + statusIntervalNanos;
                }
                if (probeSentAt != 0 && now - silentSince >= receiveTimeoutNanos) {
                    state.failure = new ConnectionException("No message from " + config.endpoint() + " for "
                            + config.receiveTimeout() + " and no answer to a probe (receiveTimeout); the connection "
                            + "is presumed dead");
                    LOG.warn(state.failure.getMessage());
                    conn.close();
                    return;
                }
                next = Math.min(next, probeSentAt == 0 ? silentSince + receiveTimeoutNanos / 2
                        : silentSince + receiveTimeoutNanos);
            }
            if (now - next >= 0) {
                sendStatus(false);
                lastStatus = System.nanoTime();
                continue;
            }
            try {
                state.awaitChange(next - now, () -> state.terminated);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private boolean finished() {
        return state.terminated || copyDoneSent.get();
    }

    /** Sends a standby status update unless the copy has ended. Never throws: a failed send ends the stream. */
    void sendStatus(boolean replyRequested) {
        sendLock.lock();
        try {
            if (finished()) {
                return;
            }
            writeStatus(replyRequested);
        } finally {
            sendLock.unlock();
        }
    }

    /** The last status update (with the latest acknowledgement), then CopyDone; once. */
    void endCopy() {
        sendLock.lock();
        try {
            if (state.terminated || !copyDoneSent.compareAndSet(false, true)) {
                return;
            }
            writeStatus(false);
            conn.write(FrontendMessages.copyDone());
        } catch (IOException e) {
            LOG.debug("Sending CopyDone for slot '{}' failed: {}", config.slot(), e.getMessage());
            conn.close();
        } finally {
            sendLock.unlock();
        }
        state.signal();
    }

    private void writeStatus(boolean replyRequested) {
        long flush = state.flushPosition();
        byte[] msg = new StandbyStatusUpdate(Lsn.of(state.received), Lsn.of(flush), Lsn.of(flush), PgTime.now(),
                replyRequested).encode();
        try {
            conn.write(msg);
            statusSent++;
        } catch (IOException e) {
            if (!state.aborted && !state.stopRequested) {
                LOG.debug("Sending a status update for slot '{}' failed: {}", config.slot(), e.getMessage());
            }
            conn.close();
        }
    }
}
