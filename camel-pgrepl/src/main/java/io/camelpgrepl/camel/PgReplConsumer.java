package io.camelpgrepl.camel;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.camelpgrepl.client.ClientStats;
import io.camelpgrepl.client.Lsn;
import io.camelpgrepl.client.ReplicationClient;
import io.camelpgrepl.client.ReplicationEvent;
import io.camelpgrepl.client.ReplicationException;
import io.camelpgrepl.client.ServerErrorException;
import io.camelpgrepl.client.ServerInfo;
import io.camelpgrepl.camel.PgReplConsumerState.State;
import io.camelpgrepl.pgoutput.ChangeEvent;
import io.camelpgrepl.pgoutput.ChangeStream;
import io.camelpgrepl.pgoutput.RowChange;
import io.camelpgrepl.pgoutput.TxInfo;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;
import org.apache.camel.StartupListener;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.spi.Synchronization;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams one replication slot into the route: one exchange per event, in stream order, acknowledged at
 * transaction boundaries once every exchange up to the boundary completed.
 *
 * <p>The loop runs in one thread from the endpoint's executor service manager: connect, stream, and on a
 * transient error reconnect with exponential backoff from the last acknowledged LSN. A permanent error ends the
 * loop (state failed, health DOWN). "Slot in use" (55006) is the standby state of a second consumer: retried with
 * backoff.
 */
