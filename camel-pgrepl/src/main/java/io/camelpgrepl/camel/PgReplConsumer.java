package io.camelpgrepl.camel;

import java.time.Duration;
import java.util.concurrent.ExecutorService;

import io.camelpgrepl.client.ClientStats;
import io.camelpgrepl.client.Lsn;
import io.camelpgrepl.client.ServerInfo;
import io.camelpgrepl.client.SlotStatus;
import org.apache.camel.CamelContext;
import org.apache.camel.Processor;
import org.apache.camel.StartupListener;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams one replication slot into the route: one exchange per event, in stream order, acknowledged at
 * transaction boundaries once every exchange up to the boundary completed.
 *
 * <p>This class is the Camel side: lifecycle (start, stop, suspend, resume), health check, JMX attributes and
 * {@link #snapshot()}. The work runs in one thread from the endpoint's executor service manager:
 * {@link ReplicationLoop} connects and reconnects, {@link ReplicationSession} streams one connection, an
 * {@link ExchangeMapper} per {@link OutputFormat} makes the exchanges, {@link AckOnCompletion} records their
 * completion and the {@link FailurePolicy} decides what a failed one does.
 */
@ManagedResource(description = "PostgreSQL logical replication consumer")
public class PgReplConsumer extends DefaultConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(PgReplConsumer.class);
    /** How much longer than shutdownTimeout a stop waits for the loop before it aborts the connection. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);

    private final PgReplConfiguration cfg;
    private final ReplicationLoop loop;
    private ExecutorService executor;
    private volatile boolean running;
    /** The health check registered on its own after a permanent failure stopped the route. */
    private volatile HealthCheck failedCheck;

    public PgReplConsumer(PgReplEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.cfg = endpoint.getConfiguration();
        this.loop = new ReplicationLoop(this);
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
        if (failedCheck != null) {
            HealthCheckRegistry registry = HealthCheckRegistry.get(getEndpoint().getCamelContext());
            if (registry != null) {
                registry.unregister(failedCheck);
            }
            failedCheck = null;
        }
        PgReplConsumerHealthCheck check = new PgReplConsumerHealthCheck(this, getRouteId());
        check.setEnabled(getEndpoint().getComponent().isHealthCheckConsumerEnabled());
        setHealthCheck(check);
        running = true;
        loop.starting();
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
        executor.submit(loop.newRun());
    }

    @Override
    protected void doStop() throws Exception {
        running = false;
        // cancels a connect in progress now; a stream drains in-flight exchanges (bounded), sends the final
        // acknowledgement and closes
        loop.stop();
        Duration timeout = cfg.getShutdownTimeout();
        if (!loop.awaitEnd(timeout.plus(STOP_GRACE))) {
            LOG.warn("pgrepl consumer of slot '{}' did not stop within {}; aborting the connection", cfg.getSlot(), timeout);
            loop.abort();
            if (!loop.awaitEnd(STOP_GRACE)) {
                // the run is stale from now on: whatever it wakes from, it ends without touching the slot
                LOG.warn("pgrepl consumer of slot '{}': its loop did not end after the abort", cfg.getSlot());
            }
        }
        synchronized (this) {
            if (executor != null) {
                getEndpoint().getCamelContext().getExecutorServiceManager().shutdownNow(executor);
                executor = null;
            }
        }
        loop.stopped();
        super.doStop();
    }

    /**
     * The loop ended on an error it will not retry: stop the route, so that it no longer reports Started (route
     * status, JMX, {@code camel get route}) and shows the cause as its last error. From another thread: stopping the
     * route stops this consumer, which waits for the loop's thread.
     */
    void failed(Throwable cause) {
        String routeId = getRouteId();
        CamelContext context = getEndpoint().getCamelContext();
        if (routeId == null || !running) {
            return;
        }
        // Camel asks a stopped route's consumer nothing (its consumer check reports only "Stopped"): this check goes
        // to the registry by itself, DOWN with the error, until the route starts again.
        HealthCheckRegistry registry = HealthCheckRegistry.get(context);
        if (registry != null && getHealthCheck() != null) {
            registry.register(getHealthCheck());
            failedCheck = getHealthCheck();
        }
        Thread stopper = new Thread(() -> {
            try {
                context.getRouteController().stopRoute(routeId, cause);
            } catch (Exception e) {
                LOG.warn("Could not stop route '{}' after its pgrepl consumer failed: {}", routeId, e.getMessage());
            }
        }, "pgrepl-" + cfg.getSlot() + "-stop-route");
        stopper.setDaemon(true);
        stopper.start();
    }

    @Override
    protected void doSuspend() throws Exception {
        loop.suspend();
    }

    @Override
    protected void doResume() throws Exception {
        loop.resume();
    }

    // ------------------------------------------------------------------ observability

    /** An immutable snapshot of this consumer's state. */
    public PgReplConsumerState snapshot() {
        ReplicationSession s = loop.session();
        ClientStats st = null;
        if (s != null) {
            try {
                st = s.client().stats();
            } catch (RuntimeException e) {
                st = null;
            }
        }
        ServerInfo info = loop.serverInfo();
        Lsn ack = loop.acknowledgedLsn();
        Lsn received = st != null ? st.receivedLsn() : Lsn.INVALID;
        Lsn walEnd = st != null ? st.serverWalEnd() : Lsn.INVALID;
        long lag = ack.isValid() && walEnd.isValid() ? Math.max(0, walEnd.bytesSince(ack)) : 0;
        return new PgReplConsumerState(getRouteId(), cfg.getSlot(), cfg.getPublication(),
                cfg.getHost() + ":" + cfg.getPort(), loop.state(), received, ack, walEnd, lag,
                loop.eventsBefore() + (st != null ? st.events() : 0), loop.bytesBefore() + (st != null ? st.bytes() : 0),
                s != null ? s.inflight() : 0, loop.reconnects(),
                loop.stallsBefore() + (st != null ? st.stalls() : 0), loop.lastError(), loop.lastErrorTime(),
                info != null ? info.serverVersion() : null, info != null ? info.systemId() : null,
                st != null ? st.lastReceived() : null, loop.slotStatus(), loop.redelivery());
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
    @ManagedAttribute(description = "Replication state: connecting, snapshot, streaming, standby, suspended, stopped or failed")
    public String getReplicationState() {
        return snapshot().state().label();
    }

    @ManagedAttribute(description = "Highest WAL position received")
    public String getReceivedLsn() {
        return snapshot().receivedLsn().toString();
    }

    @ManagedAttribute(description = "Highest position acknowledged to the server")
    public String getAcknowledgedLsn() {
        return loop.acknowledgedLsn().toString();
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
        return loop.reconnects();
    }

    @ManagedAttribute(description = "Times reading paused because the route was behind")
    public long getStalls() {
        return snapshot().stalls();
    }

    @ManagedAttribute(description = "The last error, if any")
    public String getLastError() {
        return loop.lastError();
    }

    @ManagedAttribute(description = "The slot's wal_status (reserved, extended, unreserved, lost) at the last connect")
    public String getSlotWalStatus() {
        SlotStatus s = loop.slotStatus();
        return s != null ? s.walStatus() : null;
    }

    @ManagedAttribute(description = "The slot's safe_wal_size in bytes at the last connect (-1 when unlimited or unknown)")
    public long getSlotSafeWalSize() {
        SlotStatus s = loop.slotStatus();
        return s != null && s.safeWalSize() != null ? s.safeWalSize() : -1;
    }

    @ManagedAttribute(description = "Why the slot was invalidated (PostgreSQL 17+), at the last connect")
    public String getSlotInvalidationReason() {
        SlotStatus s = loop.slotStatus();
        return s != null ? s.invalidationReason() : null;
    }

    @ManagedAttribute(description = "When the slot's status was read (at connect)")
    public String getSlotStatusReadAt() {
        SlotStatus s = loop.slotStatus();
        return s != null ? s.readAt().toString() : null;
    }

    @ManagedAttribute(description = "The LSN redelivered again and again under failurePolicy=redeliver, if any")
    public String getRedeliveryLsn() {
        PgReplConsumerState.Redelivery r = loop.redelivery();
        return r != null ? r.lsn().toString() : null;
    }

    @ManagedAttribute(description = "How many times in a row that LSN failed (0 when none keeps failing)")
    public int getRedeliveryAttempts() {
        PgReplConsumerState.Redelivery r = loop.redelivery();
        return r != null ? r.attempts() : 0;
    }

    @ManagedAttribute(description = "The last error of the LSN redelivered again and again, if any")
    public String getRedeliveryLastError() {
        PgReplConsumerState.Redelivery r = loop.redelivery();
        return r != null ? r.lastError() : null;
    }
}
