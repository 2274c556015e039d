package io.camelpgrepl.camel;

import java.util.concurrent.Semaphore;

import io.camelpgrepl.client.Lsn;
import org.apache.camel.Exchange;
import org.apache.camel.spi.Synchronization;

/**
 * The work that happens when one exchange completes: record it with the connection's {@link AckTracker} (which
 * alone decides what may be acknowledged) and give back its flow-control permit. It holds the tracker's ticket
 * and the event's LSN, never the exchange. An exchange an error handler handled completes; one that failed goes
 * to the {@link FailurePolicy}.
 */
final class AckOnCompletion implements Synchronization {

    private final AckTracker tracker;
    private final Semaphore permits;
    private final AckTracker.Ticket ticket;
    private final Lsn lsn;
    private final FailurePolicy failurePolicy;
    private final String slot;

    AckOnCompletion(AckTracker tracker, Semaphore permits, AckTracker.Ticket ticket, Lsn lsn,
                    FailurePolicy failurePolicy, String slot) {
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
        failurePolicy.onFailedExchange(tracker, ticket, lsn, exchange.getException(), slot);
        permits.release();
    }
}
