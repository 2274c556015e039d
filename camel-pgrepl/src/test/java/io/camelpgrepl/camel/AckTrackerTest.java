package io.camelpgrepl.camel;

import java.util.ArrayList;
import java.util.List;

import io.camelpgrepl.client.Lsn;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class AckTrackerTest {

    private static final Lsn START = Lsn.parse("0/100");

    @Test
    void confirmedLsnStaysAtStartUntilATransactionCompletes() {
        AckTracker t = new AckTracker(START);
        AckTracker.Ticket a = t.register();
        t.commit(Lsn.parse("0/200"));

        assertThat(t.confirmedLsn()).as("nothing completed yet").isEqualTo(START);
        t.complete(a);
        assertThat(t.confirmedLsn()).as("the only event completed").isEqualTo(Lsn.parse("0/200"));
    }

    @Test
    void laterTransactionCompletingFirstDoesNotAdvancePastAnEarlierIncompleteOne() {
        AckTracker t = new AckTracker(START);
        AckTracker.Ticket first = t.register();
        t.commit(Lsn.parse("0/200"));
        AckTracker.Ticket second = t.register();
        t.commit(Lsn.parse("0/300"));

        t.complete(second);
        assertThat(t.confirmedLsn()).as("first transaction still in flight").isEqualTo(START);
        t.complete(first);
        assertThat(t.confirmedLsn()).as("both transactions done").isEqualTo(Lsn.parse("0/300"));
    }

    @Test
    void aTransactionIsConfirmedOnlyWhenAllItsEventsComplete() {
        AckTracker t = new AckTracker(START);
        AckTracker.Ticket a = t.register();
        AckTracker.Ticket b = t.register();
        AckTracker.Ticket c = t.register();
        t.commit(Lsn.parse("0/400"));

        t.complete(c);
        t.complete(a);
        assertThat(t.confirmedLsn()).as("event b is still in flight").isEqualTo(START);
        t.complete(b);
        assertThat(t.confirmedLsn()).isEqualTo(Lsn.parse("0/400"));
    }

    @Test
    void aTransactionWithoutDispatchedEventsIsConfirmedWhenEarlierEventsComplete() {
        AckTracker t = new AckTracker(START);
        AckTracker.Ticket a = t.register();
        t.commit(Lsn.parse("0/200"));
        t.commit(Lsn.parse("0/250")); // e.g. a transaction touching no published table

        assertThat(t.confirmedLsn()).isEqualTo(START);
        t.complete(a);
        assertThat(t.confirmedLsn()).isEqualTo(Lsn.parse("0/250"));
    }

    @Test
    void aFailedEventBlocksConfirmationAndIsReported() {
        AckTracker t = new AckTracker(START);
        AckTracker.Ticket a = t.register();
        t.commit(Lsn.parse("0/200"));
        AckTracker.Ticket b = t.register();
        t.commit(Lsn.parse("0/300"));
        t.complete(a);
        RuntimeException boom = new RuntimeException("boom");

        t.fail(b, Lsn.parse("0/280"), boom);

        assertThat(t.confirmedLsn()).as("stops before the failed transaction").isEqualTo(Lsn.parse("0/200"));
        assertThat(t.failure()).isNotNull();
        assertThat(t.failure().sequence()).isEqualTo(b.sequence());
        assertThat(t.failure().cause()).isSameAs(boom);
        assertThat(t.inflight()).as("the failed event is never completed").isEqualTo(1);
    }

    @Test
    void confirmedLsnIsMonotonicAndCompletionIsIdempotent() {
        AckTracker t = new AckTracker(START);
        AckTracker.Ticket a = t.register();
        t.commit(Lsn.parse("0/200"));
        t.complete(a);
        t.complete(a);

        assertThat(t.confirmedLsn()).isEqualTo(Lsn.parse("0/200"));
        assertThat(t.confirmedLsn()).isEqualTo(Lsn.parse("0/200"));
        assertThat(t.lastConfirmedLsn()).isEqualTo(Lsn.parse("0/200"));
    }

    @Test
    void concurrentCompletionsEndAtTheLastCommit() throws Exception {
        AckTracker t = new AckTracker(START);
        List<AckTracker.Ticket> seqs = new ArrayList<>();
        long lsn = 0x1000;
        for (int tx = 0; tx < 2000; tx++) {
            for (int e = 0; e < 3; e++) {
                seqs.add(t.register());
            }
            lsn += 0x10;
            t.commit(Lsn.of(lsn));
        }
        List<Thread> threads = new ArrayList<>();
        for (int k = 0; k < 4; k++) {
            int offset = k;
            Thread th = new Thread(() -> {
                for (int i = offset; i < seqs.size(); i += 4) {
                    t.complete(seqs.get(i));
                    if (i % 97 == 0) {
                        t.confirmedLsn();
                    }
                }
            });
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) {
            th.join();
        }
        assertThat(t.confirmedLsn()).isEqualTo(Lsn.of(lsn));
        assertThat(t.inflight()).isZero();
    }
}
