package io.camelpgrepl.camel;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.camelpgrepl.client.ClientStats;
import io.camelpgrepl.client.Lsn;
import io.camelpgrepl.client.ReplicationClient;
import io.camelpgrepl.client.ReplicationException;
import io.camelpgrepl.client.ServerErrorException;
import io.camelpgrepl.client.ServerAddress;
import io.camelpgrepl.client.ServerInfo;
import io.camelpgrepl.client.SlotInfo;
import io.camelpgrepl.client.SlotNotReadyException;
import io.camelpgrepl.camel.PgReplConsumerState.State;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consumer's long-running task: connect, stream ({@link ReplicationSession}), and on a transient error
 * reconnect with exponential backoff from the last acknowledged LSN, within {@code reconnectMaxAttempts}. A
 * permanent error ends the loop (state failed, health DOWN). "Slot in use" (55006) is the standby state of a
 * second consumer: retried with backoff, never counted as an attempt that fails; so is a failover slot still being
 * synchronised to a standby that is not yet promoted (state slot_syncing). After the first session the slot must
 * exist: a missing one is a permanent error, never re-created (changes may be lost). Remembers the last error and the
 * counters of finished connections for the health check, JMX and the dev console.
 */
final class ReplicationLoop implements Runnable {

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
    private volatile State state = State.STOPPED;
    private volatile ReplicationSession session;
    private volatile Lsn acknowledged = Lsn.INVALID;
    private volatile String lastError;
    private volatile Instant lastErrorTime;
    private volatile ServerInfo serverInfo;
    private volatile SlotInfo slotInfo;
    private volatile ServerAddress server;
    /** A session streamed since the consumer started: from then on the slot must exist (never re-created). */
    private volatile boolean streamedBefore;

    ReplicationLoop(PgReplConsumer consumer) {
        this.consumer = consumer;
        this.cfg = consumer.getEndpoint().getConfiguration();
    }

    // ------------------------------------------------------------------ control, from the consumer's lifecycle

    /** The consumer started: the loop will connect once it runs. */
    void starting() {
        running = true;
        streamedBefore = false;
        state = State.CONNECTING;
    }

    /** Called before the loop is handed to its thread, so {@link #awaitEnd} waits for this run. */
    Runnable newRun() {
        done = new CountDownLatch(1);
        return this;
    }

    /** Asks the loop to stop: it drains exchanges in flight (bounded), acknowledges and closes the stream. */
    void stop() {
        running = false;
    }

    /** Waits for the loop to end; false when it did not within {@code timeout}. */
    boolean awaitEnd(Duration timeout) throws InterruptedException {
        return done.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Closes the current connection now, without a final acknowledgement. */
    void abort() {
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

    @Override
    public void run() {
        try {
            Duration delay = cfg.getReconnectDelay();
            int attempts = 0;
            while (running) {
                if (state != State.STANDBY && state != State.SLOT_SYNCING) {
                    // a standby consumer stays standby (and ready) while it retries, instead of flapping to connecting;
                    // one waiting for its slot keeps saying so
                    state = State.CONNECTING;
                }
                ReplicationSession.Outcome outcome;
                try {
                    ReplicationClient client = ReplicationClient.connect(cfg.toReplicationConfig(
                            consumer.getEndpoint().getCamelContext(), acknowledged, streamedBefore));
                    serverInfo = client.serverInfo();
                    slotInfo = client.slotInfo();
                    server = client.server();
                    streamedBefore = true;
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
                        finish(s);
                    }
                } catch (ReplicationException e) {
                    if (!running) {
                        return;
                    }
                    recordError(e);
                    boolean standby = e instanceof ServerErrorException se && se.isSlotInUse();
                    // a failover slot not yet usable on a standby waits for the promotion: not a failed attempt either
                    boolean syncing = e instanceof SlotNotReadyException;
                    if (!standby && !e.isTransient()) {
                        state = State.FAILED;
                        LOG.error("pgrepl consumer of slot '{}' stopped on a permanent error (not retried): {}",
                                cfg.getSlot(), e.getMessage(), e);
                        return;
                    }
                    if (!syncing) {
                        attempts++;
                    }
                    if (cfg.getReconnectMaxAttempts() > 0 && attempts > cfg.getReconnectMaxAttempts()) {
                        state = State.FAILED;
                        LOG.error("pgrepl consumer of slot '{}' gave up after {} reconnect attempts (reconnectMaxAttempts);"
                                  + " last error: {}", cfg.getSlot(), attempts - 1, e.getMessage(), e);
                        return;
                    }
                    state = standby ? State.STANDBY : syncing ? State.SLOT_SYNCING : State.CONNECTING;
                    if (syncing) {
                        LOG.info("{}; retrying in {}", e.getMessage(), delay);
                    } else if (standby) {
                        LOG.info("Slot '{}' is in use by another consumer; standing by, retrying in {}", cfg.getSlot(), delay);
                    } else {
                        LOG.warn("pgrepl consumer of slot '{}' lost its connection ({}); reconnecting in {} (attempt {})",
                                cfg.getSlot(), e.getMessage(), delay, attempts);
                    }
                    reconnects.incrementAndGet();
                    sleep(delay);
                    delay = nextDelay(delay);
                    continue;
                } catch (RuntimeException e) {
                    recordError(e);
                    state = State.FAILED;
                    LOG.error("pgrepl consumer of slot '{}' stopped: {}", cfg.getSlot(), e.getMessage(), e);
                    return;
                }
                switch (outcome) {
                    case STOPPING:
                        return;
                    case STOPPED_AT:
                        state = State.STOPPED;
                        LOG.info("pgrepl consumer of slot '{}' reached stopAtLsn {}; streaming ended", cfg.getSlot(),
                                cfg.getStopAtLsn());
                        return;
                    case FAILED:
                        state = State.FAILED;
                        return;
                    case REDELIVER:
                    case ENDED:
                    default:
                        reconnects.incrementAndGet();
                        state = State.CONNECTING;
                        sleep(delay);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            session = null;
            done.countDown();
        }
    }

    /** Drains the session, keeps its counters, and closes its connection. */
    private void finish(ReplicationSession s) {
        s.drain();
        ClientStats st = s.client().stats();
        eventsBefore.addAndGet(st.events());
        bytesBefore.addAndGet(st.bytes());
        stallsBefore.addAndGet(st.stalls());
        session = null;
        s.client().shutdown(cfg.getShutdownTimeout());
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

    // ------------------------------------------------------------------ what sessions report

    void recordError(Throwable e) {
        lastError = e.getMessage();
        lastErrorTime = Instant.now();
    }

    /** A session confirmed {@code lsn}: every exchange up to it completed. */
    void confirmed(Lsn lsn) {
        if (lsn.isAfter(acknowledged)) {
            acknowledged = lsn;
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

    /** The slot as the last connection found it, or null before the first. */
    SlotInfo slotInfo() {
        return slotInfo;
    }

    /** The host of the last connection, or null before the first. */
    ServerAddress server() {
        return server;
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
