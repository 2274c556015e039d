package io.camelpgrepl.camel;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.camelpgrepl.client.ClientStats;
import io.camelpgrepl.client.ConnectAttempt;
import io.camelpgrepl.client.Lsn;
import io.camelpgrepl.client.ReplicationClient;
import io.camelpgrepl.client.ReplicationException;
import io.camelpgrepl.client.ServerErrorException;
import io.camelpgrepl.client.ServerInfo;
import io.camelpgrepl.client.SlotStatus;
import io.camelpgrepl.camel.PgReplConsumerState.Redelivery;
import io.camelpgrepl.client.SnapshotMode;
import io.camelpgrepl.camel.PgReplConsumerState.State;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer's long-running task: connect, stream ({@link ReplicationSession}), and on a transient error
 * reconnect with exponential backoff from the last acknowledged LSN, within {@code reconnectMaxAttempts}. A
 * permanent error, or any unexpected one (an {@link Error} included), ends the loop: state failed, health DOWN,
 * one ERROR line, and the consumer's route is stopped ({@link PgReplConsumer#failed}). "Slot in use" (55006) is the standby state of a
 * second consumer: retried with backoff, never counted as an attempt that fails. Remembers the last error and the
 * counters of finished connections for the health check, JMX and the dev console.
 */
final class ReplicationLoop {

    // the consumer's logger: these lines are part of what the consumer reports
    private static final Logger LOG = LoggerFactory.getLogger(PgReplConsumer.class);

    private final PgReplConsumer consumer;
    private final PgReplConfiguration cfg;
    private final AtomicLong reconnects = new AtomicLong();
    private final AtomicLong eventsBefore = new AtomicLong();
    private final AtomicLong bytesBefore = new AtomicLong();
    private final AtomicLong stallsBefore = new AtomicLong();

    private volatile CountDownLatch done = new CountDownLatch(0);
    private volatile boolean running;
    private volatile boolean suspended;
    /** Which run is current: a run that outlived its stop (stuck in a connect) sees it is stale and ends. */
    private volatile long generation;
    private volatile State state = State.STOPPED;
    private volatile ReplicationSession session;
    private volatile ConnectAttempt connecting;
    private volatile Lsn acknowledged = Lsn.INVALID;
    private volatile String lastError;
    private volatile Throwable lastFailure;
    private volatile Instant lastErrorTime;
    private volatile ServerInfo serverInfo;
    private volatile SlotStatus slotStatus;
    /**
     * The same transaction failing again and again under failurePolicy=redeliver: where, how often, why, and the
     * delay before the next attempt (doubling up to reconnectMaxDelay, back to reconnectDelay once it passes).
     */
    private volatile Redelivery redelivery;

    ReplicationLoop(PgReplConsumer consumer) {
        this.consumer = consumer;
        this.cfg = consumer.getEndpoint().getConfiguration();
    }

    // ------------------------------------------------------------------ control, from the consumer's lifecycle

    /** The consumer started: the loop will connect once it runs. */
    void starting() {
        running = true;
        state = State.CONNECTING;
    }

    /** Called before the loop is handed to its thread, so {@link #awaitEnd} waits for this run. */
    Runnable newRun() {
        CountDownLatch latch = new CountDownLatch(1);
        done = latch;
        long run = ++generation;
        return () -> run(run, latch);
    }

    /**
     * Asks the loop to stop: a connect in progress is cancelled now; a stream drains exchanges in flight (bounded),
     * acknowledges and closes.
     */
    void stop() {
        running = false;
        ConnectAttempt attempt = connecting;
        if (attempt != null) {
            attempt.cancel();
        }
    }

