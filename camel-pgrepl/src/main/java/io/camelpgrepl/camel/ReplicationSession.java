package io.camelpgrepl.camel;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.camelpgrepl.client.Lsn;
import io.camelpgrepl.client.ReplicationClient;
import io.camelpgrepl.client.ReplicationEvent;
import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * One connection's stream into the route: takes events from the client as flow control allows, hands them to the
 * output format's {@link ExchangeMapper}, tracks their completion and acknowledges what completed. How the stream
 * ended ({@link Outcome}) tells {@link ReplicationLoop} whether to reconnect.
 */
final class ReplicationSession implements ExchangeMapper.Sink {

    static final long POLL_MILLIS = 100;
    private static final Duration POLL = Duration.ofMillis(POLL_MILLIS);

    /** How a streaming session ended. */
    enum Outcome {
        /** The consumer is stopping. */
        STOPPING,
        /** The server ended the stream; reconnect. */
        ENDED,
        /** stopAtLsn was reached; the consumer is done. */
        STOPPED_AT,
        /** An exchange failed under failurePolicy=redeliver; reconnect from the last acknowledgement. */
        REDELIVER,
        /** An exchange failed under failurePolicy=stop. */
        FAILED
    }

    private final ReplicationLoop loop;
    private final PgReplConsumer consumer;
    private final PgReplConfiguration cfg;
    private final ReplicationClient client;
    private final AckTracker tracker;
    /** One per exchange in flight (maxInflight); taken before an event is polled, given back when it completes. */
    private final Semaphore permits;
    private final ExchangeMapper mapper;
    private boolean reachedStopAt;

    ReplicationSession(ReplicationLoop loop, PgReplConsumer consumer, ReplicationClient client, Lsn confirmed) {
        this.loop = loop;
        this.consumer = consumer;
        this.cfg = consumer.getEndpoint().getConfiguration();
        this.client = client;
        this.tracker = new AckTracker(confirmed);
        this.permits = new Semaphore(cfg.getMaxInflight());
        this.mapper = cfg.getOutputFormat().newMapper(cfg, client);
    }

    ReplicationClient client() {
        return client;
    }

    int inflight() {
        return tracker.inflight();
    }

    /** Whether the stream ended at stopAtLsn. */
    boolean reachedStopAt() {
        return reachedStopAt;
    }

