package io.camelpgrepl.camel;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import io.camelpgrepl.client.Lsn;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import static org.assertj.core.api.Assertions.assertThat;

class AckTrackerProperties {

    /**
     * Transactions of random sizes (0 events = nothing dispatched), completed in a random order: the confirmed LSN
     * never passes a transaction with an incomplete event or an incomplete predecessor, and ends at the last commit.
     */
    @Property(tries = 300)
    void randomCompletionOrderNeverConfirmsPastAnIncompleteTransaction(
            @ForAll @Size(min = 1, max = 30) List<@IntRange(min = 0, max = 5) Integer> txSizes,
            @ForAll long shuffleSeed) {
        AckTracker t = new AckTracker(Lsn.parse("0/10"));
        record Event(AckTracker.Ticket ticket, int tx) {
        }
        List<Event> events = new ArrayList<>();
        List<Lsn> commitLsns = new ArrayList<>();
        for (int tx = 0; tx < txSizes.size(); tx++) {
            for (int e = 0; e < txSizes.get(tx); e++) {
                events.add(new Event(t.register(), tx));
            }
            Lsn commit = Lsn.of(0x1000L + 0x100L * tx);
            commitLsns.add(commit);
            t.commit(commit);
        }
        int[] remaining = new int[txSizes.size()];
        for (int tx = 0; tx < txSizes.size(); tx++) {
            remaining[tx] = txSizes.get(tx);
        }
        Collections.shuffle(events, new Random(shuffleSeed));
        Lsn previous = t.confirmedLsn();
        assertSafe(previous, remaining, commitLsns);
        for (Event ev : events) {
            t.complete(ev.ticket());
            remaining[ev.tx()]--;
            Lsn confirmed = t.confirmedLsn();
            assertThat(confirmed).as("monotonic").isGreaterThanOrEqualTo(previous);
            assertSafe(confirmed, remaining, commitLsns);
            previous = confirmed;
        }
        assertThat(t.confirmedLsn()).as("everything completed: confirmed at the last commit")
                .isEqualTo(commitLsns.get(commitLsns.size() - 1));
    }

    /** The confirmed LSN must be below the commit of the first transaction with an incomplete event. */
    private static void assertSafe(Lsn confirmed, int[] remaining, List<Lsn> commits) {
        for (int tx = 0; tx < remaining.length; tx++) {
            if (remaining[tx] > 0) {
                assertThat(confirmed).as("confirmed %s must stay before incomplete transaction %d (commit %s)",
                        confirmed, tx, commits.get(tx)).isLessThan(commits.get(tx));
                return;
            }
        }
    }
}