    /** Waits for the loop to end; false when it did not within {@code timeout}. */
    boolean awaitEnd(Duration timeout) throws InterruptedException {
        return done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Closes the current connection (or the one being set up) now, without a final acknowledgement. */
    void abort() {
        ConnectAttempt attempt = connecting;
        if (attempt != null) {
            attempt.cancel();
        }
        ReplicationSession s = session;
        if (s != null) {
            s.client().abort();
        }
    }

    /** The consumer stopped; a failure stays visible. */
    void stopped() {
        if (state != State.FAILED) {
            state = State.STOPPED;
        }
    }

    void suspend() {
        suspended = true;
        ReplicationSession s = session;
        if (s != null) {
            s.client().pauseReading();
        }
    }

    void resume() {
        suspended = false;
        ReplicationSession s = session;
        if (s != null) {
            s.client().resumeReading();
        }
    }

    // ------------------------------------------------------------------ the loop

    private boolean current(long run) {
        return running && generation == run;
    }

    private void run(long run, CountDownLatch latch) {
        Throwable failure = null;
        try {
            failure = loop(run);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | Error e) {
            // Whatever it is, the consumer must not look alive with nothing streaming: fail it, visibly.
            failure = e;
            recordError(e);
            state = State.FAILED;
            LOG.error("pgrepl consumer of slot '{}' stopped on an unexpected error: {}", cfg.getSlot(), e, e);
        } finally {
            session = null;
            connecting = null;
            latch.countDown();
        }
        if (failure != null && generation == run) {
            consumer.failed(failure);
        }
    }

    /** Streams until stopped; returns the permanent failure that ended it, or null. */
    private Throwable loop(long run) throws InterruptedException {
        Duration delay = cfg.getReconnectDelay();
        int attempts = 0;
        while (current(run)) {
            if (state != State.STANDBY) {
                // a standby consumer stays standby (and ready) while it retries, instead of flapping to connecting
                state = State.CONNECTING;
            }
            ReplicationSession.Outcome outcome;
            try {
                ReplicationClient client = connect(run);
                if (client == null) {
                    return null;
                }
                serverInfo = client.serverInfo();
                slotStatus = client.slotStatus();
                ReplicationSession s = new ReplicationSession(this, consumer, client, acknowledged);
                session = s;
                if (suspended) {
                    client.pauseReading();
                }
                state = suspended ? State.SUSPENDED : State.STREAMING;
                attempts = 0;
                delay = cfg.getReconnectDelay();
                try {
                    outcome = s.stream();
                } finally {
                    finish(s, !running);
                }
            } catch (ReplicationException e) {
                if (!current(run)) {
                    return null;
                }
                recordError(e);
                boolean standby = e instanceof ServerErrorException se && se.isSlotInUse();
                if (!standby && !e.isTransient()) {
                    state = State.FAILED;
                    LOG.error("pgrepl consumer of slot '{}' stopped on a permanent error (not retried): {}",
                            cfg.getSlot(), e.getMessage(), e);
                    return e;
                }
                if (!standby) {
                    // standing by is waiting for the other consumer, not failing: it never exhausts the attempts
                    attempts++;
                }
                if (cfg.getReconnectMaxAttempts() > 0 && attempts > cfg.getReconnectMaxAttempts()) {
                    state = State.FAILED;
                    LOG.error("pgrepl consumer of slot '{}' gave up after {} reconnect attempts (reconnectMaxAttempts);"
                              + " last error: {}", cfg.getSlot(), attempts - 1, e.getMessage(), e);
                    return e;
                }
                state = standby ? State.STANDBY : State.CONNECTING;
                if (standby) {
                    LOG.info("Slot '{}' is in use by another consumer; standing by, retrying in {}", cfg.getSlot(), delay);
                } else {
                    LOG.warn("pgrepl consumer of slot '{}' lost its connection ({}); reconnecting in {} (attempt {})",
                            cfg.getSlot(), e.getMessage(), delay, attempts);
                }
                reconnects.incrementAndGet();
                sleep(delay);
                delay = nextDelay(delay);
                continue;
            } catch (SnapshotAbandoned e) {
                outcome = e.outcome();
            }
            switch (outcome) {
                case STOPPING:
                    return null;
                case STOPPED_AT:
                    state = State.STOPPED;
                    if (cfg.getSnapshotMode() == SnapshotMode.INITIAL_ONLY) {
                        LOG.info("pgrepl consumer of slot '{}' read its initial snapshot (snapshotMode=initialOnly);"
                                 + " done", cfg.getSlot());
                    } else {
                        LOG.info("pgrepl consumer of slot '{}' reached stopAtLsn {}; streaming ended", cfg.getSlot(),
                                cfg.getStopAtLsn());
                    }
                    return null;
                case FAILED:
                    state = State.FAILED;
                    return lastFailure;
                case REDELIVER: {
                    reconnects.incrementAndGet();
                    state = State.CONNECTING;
                    Redelivery r = redelivery;
                    sleep(r != null ? r.nextDelay() : delay);
                    break;
                }
                case ENDED:
                default:
                    reconnects.incrementAndGet();
                    state = State.CONNECTING;
                    sleep(delay);
            }
        }
        return null;
    }

    /** One connect, cancellable by {@link #stop()}; null when the loop was stopped meanwhile. */
    private ReplicationClient connect(long run) {
        ConnectAttempt attempt = new ConnectAttempt();
        connecting = attempt;
        try {
            if (!current(run)) {
                return null;
            }
            // with snapshotMode, connect hands the snapshot to the route before it starts the stream
            ReplicationClient client = ReplicationClient.connect(
                    cfg.toReplicationConfig(consumer.getEndpoint().getCamelContext(), acknowledged), attempt,
                    cfg.getSnapshotMode() == SnapshotMode.NEVER ? null : new SnapshotExchanges(this, consumer));
            if (!current(run)) {
                // stopped while the connect was finishing: never leave a second stream on the slot
                client.abort();
                return null;
            }
            return client;
        } finally {
            connecting = null;
        }
    }

    /**
     * Drains the session, keeps its counters, and closes its connection: the owner's stop ({@code ownerStop}, or the
     * end of a bounded replay) may drop the slot (dropSlotOnStop); an internal restart never does.
     */
    private void finish(ReplicationSession s, boolean ownerStop) {
        s.drain();
        ClientStats st = s.client().stats();
        eventsBefore.addAndGet(st.events());
        bytesBefore.addAndGet(st.bytes());
        stallsBefore.addAndGet(st.stalls());
        session = null;
        if (ownerStop || s.reachedStopAt()) {
            s.client().shutdown(cfg.getShutdownTimeout());
        } else {
            s.client().shutdownForReconnect(cfg.getShutdownTimeout());
        }
        // Resume from what the client confirmed, idle advancement included: the slot may be past the last exchange
        // (strictStartLsn would otherwise refuse the slot's own position).
        confirmed(s.client().stats().appliedLsn());
    }

    private Duration nextDelay(Duration delay) {
        Duration doubled = delay.multipliedBy(2);
        return doubled.compareTo(cfg.getReconnectMaxDelay()) > 0 ? cfg.getReconnectMaxDelay() : doubled;
    }

    /** Sleeps {@code d}, waking early when the consumer stops. */
    private void sleep(Duration d) throws InterruptedException {
        long end = System.nanoTime() + d.toNanos();
        while (running && System.nanoTime() < end) {
            Thread.sleep(Math.min(ReplicationSession.POLL_MILLIS,
                    Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()))));
        }
    }

    /**
     * The failure policy's verdict on {@code f} (see {@link FailurePolicy#stopsAfter}); under redeliver, counts the
     * attempt for the backoff.
     */
    boolean stopsAfter(AckTracker.Failure f, String what, Lsn acknowledged) {
        PgReplConsumerState.Redelivery next = null;
        if (cfg.getFailurePolicy() != FailurePolicy.STOP) {
            redeliver(f.lsn(), f.cause());
            next = redelivery;
        }
        return cfg.getFailurePolicy().stopsAfter(f, what, cfg.getSlot(), acknowledged, next);
    }

    /**
     * A session restarts from the last acknowledgement because what is at {@code lsn} failed: the same LSN again
     * backs off further, another starts over.
     */
    void redeliver(Lsn lsn, Throwable cause) {
        Redelivery last = redelivery;
        String why = cause == null ? "failed" : String.valueOf(cause.getMessage());
        redelivery = last != null && last.lsn().equals(lsn)
                ? new Redelivery(lsn, last.attempts() + 1, why, nextDelay(last.nextDelay()))
                : new Redelivery(lsn, 1, why, cfg.getReconnectDelay());
    }

    // ------------------------------------------------------------------ what sessions report

    void recordError(Throwable e) {
        lastFailure = e;
        // an Error's message alone ("simulated", or none) would hide what happened
        lastError = e instanceof Error || e.getMessage() == null ? e.toString() : e.getMessage();
        lastErrorTime = Instant.now();
    }

    /** The initial snapshot is being read (its rows are flowing into the route). */
    void snapshotStarted() {
        state = State.SNAPSHOT;
    }

    /** A session confirmed {@code lsn}: every exchange up to it completed. */
    void confirmed(Lsn lsn) {
        if (lsn.isAfter(acknowledged)) {
            acknowledged = lsn;
            Redelivery r = redelivery;
            if (r != null && lsn.isAfter(r.lsn())) {
                redelivery = null; // the transaction that kept failing has passed
            }
        }
    }

    boolean isRunning() {
        return running;
    }

    boolean isSuspended() {
        return suspended;
    }

    // ------------------------------------------------------------------ for snapshots

    /** The state as observed: streaming while suspended reads as suspended. */
    State state() {
        State current = state;
        return current == State.STREAMING && suspended ? State.SUSPENDED : current;
    }

    /** The current session, or null between connections. */
    ReplicationSession session() {
        return session;
    }

    Lsn acknowledgedLsn() {
        return acknowledged;
    }

    String lastError() {
        return lastError;
    }

    Instant lastErrorTime() {
        return lastErrorTime;
    }

    ServerInfo serverInfo() {
        return serverInfo;
    }

    SlotStatus slotStatus() {
        return slotStatus;
    }

    /** The transaction being redelivered again and again, or null. */
    Redelivery redelivery() {
        return redelivery;
    }

    long reconnects() {
        return reconnects.get();
    }

    long eventsBefore() {
        return eventsBefore.get();
    }

    long bytesBefore() {
        return bytesBefore.get();
    }

    long stallsBefore() {
        return stallsBefore.get();
    }
}
