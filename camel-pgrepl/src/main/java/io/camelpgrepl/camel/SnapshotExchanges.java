package io.camelpgrepl.camel;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import java.util.Map;

import io.camelpgrepl.client.Lsn;
import io.camelpgrepl.client.ServerInfo;
import io.camelpgrepl.client.SnapshotListener;
import io.camelpgrepl.client.SnapshotRow;
import io.camelpgrepl.client.SnapshotTable;
import io.camelpgrepl.pgoutput.DebeziumEnvelope;
import io.camelpgrepl.pgoutput.Row;
import io.camelpgrepl.pgoutput.RowChange;
import io.camelpgrepl.pgoutput.SnapshotRows;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The initial snapshot ({@code snapshotMode}) into the route: each row a READ exchange whose body is a
 * {@link RowChange} like a streamed row's (with {@code outputFormat=debezium}, its envelope with {@code op} {@code r}
 * and {@code source.snapshot} {@code "true"}, {@code "last"} on the last row), with the key headers of a streamed
 * row and event ids {@code <consistent point>:r<n>} ({@link EventIds#ofSnapshotRow}), under the same flow control
 * (maxInflight) and failure policy as streamed events. One row is held back until the next arrives (or the snapshot
 * ends), so that the last one can be marked. {@link #end()} returns only once every READ exchange has completed: that is what lets the client make the
 * slot permanent and start streaming, so the slot never moves past the snapshot before the route has handled it.
 * When the consumer stops or an exchange fails, it throws {@link SnapshotAbandoned}; the client then closes the
 * connection and the snapshot's temporary slot goes with it, so the next start reads the snapshot again.
 */
final class SnapshotExchanges implements SnapshotListener {

    // the consumer's logger: these lines are part of what the consumer reports
    private static final Logger LOG = LoggerFactory.getLogger(PgReplConsumer.class);

    private final ReplicationLoop loop;
    private final PgReplConsumer consumer;
    private final PgReplConfiguration cfg;
    /** All READ rows form one segment, acknowledged at the consistent point. */
    private final AckTracker tracker = new AckTracker(Lsn.INVALID);
    private final Semaphore permits;
    private Lsn consistentPoint;
    /** {@code source.db} of the Debezium envelope; null unless outputFormat=debezium. */
    private String debeziumDatabase;
    private SnapshotRows rows;
    private RowKeys keys;
    /** The row held back, and how many rows were sent before it. */
    private RowChange pending;
    private long sent;

    SnapshotExchanges(ReplicationLoop loop, PgReplConsumer consumer) {
        this.loop = loop;
        this.consumer = consumer;
        this.cfg = consumer.getEndpoint().getConfiguration();
        this.permits = new Semaphore(cfg.getMaxInflight());
    }

    @Override
    public void begin(Lsn point, ServerInfo server) {
        consistentPoint = point;
        debeziumDatabase = cfg.getOutputFormat() == OutputFormat.DEBEZIUM ? server.database() : null;
        loop.snapshotStarted();
    }

    @Override
    public void table(SnapshotTable table) {
        rows = new SnapshotRows(table, consistentPoint);
        keys = new RowKeys(table.primaryKey().isEmpty() ? Map.of() : Map.of(table.relationId(), table.primaryKey()));
    }

    @Override
    public void row(SnapshotRow row) {
        // decoded now: the row's bytes are valid only during this call
        RowChange change = rows.decode(row);
        if (pending != null) {
            send(pending, false);
        }
        pending = change;
    }

    private void send(RowChange change, boolean last) {
        awaitPermit();
        Row key = keys.key(change);
        Object body = debeziumDatabase == null ? change
                : DebeziumEnvelope.ofSnapshotRow(change, last, cfg.getSlot(), debeziumDatabase, System.currentTimeMillis());
        Exchange exchange = consumer.createExchange(false);
        exchange.setIn(new PgReplMessage(exchange, body, consistentPoint, PgReplConstants.READ, cfg.getSlot(),
                consistentPoint, null, false, 0, PgReplConstants.READ, change.schema(), change.table(), false,
                new PgReplMessage.Identity(EventIds.ofSnapshotRow(consistentPoint, sent++), key, null)));
        AckTracker.Ticket ticket = tracker.register();
        exchange.getExchangeExtension().addOnCompletion(new AckOnCompletion(tracker, permits, ticket, consistentPoint,
                cfg.getFailurePolicy(), cfg.getSlot()));
        consumer.getAsyncProcessor().process(exchange, doneSync -> consumer.releaseExchange(exchange, false));
    }

    @Override
    public void end() {
        if (pending != null) {
            send(pending, true);
            pending = null;
        }
        tracker.commit(consistentPoint);
        int all = cfg.getMaxInflight();
        // every permit back: every READ exchange completed
        while (!acquire(all, ReplicationSession.POLL_MILLIS)) {
            checkGoOn();
        }
        permits.release(all);
        checkGoOn();
        LOG.info("Initial snapshot of slot '{}' handled by the route; streaming from its consistent point {}",
                cfg.getSlot(), consistentPoint);
    }

    private void awaitPermit() {
        checkGoOn();
        while (!acquire(1, ReplicationSession.POLL_MILLIS)) {
            checkGoOn();
        }
    }

    /** Throws {@link SnapshotAbandoned} when an exchange failed or the consumer stops; waits while suspended. */
    private void checkGoOn() {
        try {
            while (loop.isSuspended() && loop.isRunning() && tracker.failure() == null) {
                Thread.sleep(ReplicationSession.POLL_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SnapshotAbandoned(ReplicationSession.Outcome.STOPPING);
        }
        AckTracker.Failure failure = tracker.failure();
        if (failure != null) {
            loop.recordError(failure.cause() != null ? failure.cause() : new IllegalStateException("exchange failed"));
            // nothing of the snapshot is acknowledged: a redelivery takes it again
            boolean stop = loop.stopsAfter(failure, "failed during the initial snapshot", Lsn.INVALID);
            throw new SnapshotAbandoned(stop ? ReplicationSession.Outcome.FAILED : ReplicationSession.Outcome.REDELIVER);
        }
        if (!loop.isRunning()) {
            // a graceful stop lets the READ exchanges in flight finish; nothing is acknowledged either way
            if (acquire(cfg.getMaxInflight(), cfg.getShutdownTimeout().toMillis())) {
                permits.release(cfg.getMaxInflight());
            }
            throw new SnapshotAbandoned(ReplicationSession.Outcome.STOPPING);
        }
    }

    private boolean acquire(int n, long millis) {
        try {
            return permits.tryAcquire(n, millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SnapshotAbandoned(ReplicationSession.Outcome.STOPPING);
        }
    }
}
