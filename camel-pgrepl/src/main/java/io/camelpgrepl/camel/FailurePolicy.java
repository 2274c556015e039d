package io.camelpgrepl.camel;

import io.camelpgrepl.client.Lsn;
import io.camelpgrepl.client.OptionValues;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a failed exchange does (option {@code failurePolicy}). A failed exchange is one that ended with an exception
 * no error handler handled; it is never acknowledged unless the policy is {@link #SKIP}.
 */
public enum FailurePolicy {
    /** Hold the acknowledgement at the failed exchange and restart from the last acknowledged LSN (at-least-once). */
    REDELIVER,
    /** Hold the acknowledgement at the failed exchange and stop the consumer (health DOWN). */
    STOP,
    /** Acknowledge the failed exchange as if it completed, and log the loss. */
    SKIP;

    // the consumer's logger: these lines are part of what the consumer reports
    private static final Logger LOG = LoggerFactory.getLogger(PgReplConsumer.class);

    /** Parses {@code redeliver}, {@code stop} or {@code skip}, case-insensitively. */
    public static FailurePolicy parse(String text) {
        return OptionValues.parse(FailurePolicy.class, "failurePolicy", text, FailurePolicy::toString);
    }

    /** The option's spelling, e.g. {@code redeliver}. */
    @Override
    public String toString() {
        return OptionValues.lowerDashed(this);
    }

    /** The completion callback's part: records a failed exchange with the tracker. */
    void onFailedExchange(AckTracker tracker, AckTracker.Ticket ticket, Lsn lsn, Throwable cause, String slot) {
        if (this == SKIP) {
            LOG.warn("Exchange at LSN {} of slot '{}' failed ({}); failurePolicy=skip: acknowledged anyway, this change"
                     + " is lost", lsn, slot, cause == null ? "failed" : cause.getMessage());
            tracker.complete(ticket);
        } else {
            tracker.fail(ticket, lsn, cause);
        }
    }

    /**
     * The stream's part, once the tracker holds a failure (never under {@link #SKIP}, which completes instead), or
     * once an event could not be decoded: whether the consumer stops for good ({@link #STOP}) or restarts from the
     * last acknowledged LSN after {@code redelivery}'s delay.
     *
     * @param what       {@code failed}, or what went wrong with an event that never became an exchange
     * @param redelivery under redeliver, the attempt this is and the delay before it; null under stop
     * @return true when the consumer must stop
     */
    boolean stopsAfter(AckTracker.Failure failure, String what, String slot, Lsn acknowledged,
                       PgReplConsumerState.Redelivery redelivery) {
        String why = failure.cause() == null ? "failed" : failure.cause().getMessage();
        if (this == STOP) {
            LOG.error("Exchange at LSN {} of slot '{}' {} ({}); failurePolicy=stop: the consumer stops, acknowledged"
                      + " up to {}", failure.lsn(), slot, what, why, acknowledged);
            return true;
        }
        LOG.warn("Exchange at LSN {} of slot '{}' {} ({}); failurePolicy=redeliver: restarting from {} after {} (attempt"
                 + " {} at this LSN)", failure.lsn(), slot, what, why, acknowledged, redelivery.nextDelay(),
                redelivery.attempts());
        return false;
    }

    /**
     * Under {@link #SKIP}, a message that could not be decoded is dropped: it becomes no exchange, the rest of its
     * transaction is still delivered, and acknowledgement goes on as if it had been delivered (past a Commit that
     * could not be decoded too, at the end LSN the client's framing read). Logged as the loss it is.
     */
    void skipUndecodable(String type, Lsn lsn, RuntimeException cause, String slot) {
        LOG.warn("pgoutput {} message at LSN {} of slot '{}' could not be decoded ({}); failurePolicy=skip: dropped,"
                 + " this change is lost", type, lsn, slot, cause.getMessage());
    }
}
