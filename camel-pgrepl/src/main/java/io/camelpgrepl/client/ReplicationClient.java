package io.camelpgrepl.client;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A logical replication stream from one slot, over one connection.
 *
 * <p>{@link #connect(ReplicationConfig)} returns once the server accepted {@code START_REPLICATION}, so bad
 * credentials, TLS failures and a missing slot surface there. Events are then read by one I/O thread into a
 * bounded buffer and handed out by {@link #recv()} in stream order. Progress is reported with
 * {@link #updateAppliedLsn(Lsn)}; a second thread sends standby status updates on schedule, even while the buffer
 * is full and the reader has stopped reading (TCP flow control then slows the walsender down, but its timeout
 * never fires).
 *
 * <p>Status updates carry {@code write} = the highest LSN received and {@code flush} = {@code apply} = the highest
 * LSN acknowledged; nothing is acknowledged on the application's behalf except, when {@code ackIdleKeepalive} is
 * on, a keepalive's position while no transaction is open and everything received has been acknowledged.
 *
 * <p>This class is the API and the lifecycle; {@link ReplicationBootstrap} sets the stream up,
 * {@link StreamReader} is the reader thread and {@link FeedbackLoop} the status-update and liveness thread.
 */
public final class ReplicationClient implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicationClient.class);
    /** The server refuses a walsender to a role without REPLICATION (and not superuser) with this SQLSTATE. */
    private static final String INSUFFICIENT_PRIVILEGE = "42501";

    private final ReplicationConfig config;
    private final PgConnection conn;
    private final ServerInfo serverInfo;
    private final SlotStatus slotStatus;
    private final Map<Integer, List<String>> primaryKeys;
    private final EventBuffer queue;
    private final StreamState state = new StreamState();
    private final FeedbackLoop feedbackLoop;
    private final Thread reader;
    private final Thread feedback;

    // Consumer-side state.
    private boolean endSeen;
    /** StoppedAt was handed out: the next call ends the copy, carrying what was acknowledged meanwhile. */
    private boolean stoppedAtSeen;

    private ReplicationClient(PgConnection conn, ReplicationBootstrap.Started started) {
        this.config = started.stream();
        this.conn = conn;
        this.serverInfo = started.serverInfo();
        this.slotStatus = started.slotStatus();
        this.primaryKeys = started.primaryKeys();
        this.queue = new EventBuffer(config.bufferEvents());
        this.feedbackLoop = new FeedbackLoop(config, conn, state, started.walSenderTimeoutMillis());
        String name = "pgrepl-" + config.slot();
        this.reader = new Thread(new StreamReader(config, conn, state, queue, feedbackLoop), name + "-reader");
        this.feedback = new Thread(feedbackLoop, name + "-feedback");
        reader.setDaemon(true);
        feedback.setDaemon(true);
    }

    /**
     * Connects, authenticates, runs IDENTIFY_SYSTEM, prepares the publication and slot when asked to, and starts
     * streaming. Returns only after the server accepted START_REPLICATION.
     *
     * @throws ReplicationException a typed error; {@link ReplicationException#isTransient()} tells whether a later
     *                              attempt may succeed
     */
    public static ReplicationClient connect(ReplicationConfig config) {
        return connect(config, new ConnectAttempt(), null);
    }

    /**
     * As {@link #connect(ReplicationConfig)}, with every step after login bounded (connectTimeout, createSlotTimeout)
     * and cancellable from another thread through {@code attempt}.
     */
    public static ReplicationClient connect(ReplicationConfig config, ConnectAttempt attempt) {
        return connect(config, attempt, null);
    }

    /**
     * As {@link #connect(ReplicationConfig)}, and when {@link ReplicationConfig#snapshotMode()} asks for an initial
     * snapshot (initial: this connect creates the slot; initialOnly: always), reads it first and hands it to
     * {@code snapshot} on this thread; the stream then starts at the snapshot's consistent point. With initialOnly
     * the stream ends right there: {@link #recv()} returns {@link ReplicationEvent.StoppedAt}, then null.
     */
    public static ReplicationClient connect(ReplicationConfig config, SnapshotListener snapshot) {
        return connect(config, new ConnectAttempt(), snapshot);
    }

    /**
     * The connect all others delegate to: bounded and cancellable through {@code attempt}, with the initial snapshot
     * (when snapshotMode asks for one) handed to {@code snapshot}. Reading the snapshot has no time limit (the
     * listener sets the pace); a cancel still ends it.
     *
     * @param snapshot receives the snapshot's rows; may be null when snapshotMode is never
     * @throws ReplicationException a typed error; what {@code snapshot} throws passes through, after the connection
     *                              (and with it the snapshot's temporary slot) is closed
     */
    public static ReplicationClient connect(ReplicationConfig config, ConnectAttempt attempt,
                                            SnapshotListener snapshot) {
        if (snapshot == null && config.snapshotMode() != SnapshotMode.NEVER) {
            throw new ConfigurationException("snapshotMode=" + config.snapshotMode() + " needs a SnapshotListener to"
                    + " hand the rows to: use connect(config, listener)");
        }
        PgConnection conn = login(config);
        try {
            attempt.attach(conn);
            ReplicationClient client = new ReplicationClient(conn,
                    ReplicationBootstrap.start(conn, config, attempt, snapshot));
            conn.coalesceReads(config.readCoalesce());
            client.reader.start();
            client.feedback.start();
            return client;
        } catch (ReplicationException e) {
            conn.close();
            throw attempt.explain(e);
        } catch (RuntimeException e) {
            conn.close();
            throw e;
        } finally {
            attempt.end();
        }
    }

    private static PgConnection login(ReplicationConfig config) {
        try {
            return PgConnection.open(config);
        } catch (ServerErrorException e) {
            if (INSUFFICIENT_PRIVILEGE.equals(e.sqlState())) {
                throw new ConfigurationException("Role '" + config.user() + "' may not open a replication connection"
                        + " to " + config.endpoint() + " (" + e.getMessage() + "); grant it the REPLICATION attribute"
                        + " (ALTER ROLE ... REPLICATION) or connect as a superuser", e);
            }
            throw e;
        }
    }

    // ---------------------------------------------------------------- consumer API

    /**
     * The next event, waiting as long as needed. Returns null once the stream has ended cleanly (after
     * {@link #stop()}, after {@link ReplicationEvent.StoppedAt}, or after {@link #abort()}).
     *
     * @throws ReplicationException the stream failed (connection lost, server error...)
     */
    public ReplicationEvent recv() throws InterruptedException {
        if (endSeen) {
            return endOfStream();
        }
        endCopyAfterStoppedAt();
        return unwrap(queue.take(-1));
    }

    /** As {@link #recv()}, but waits at most {@code timeout}; null on timeout or end ({@link #isEnded()} tells). */
    public ReplicationEvent poll(Duration timeout) throws InterruptedException {
        if (endSeen) {
            return endOfStream();
        }
        endCopyAfterStoppedAt();
        Object o = queue.take(Math.max(0, timeout.toNanos()));
        return o == null ? null : unwrap(o);
    }

    /** True once {@link #recv()} has returned the end of the stream. */
    public boolean isEnded() {
        return endSeen;
    }

    /**
     * Reports that everything up to {@code lsn} has been processed durably. Cheap, thread-safe and monotonic:
     * an older value than one already reported is ignored. Sent with the next status update.
     */
    public void updateAppliedLsn(Lsn lsn) {
        state.updateApplied(lsn.asLong());
    }

    /** Stops reading the socket after the current message; status updates keep going out. */
    public void pauseReading() {
        state.paused = true;
    }

    /** Undoes {@link #pauseReading()}. */
    public void resumeReading() {
        state.resume();
    }

    public ServerInfo serverInfo() {
        return serverInfo;
    }

    /** The slot's health as read when connecting (null when unknown, e.g. a slot missing until START_REPLICATION). */
    public SlotStatus slotStatus() {
        return slotStatus;
    }

    /**
     * The primary key columns (in column order) of each table of the publications when the stream started, by
     * relation OID (pgoutput's relation id); tables without a primary key are absent.
     */
    public Map<Integer, List<String>> primaryKeys() {
        return primaryKeys;
    }

    /** The configuration streamed with: as given, except after an initialOnly snapshot (its temporary slot). */
    public ReplicationConfig config() {
        return config;
    }

    public ClientStats stats() {
        return new ClientStats(Lsn.of(state.received), Lsn.of(state.flushPosition()), Lsn.of(state.serverWalEnd),
                state.events, conn.bytesRead(), queue.stalls(), feedbackLoop.statusSent(), state.lastReceived);
    }

    /** The failure that ended the stream, or null. */
    public ReplicationException failure() {
        return state.failure;
    }

    // ---------------------------------------------------------------- lifecycle

    /**
     * Graceful stop by the stream's owner: sends a last status update with the latest acknowledgement, then CopyDone.
     * Events already buffered are still delivered; then {@link #recv()} returns null. With {@code dropSlotOnStop} the
     * slot is dropped once the server confirmed the end of the copy.
     */
    public void stop() {
        state.dropSlot = true;
        endCopy();
    }

    private void endCopy() {
        state.stopRequested = true;
        resumeReading();
        feedbackLoop.endCopy();
    }

    /**
     * {@link #stop()}, then discards whatever is still buffered, and waits for the I/O threads to finish.
     *
     * @return true when the stream ended within the timeout; otherwise the connection is aborted
     */
    public boolean shutdown(Duration timeout) {
        state.dropSlot = true;
        return end(timeout);
    }

    /**
     * Ends this connection as {@link #shutdown(Duration)} does (final acknowledgement, CopyDone, wait), to connect
     * again afterwards: the slot is kept even with {@code dropSlotOnStop}, which is for the owner's stop only.
     *
     * @return true when the stream ended within the timeout; otherwise the connection is aborted
     */
    public boolean shutdownForReconnect(Duration timeout) {
        return end(timeout);
    }

    private boolean end(Duration timeout) {
        endCopy();
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (!endSeen) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                Object o = queue.take(left);
                if (o == StreamReader.END) {
                    endSeen = true;
                }
            }
            reader.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            feedback.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        boolean clean = !reader.isAlive() && !feedback.isAlive();
        if (!clean) {
            LOG.warn("Replication stream of slot '{}' did not end within {}; closing the connection", config.slot(),
                    timeout);
            abort();
        }
        return clean;
    }

    /** {@link #shutdown(Duration)} with a 30 second bound. */
    public void shutdown() {
        shutdown(Duration.ofSeconds(30));
    }

    /** Closes the connection now, without CopyDone. Buffered events are dropped; I/O threads end. */
    public void abort() {
        state.aborted = true;
        conn.close();
        reader.interrupt();
        state.signal();
        try {
            reader.join(5000);
            feedback.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Graceful shutdown bounded to 10 seconds; aborts past that. Safe to call more than once. */
    @Override
    public void close() {
        if (reader.isAlive() || feedback.isAlive()) {
            shutdown(Duration.ofSeconds(10));
        }
        conn.close();
    }

    // ---------------------------------------------------------------- helpers

    /**
     * A bounded replay ends its copy only once the application came back after {@link ReplicationEvent.StoppedAt}:
     * by then it has acknowledged what it was given, so the final status update carries the last delivered commit.
     */
    private void endCopyAfterStoppedAt() {
        if (stoppedAtSeen) {
            stoppedAtSeen = false;
            stop();
        }
    }

    private ReplicationEvent unwrap(Object o) {
        if (state.aborted) {
            queue.clearLocal();
            endSeen = true;
            return null;
        }
        if (o == StreamReader.END) {
            endSeen = true;
            return endOfStream();
        }
        if (o instanceof ReplicationEvent.StoppedAt) {
            stoppedAtSeen = true;
        }
        return (ReplicationEvent) o;
    }

    private ReplicationEvent endOfStream() {
        ReplicationException f = state.failure;
        if (f != null && !state.aborted) {
            throw f;
        }
        return null;
    }
}