    Outcome stream() throws InterruptedException {
        while (true) {
            client.updateAppliedLsn(confirm());
            Outcome failed = checkFailure();
            if (failed != null) {
                return failed;
            }
            if (!loop.isRunning()) {
                takeBufferedCommits();
                return Outcome.STOPPING;
            }
            if (loop.isSuspended()) {
                Thread.sleep(POLL_MILLIS);
                continue;
            }
            // Flow control: without a permit no event is taken; the client's buffer fills and reading pauses.
            if (!permits.tryAcquire(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                continue;
            }
            ReplicationEvent event;
            try {
                event = client.poll(POLL);
            } catch (RuntimeException e) {
                permits.release();
                throw e;
            }
            if (event == null) {
                permits.release();
                if (client.isEnded()) {
                    return Outcome.ENDED;
                }
                continue;
            }
            if (event instanceof ReplicationEvent.StoppedAt stopped) {
                permits.release();
                reachedStopAt = true;
                emitStopped(stopped.reached());
                return Outcome.STOPPED_AT;
            }
            boolean sent;
            try {
                sent = mapper.map(event, this);
            } catch (RuntimeException e) {
                // an event that cannot be decoded never became an exchange: its permit is given back here
                permits.release();
                Outcome outcome = undecodable(event, e);
                if (outcome != null) {
                    return outcome;
                }
                continue;
            }
            if (!sent) {
                permits.release();
            }
        }
    }

    /**
     * An event the mapper could not turn into an exchange goes through the failure policy as a failed exchange
     * would: redeliver (restart from the last acknowledgement, backing off), stop, or skip (see
     * {@link FailurePolicy#SKIP}). Returns how the stream ends, or null to go on.
     */
    private Outcome undecodable(ReplicationEvent event, RuntimeException e) {
        Lsn lsn = event instanceof ReplicationEvent.WalMessage w ? w.walStart() : Lsn.INVALID;
        String type = event instanceof ReplicationEvent.WalMessage w ? w.frame().typeName() : event.getClass()
                .getSimpleName();
        FailurePolicy policy = cfg.getFailurePolicy();
        if (policy == FailurePolicy.SKIP) {
            policy.skipUndecodable(type, lsn, e, cfg.getSlot());
            if (event instanceof ReplicationEvent.WalMessage w && w.frame().endsTransaction()) {
                tracker.commit(w.frame().ackLsn());
            }
            return null;
        }
        loop.recordError(e);
        return stopsAfter(new AckTracker.Failure(-1, lsn, e), "could not decode " + type) ? Outcome.FAILED
                : Outcome.REDELIVER;
    }

    /**
     * On a graceful stop, the Commit events already buffered behind the last delivered rows are still taken: they
     * create no exchange, but they mark where those rows' transaction ends, so the final acknowledgement covers it.
     * The first event that would create an exchange ends this (it is not delivered, and comes again next time).
     */
    private void takeBufferedCommits() {
        try {
            ReplicationEvent next;
            while ((next = client.poll(Duration.ZERO)) instanceof ReplicationEvent.Commit
                   && !mapper.sendsExchangeFor(next)) {
                mapper.map(next, this);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // the stream failed meanwhile: the final acknowledgement covers what was marked so far
        }
        client.updateAppliedLsn(confirm());
    }

    /** Waits (bounded) for exchanges in flight unless one failed, then sends the final acknowledgement. */
    void drain() {
        try {
            if (tracker.failure() == null) {
                permits.tryAcquire(cfg.getMaxInflight(), cfg.getShutdownTimeout().toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        client.updateAppliedLsn(confirm());
    }

    private Lsn confirm() {
        Lsn c = tracker.confirmedLsn();
        loop.confirmed(c);
        return c;
    }

    private Outcome checkFailure() {
        AckTracker.Failure f = tracker.failure();
        if (f == null) {
            return null;
        }
        loop.recordError(f.cause() != null ? f.cause() : new IllegalStateException("exchange failed"));
        return stopsAfter(f, "failed") ? Outcome.FAILED : Outcome.REDELIVER;
    }

    private boolean stopsAfter(AckTracker.Failure f, String what) {
        return loop.stopsAfter(f, what, loop.acknowledgedLsn());
    }

    @Override
    public Exchange newExchange() {
        return consumer.createExchange(false);
    }

    @Override
    public void send(Exchange exchange, Lsn lsn) {
        AckTracker.Ticket ticket = tracker.register();
        exchange.getExchangeExtension().addOnCompletion(new AckOnCompletion(tracker, permits, ticket, lsn,
                cfg.getFailurePolicy(), cfg.getSlot()));
        consumer.getAsyncProcessor().process(exchange, doneSync -> consumer.releaseExchange(exchange, false));
    }

    @Override
    public void endOfTransaction(Lsn ackLsn) {
        tracker.commit(ackLsn);
    }

    private void emitStopped(Lsn reached) throws InterruptedException {
        // Let everything before the bound finish first, so the STOPPED exchange really comes last.
        permits.tryAcquire(cfg.getMaxInflight(), cfg.getShutdownTimeout().toMillis(), TimeUnit.MILLISECONDS);
        permits.release(cfg.getMaxInflight());
        Exchange exchange = consumer.createExchange(false);
        Message in = exchange.getMessage();
        in.setHeader(PgReplConstants.MESSAGE_TYPE, PgReplConstants.STOPPED);
        in.setHeader(PgReplConstants.LSN, reached);
        in.setHeader(PgReplConstants.STOPPED_AT, reached);
        in.setHeader(PgReplConstants.SLOT, cfg.getSlot());
        try {
            consumer.getProcessor().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
        if (exchange.getException() != null) {
            consumer.getExceptionHandler().handleException("Error processing the STOPPED exchange", exchange,
                    exchange.getException());
        }
        consumer.releaseExchange(exchange, false);
    }
}
