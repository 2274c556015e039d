package io.camelpgrepl.camel;

import java.time.Duration;

import io.camelpgrepl.client.Lsn;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What each failure policy does with a failed exchange, and what the stream does next. */
class FailurePolicyTest {

    private static final Lsn ROW = Lsn.of(0x100);
    private static final Lsn COMMIT = Lsn.of(0x180);
    private static final RuntimeException BOOM = new IllegalStateException("boom");

    /** A one-row transaction whose row failed under {@code policy}. */
    private static AckTracker failedTransaction(FailurePolicy policy) {
        AckTracker tracker = new AckTracker(Lsn.INVALID);
        AckTracker.Ticket row = tracker.register();
        tracker.commit(COMMIT);
        policy.onFailedExchange(tracker, row, ROW, BOOM, "slot");
        return tracker;
    }

    @Test
    void skipAcknowledgesTheFailedExchangeAsIfItCompleted() {
        AckTracker tracker = failedTransaction(FailurePolicy.SKIP);

        assertThat(tracker.failure()).as("no failure is held").isNull();
        assertThat(tracker.confirmedLsn()).isEqualTo(COMMIT);
    }

    @Test
    void redeliverAndStopHoldTheAcknowledgementAtTheFailedExchange() {
        for (FailurePolicy policy : new FailurePolicy[] { FailurePolicy.REDELIVER, FailurePolicy.STOP }) {
            AckTracker tracker = failedTransaction(policy);

            assertThat(tracker.failure()).as("%s records the failure", policy).isNotNull();
            assertThat(tracker.failure().lsn()).isEqualTo(ROW);
            assertThat(tracker.confirmedLsn()).as("%s never acknowledges the failed transaction", policy)
                    .isEqualTo(Lsn.INVALID);
        }
    }

    @Test
    void onlyStopEndsTheConsumerAfterAFailure() {
        AckTracker.Failure failure = failedTransaction(FailurePolicy.REDELIVER).failure();

        assertThat(FailurePolicy.STOP.stopsAfter(failure, "failed", "slot", Lsn.INVALID, null)).isTrue();
        assertThat(FailurePolicy.REDELIVER.stopsAfter(failure, "failed", "slot", Lsn.INVALID,
                new PgReplConsumerState.Redelivery(ROW, 1, "boom", Duration.ofSeconds(1)))).isFalse();
    }

    @Test
    void parsesTheOptionSpellingsInAnyCase() {
        assertThat(FailurePolicy.parse("Skip")).isEqualTo(FailurePolicy.SKIP);
        assertThat(OutputFormat.parse("RAW")).isEqualTo(OutputFormat.RAW);
        assertThat(FailurePolicy.REDELIVER).hasToString("redeliver");
    }
}
