package io.camelpgrepl.camel;

import java.time.Duration;

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
     * The stream's part, once the tracker holds a failure (never under {@link #SKIP}, which completes instead):
     * whether the consumer stops for good ({@link #STOP}) or restarts from the last acknowledged LSN.
     *
     * @return true when the consumer must stop
     */
    boolean stopsAfter(AckTracker.Failure failure, String slot, Lsn acknowledged, Duration reconnectDelay) {
        String why = failure.cause() == null ? "failed" : failure.cause().getMessage();
        if (this == STOP) {
            LOG.error("Exchange at LSN {} of slot '{}' failed ({}); failurePolicy=stop: the consumer stops, acknowledged"
                      + " up to {}", failure.lsn(), slot, why, acknowledged);
            return true;
        }
        LOG.warn("Exchange at LSN {} of slot '{}' failed ({}); failurePolicy=redeliver: restarting from {} after {}",
                failure.lsn(), slot, why, acknowledged, reconnectDelay);
        return false;
    }
}