@ManagedResource(description = "PostgreSQL logical replication consumer")
public class PgReplConsumer extends DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(PgReplConsumer.class);
    private static final long POLL_MILLIS = 100;
    private static final Duration POLL = Duration.ofMillis(POLL_MILLIS);

    private final PgReplConfiguration cfg;
    /** Whether the stream can carry rows of undecided (streamed or prepared) transactions, whose outcome must follow. */
    private final boolean outcomeEvents;
    private final AtomicLong reconnects = new AtomicLong();
    private final AtomicLong eventsBefore = new AtomicLong();
    private final AtomicLong bytesBefore = new AtomicLong();
    private final AtomicLong stallsBefore = new AtomicLong();

    private ExecutorService executor;
    private volatile CountDownLatch loopDone = new CountDownLatch(0);
    private volatile boolean running;
    private volatile boolean suspended;
    private volatile State state = State.STOPPED;
    private volatile Session session;
    private volatile Lsn lastConfirmed = Lsn.INVALID;
    private volatile String lastError;
    private volatile Instant lastErrorTime;
    private volatile ServerInfo serverInfo;

    /** One connection's state: the client, its tracker and its flow-control permits. */
    private static final class Session {
        final ReplicationClient client;
        final AckTracker tracker;
        final Semaphore permits;
        final PgOutputPeek peek = new PgOutputPeek();
        final ChangeStream changes;
        Integer xid;
        Lsn commitLsn;
        Instant commitTime;

        Session(ReplicationClient client, AckTracker tracker, int maxInflight) {
            this.client = client;
            this.tracker = tracker;
            this.permits = new Semaphore(maxInflight);
            this.changes = new ChangeStream(client.serverInfo().protoVersion(), client.config().streaming());
        }
    }

    /** How a streaming session ended. */
    private enum Outcome {
        STOPPING, ENDED, STOPPED_AT, REDELIVER, FAILED
    }

    public PgReplConsumer(PgReplEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.cfg = endpoint.getConfiguration();
        this.outcomeEvents = cfg.isIncludeTransactionEvents() || cfg.isTwoPhase()
                             || !"off".equalsIgnoreCase(cfg.getStreaming());
    }

    @Override
    public PgReplEndpoint getEndpoint() {
        return (PgReplEndpoint) super.getEndpoint();
    }

    // ------------------------------------------------------------------ lifecycle

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        // The consumers health-check repository picks this up from every route's consumer.
        PgReplConsumerHealthCheck check = new PgReplConsumerHealthCheck(this, getRouteId());
        check.setEnabled(getEndpoint().getComponent().isHealthCheckConsumerEnabled());
        setHealthCheck(check);
        running = true;
        state = State.CONNECTING;
        CamelContext context = getEndpoint().getCamelContext();
        if (context.isStarted()) {
            startLoop();
        } else {
            // Events must not flow into routes that are not started yet.
            context.addStartupListener(new DeferredStart());
        }
    }

    private final class DeferredStart implements StartupListener {
        @Override
        public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
            // Called once the context started; the route may have been stopped meanwhile.
        }

        @Override
        public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
            if (running && executor == null) {
                startLoop();
            }
        }
    }

    private synchronized void startLoop() {
        if (executor != null) {
            return;
        }
        executor = getEndpoint().getCamelContext().getExecutorServiceManager()
                .newSingleThreadExecutor(this, "pgrepl-" + cfg.getSlot());
        loopDone = new CountDownLatch(1);
        executor.submit(this::runLoop);
    }

    @Override
    protected void doStop() throws Exception {
        running = false;
        Duration timeout = cfg.getShutdownTimeout();
        // The loop drains in-flight exchanges (bounded), sends the final acknowledgement and closes the stream.
        if (!loopDone.await(timeout.toMillis() + 5000, TimeUnit.MILLISECONDS)) {
            LOG.warn("pgrepl consumer of slot '{}' did not stop within {}; aborting the connection", cfg.getSlot(), timeout);
            Session s = session;
            if (s != null) {
                s.client.abort();
            }
        }
        synchronized (this) {
            if (executor != null) {
                getEndpoint().getCamelContext().getExecutorServiceManager().shutdownNow(executor);
                executor = null;
            }
        }
        if (state != State.FAILED) {
            state = State.STOPPED;
        }
        super.doStop();
    }

    @Override
    protected void doSuspend() throws Exception {
        suspended = true;
        Session s = session;
        if (s != null) {
            s.client.pauseReading();
        }
    }

    @Override
    protected void doResume() throws Exception {
        suspended = false;
        Session s = session;
        if (s != null) {
            s.client.resumeReading();
        }
    }

    // ------------------------------------------------------------------ the loop

    private void runLoop() {
        try {
            Duration delay = cfg.getReconnectDelay();
            int attempts = 0;
            while (running) {
                if (state != State.STANDBY) {
                    // a standby consumer stays standby (and ready) while it retries, instead of flapping to connecting
                    state = State.CONNECTING;
                }
                Outcome outcome;
                try {
                    ReplicationClient client = ReplicationClient.connect(
                            cfg.toReplicationConfig(getEndpoint().getCamelContext(), lastConfirmed));
                    serverInfo = client.serverInfo();
                    Session s = new Session(client, new AckTracker(lastConfirmed), cfg.getMaxInflight());
                    session = s;
                    if (suspended) {
                        client.pauseReading();
                    }
                    state = suspended ? State.SUSPENDED : State.STREAMING;
                    attempts = 0;
                    delay = cfg.getReconnectDelay();
                    try {
                        outcome = stream(s);
                    } finally {
                        finish(s);
                    }
                } catch (ReplicationException e) {
                    if (!running) {
                        return;
                    }
                    recordError(e);
                    boolean standby = e instanceof ServerErrorException se && se.isSlotInUse();
                    if (!standby && !e.isTransient()) {
                        state = State.FAILED;
                        LOG.error("pgrepl consumer of slot '{}' stopped on a permanent error (not retried): {}",
                                cfg.getSlot(), e.getMessage(), e);
                        return;
                    }
                    attempts++;
                    if (cfg.getReconnectMaxAttempts() > 0 && attempts > cfg.getReconnectMaxAttempts()) {
                        state = State.FAILED;
                        LOG.error("pgrepl consumer of slot '{}' gave up after {} reconnect attempts (reconnectMaxAttempts);"
                                  + " last error: {}", cfg.getSlot(), attempts - 1, e.getMessage(), e);
                        return;
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
            loopDone.countDown();
        }
    }

    private Duration nextDelay(Duration delay) {
        Duration doubled = delay.multipliedBy(2);
        return doubled.compareTo(cfg.getReconnectMaxDelay()) > 0 ? cfg.getReconnectMaxDelay() : doubled;
    }

    private void sleep(Duration d) throws InterruptedException {
        long end = System.nanoTime() + d.toNanos();
        while (running && System.nanoTime() < end) {
            Thread.sleep(Math.min(POLL_MILLIS, Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime()))));
        }
    }

    private void recordError(Throwable e) {
        lastError = e.getMessage();
        lastErrorTime = Instant.now();
    }

    private Outcome stream(Session s) throws InterruptedException {
        ReplicationClient client = s.client;
        while (true) {
            client.updateAppliedLsn(confirm(s));
            Outcome failed = checkFailure(s);
            if (failed != null) {
                return failed;
            }
            if (!running) {
                return Outcome.STOPPING;
            }
            if (suspended) {
                Thread.sleep(POLL_MILLIS);
                continue;
            }
            // Flow control: without a permit no event is taken; the client's buffer fills and reading pauses.
            if (!s.permits.tryAcquire(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                continue;
            }
            ReplicationEvent event;
            try {
                event = client.poll(POLL);
            } catch (RuntimeException e) {
                s.permits.release();
                throw e;
            }
            if (event == null) {
                s.permits.release();
                if (client.isEnded()) {
                    return Outcome.ENDED;
                }
                continue;
            }
            if (event instanceof ReplicationEvent.StoppedAt stopped) {
                s.permits.release();
                emitStopped(s, stopped.reached());
                return Outcome.STOPPED_AT;
            }
            if (!dispatch(s, event)) {
                s.permits.release();
            }
        }
    }

    private Lsn confirm(Session s) {
        Lsn c = s.tracker.confirmedLsn();
        if (c.isAfter(lastConfirmed)) {
            lastConfirmed = c;
        }
        return c;
    }

    private Outcome checkFailure(Session s) {
        AckTracker.Failure f = s.tracker.failure();
        if (f == null) {
            return null;
        }
        String why = f.cause() == null ? "failed" : f.cause().getMessage();
        recordError(f.cause() != null ? f.cause() : new IllegalStateException("exchange failed"));
        if ("stop".equalsIgnoreCase(cfg.getFailurePolicy())) {
            LOG.error("Exchange at LSN {} of slot '{}' failed ({}); failurePolicy=stop: the consumer stops, acknowledged"
                      + " up to {}", f.lsn(), cfg.getSlot(), why, lastConfirmed);
            return Outcome.FAILED;
        }
        LOG.warn("Exchange at LSN {} of slot '{}' failed ({}); failurePolicy=redeliver: restarting from {} after {}",
                f.lsn(), cfg.getSlot(), why, lastConfirmed, cfg.getReconnectDelay());
        return Outcome.REDELIVER;
    }

    /** Waits (bounded) for in-flight exchanges, sends the final acknowledgement, ends the stream. */
    private void finish(Session s) {
        try {
            if (s.tracker.failure() == null) {
                s.permits.tryAcquire(cfg.getMaxInflight(), cfg.getShutdownTimeout().toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        s.client.updateAppliedLsn(confirm(s));
        ClientStats st = s.client.stats();
        eventsBefore.addAndGet(st.events());
        bytesBefore.addAndGet(st.bytes());
        stallsBefore.addAndGet(st.stalls());
        session = null;
        s.client.shutdown(cfg.getShutdownTimeout());
    }

    // ------------------------------------------------------------------ dispatch

    /** Sends one event to the route when it is one; returns false when nothing was dispatched. */
    private boolean dispatch(Session s, ReplicationEvent event) {
        if (!(event instanceof ReplicationEvent.WalMessage wal)) {
            return false;
        }
        if (!cfg.isRawOutput()) {
            return dispatchChange(s, wal);
        }
        return dispatchRaw(s, event);
    }

    /**
     * outputFormat=change: decoded row changes, Begin/Commit with includeTransactionEvents, and the outcome of every
     * streamed or prepared transaction whenever the stream can carry them: their rows reach the route before the
     * server knows whether they commit, so the route must hear of a commit or an abort.
     */
    private boolean dispatchChange(Session s, ReplicationEvent.WalMessage wal) {
        ChangeEvent ev = s.changes.accept(wal);
        boolean txEvents = cfg.isIncludeTransactionEvents();
        boolean sent = false;
        if (ev instanceof RowChange rc) {
            sendChange(s, ev, rc.operation().name(), rc, rc.schema(), rc.table(), rc.xid());
            sent = true;
        } else if (ev instanceof ChangeEvent.TruncateChange tc) {
            String schema = tc.relations().isEmpty() ? null : tc.relations().get(0).schema();
            String table = tc.relations().isEmpty() ? null : tc.relations().get(0).table();
            sendChange(s, ev, "TRUNCATE", tc, schema, table, tc.xid());
            sent = true;
        } else if (ev instanceof ChangeEvent.LogicalMessage m) {
            sendChange(s, ev, "MESSAGE", m, null, null, m.xid());
            sent = true;
        } else if (ev instanceof ChangeEvent.RelationChange r && cfg.isIncludeRelationEvents()) {
            sendChange(s, ev, "RELATION", r.relation(), r.relation().schema(), r.relation().table(), 0);
            sent = true;
        } else if (txEvents && (ev instanceof ChangeEvent.TransactionBegin || ev instanceof ChangeEvent.PrepareBegin
                || ev instanceof ChangeEvent.TransactionCommit)
                || outcomeEvents && isOutcome(ev)) {
            sendChange(s, ev, PgOutputPeek.typeName(wal.messageType()), ev, null, null,
                    ev.tx() != null ? ev.tx().xid() : 0);
            sent = true;
        }
        if (ev.ackLsn().isValid()) {
            s.tracker.commit(ev.ackLsn());
        }
        return sent;
    }

    /** Whether {@code ev} decides a streamed or prepared transaction whose rows the route may already have seen. */
    private static boolean isOutcome(ChangeEvent ev) {
        return ev instanceof ChangeEvent.TransactionCommit c && c.tx().kind() == TxInfo.Kind.STREAMED
               || ev instanceof ChangeEvent.StreamAborted || ev instanceof ChangeEvent.TransactionPrepared
               || ev instanceof ChangeEvent.PreparedCommitted || ev instanceof ChangeEvent.PreparedRolledBack;
    }

    private void sendChange(Session s, ChangeEvent ev, String type, Object body, String schema, String table, int xid) {
        Exchange exchange = createExchange(false);
        Lsn lsn = ev.ackLsn().isValid() ? ev.ackLsn() : ev.lsn();
        TxInfo tx = ev.tx();
        boolean hasXid = xid != 0 || tx != null;
        String operation = body instanceof RowChange || body instanceof ChangeEvent.TruncateChange ? type : null;
        // rows of a streamed or prepared transaction arrive before it commits (or aborts)
        Boolean uncommitted = operation == null && !(body instanceof ChangeEvent.LogicalMessage) ? null
                : tx != null && tx.kind() != TxInfo.Kind.REGULAR;
        exchange.setIn(new PgReplMessage(exchange, body, lsn, type, cfg.getSlot(),
                tx != null && tx.commitLsn().isValid() ? tx.commitLsn() : null, tx != null ? tx.commitTime() : null,
                hasXid, xid != 0 ? xid : hasXid ? tx.xid() : 0, operation, schema, table, uncommitted));
        process(s, exchange, lsn);
    }

    /** outputFormat=raw: every pgoutput message as its bytes, one exchange each. */
    private boolean dispatchRaw(Session s, ReplicationEvent event) {
        if (event instanceof ReplicationEvent.Begin b) {
            s.xid = b.xid();
            s.commitLsn = b.finalLsn();
            s.commitTime = b.commitTime();
            send(s, b, "BEGIN", bytes(b.data()), null);
            return true;
        }
        if (event instanceof ReplicationEvent.Commit c) {
            send(s, c, "COMMIT", bytes(c.data()), null);
            s.tracker.commit(c.endLsn());
            s.xid = null;
            s.commitLsn = null;
            s.commitTime = null;
            return true;
        }
        if (event instanceof ReplicationEvent.WalMessage w) {
            ByteBuffer data = w.data();
            if (!data.hasRemaining()) {
                return false;
            }
            byte type = data.get(0);
            s.peek.observe(data);
            send(s, w, PgOutputPeek.typeName(type), bytes(data), s.peek.relationOf(data));
            Lsn end = PgOutputPeek.transactionEndLsn(data);
            if (end != null) {
                s.tracker.commit(end);
            }
            return true;
        }
        return false;
    }

    private void send(Session s, ReplicationEvent.WalMessage wal, String type, Object body, PgOutputPeek.Relation rel) {
        Exchange exchange = createExchange(false);
        Lsn lsn = wal instanceof ReplicationEvent.Commit c ? c.endLsn() : wal.walStart();
        Lsn commitLsn = null;
        Instant commitTime = null;
        if (wal instanceof ReplicationEvent.Commit c) {
            commitLsn = c.commitLsn();
            commitTime = c.commitTime();
        } else if (s.commitLsn != null) {
            commitLsn = s.commitLsn;
            commitTime = s.commitTime;
        }
        Integer xid = s.xid != null ? s.xid : s.peek.xidOf(wal.data());
        exchange.setIn(new PgReplMessage(exchange, body, lsn, type, cfg.getSlot(), commitLsn, commitTime, xid != null,
                xid != null ? xid : 0, PgOutputPeek.isRowChange(wal.data().get(0)) ? type : null,
                rel != null ? rel.schema() : null, rel != null ? rel.table() : null, null));
        process(s, exchange, lsn);
    }

    private void process(Session s, Exchange exchange, Lsn lsn) {
        AckTracker.Ticket ticket = s.tracker.register();
        exchange.getExchangeExtension().addOnCompletion(new AckOnCompletion(s.tracker, s.permits, ticket, lsn,
                cfg.getFailurePolicy(), cfg.getSlot()));
        getAsyncProcessor().process(exchange, doneSync -> releaseExchange(exchange, false));
    }

    private void emitStopped(Session s, Lsn reached) throws InterruptedException {
        // Let everything before the bound finish first, so the STOPPED exchange really comes last.
        s.permits.tryAcquire(cfg.getMaxInflight(), cfg.getShutdownTimeout().toMillis(), TimeUnit.MILLISECONDS);
        s.permits.release(cfg.getMaxInflight());
        Exchange exchange = createExchange(false);
        Message in = exchange.getMessage();
        in.setHeader(PgReplConstants.MESSAGE_TYPE, PgReplConstants.STOPPED);
        in.setHeader(PgReplConstants.LSN, reached);
        in.setHeader(PgReplConstants.STOPPED_AT, reached);
        in.setHeader(PgReplConstants.SLOT, cfg.getSlot());
        try {
            getProcessor().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
        if (exchange.getException() != null) {
            getExceptionHandler().handleException("Error processing the STOPPED exchange", exchange, exchange.getException());
        }
        releaseExchange(exchange, false);
    }

    private static byte[] bytes(ByteBuffer data) {
        ByteBuffer d = data.duplicate();
        d.position(0);
        byte[] b = new byte[d.remaining()];
        d.get(b);
        return b;
    }

    /** Records completion for the ack tracker; holds the tracker's ticket and the LSN, never the exchange. */
    static final class AckOnCompletion implements Synchronization {
        private final AckTracker tracker;
        private final Semaphore permits;
        private final AckTracker.Ticket ticket;
        private final Lsn lsn;
        private final String failurePolicy;
        private final String slot;

        AckOnCompletion(AckTracker tracker, Semaphore permits, AckTracker.Ticket ticket, Lsn lsn, String failurePolicy,
                        String slot) {
            this.tracker = tracker;
            this.permits = permits;
            this.ticket = ticket;
            this.lsn = lsn;
            this.failurePolicy = failurePolicy;
            this.slot = slot;
        }

        @Override
        public void onComplete(Exchange exchange) {
            tracker.complete(ticket);
            permits.release();
        }

        @Override
        public void onFailure(Exchange exchange) {
            Throwable cause = exchange.getException();
            if ("skip".equalsIgnoreCase(failurePolicy)) {
                LOG.warn("Exchange at LSN {} of slot '{}' failed ({}); failurePolicy=skip: acknowledged anyway, this change"
                         + " is lost", lsn, slot, cause == null ? "failed" : cause.getMessage());
                tracker.complete(ticket);
            } else {
                tracker.fail(ticket, lsn, cause);
            }
            permits.release();
        }
    }

    // ------------------------------------------------------------------ observability

    /** An immutable snapshot of this consumer's state. */
    public PgReplConsumerState snapshot() {
        Session s = session;
        ClientStats st = null;
        if (s != null) {
            try {
                st = s.client.stats();
            } catch (RuntimeException e) {
                st = null;
            }
        }
        ServerInfo info = serverInfo;
        Lsn ack = lastConfirmed;
        Lsn received = st != null ? st.receivedLsn() : Lsn.INVALID;
        Lsn walEnd = st != null ? st.serverWalEnd() : Lsn.INVALID;
        long lag = ack.isValid() && walEnd.isValid() ? Math.max(0, walEnd.bytesSince(ack)) : 0;
        State current = state == State.STREAMING && suspended ? State.SUSPENDED : state;
        return new PgReplConsumerState(getRouteId(), cfg.getSlot(), cfg.getPublication(),
                cfg.getHost() + ":" + cfg.getPort(), current, received, ack, walEnd, lag,
                eventsBefore.get() + (st != null ? st.events() : 0), bytesBefore.get() + (st != null ? st.bytes() : 0),
                s != null ? s.tracker.inflight() : 0, reconnects.get(),
                stallsBefore.get() + (st != null ? st.stalls() : 0), lastError, lastErrorTime,
                info != null ? info.serverVersion() : null, info != null ? info.systemId() : null,
                st != null ? st.lastReceived() : null);
    }

    @ManagedAttribute(description = "Replication slot")
    public String getSlot() {
        return cfg.getSlot();
    }

    @ManagedAttribute(description = "Publication(s)")
    public String getPublication() {
        return cfg.getPublication();
    }

    // not "State": Camel's managed consumer already has that attribute (the service state) and it would win
    @ManagedAttribute(description = "Replication state: connecting, streaming, standby, suspended, stopped or failed")
    public String getReplicationState() {
        return snapshot().state().label();
    }

    @ManagedAttribute(description = "Highest WAL position received")
    public String getReceivedLsn() {
        return snapshot().receivedLsn().toString();
    }

    @ManagedAttribute(description = "Highest position acknowledged to the server")
    public String getAcknowledgedLsn() {
        return lastConfirmed.toString();
    }

    @ManagedAttribute(description = "The server's end of WAL as last reported")
    public String getServerWalEnd() {
        return snapshot().serverWalEnd().toString();
    }

    @ManagedAttribute(description = "Bytes between the server's end of WAL and the acknowledged position")
    public long getLagBytes() {
        return snapshot().lagBytes();
    }

    @ManagedAttribute(description = "Events received")
    public long getEvents() {
        return snapshot().events();
    }

    @ManagedAttribute(description = "Bytes received")
    public long getBytes() {
        return snapshot().bytes();
    }

    @ManagedAttribute(description = "Exchanges in flight")
    public int getInflight() {
        return snapshot().inflight();
    }

    @ManagedAttribute(description = "Reconnect attempts")
    public long getReconnects() {
        return reconnects.get();
    }

    @ManagedAttribute(description = "Times reading paused because the route was behind")
    public long getStalls() {
        return snapshot().stalls();
    }

    @ManagedAttribute(description = "The last error, if any")
    public String getLastError() {
        return lastError;
    }
}
