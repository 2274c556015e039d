package io.camelpgrepl.camel;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import io.camelpgrepl.client.Lsn;
import io.camelpgrepl.testing.PostgresServer;

/**
 * Reads a slot's {@code confirmed_flush_lsn} from {@code pg_replication_slots} about every millisecond, on a thread
 * of its own, and checks the samples against when transactions completed.
 *
 * <p>Each sample is stamped with {@link System#nanoTime()} <em>after</em> the query returned, so the server's
 * value was read before the stamp. Completion stamps passed to {@link #passedIncomplete} must be taken by the route
 * itself (its last step), that is before the exchange's completion callbacks acknowledge anything. A consumer that
 * acknowledges correctly therefore always shows completion stamp &lt; sample stamp; a sample that covers a
 * transaction stamped later (or never) caught the slot passing an incomplete transaction.
 */
final class ConfirmedFlushSampler implements AutoCloseable {

    /** One reading: the stamp taken after the query returned, and the value read. */
    record Sample(long readNanos, Lsn confirmed) {
    }

    private final List<Sample> samples = new ArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Thread thread;
    private volatile boolean running = true;

    private ConfirmedFlushSampler(PostgresServer server, String slot) {
        thread = new Thread(() -> sample(server, slot), "confirmed-flush-sampler-" + slot);
        thread.setDaemon(true);
        thread.start();
    }

    static ConfirmedFlushSampler start(PostgresServer server, String slot) {
        return new ConfirmedFlushSampler(server, slot);
    }

    private void sample(PostgresServer server, String slot) {
        try (Connection c = server.connect("postgres");
             PreparedStatement q = c.prepareStatement(
                     "SELECT coalesce(confirmed_flush_lsn::text, '0/0') FROM pg_replication_slots WHERE slot_name = ?")) {
            q.setString(1, slot);
            while (running) {
                String text;
                try (ResultSet rows = q.executeQuery()) {
                    text = rows.next() ? rows.getString(1) : "0/0";
                }
                long stamp = System.nanoTime();
                synchronized (samples) {
                    samples.add(new Sample(stamp, Lsn.parse(text)));
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
        } catch (Throwable e) {
            failure.set(e);
        }
    }

    /** Stops sampling; the samples in the order taken. Fails when sampling failed. */
    List<Sample> stop() throws InterruptedException {
        running = false;
        thread.join(10_000);
        if (failure.get() != null) {
            throw new AssertionError("sampling confirmed_flush_lsn failed: " + failure.get(), failure.get());
        }
        synchronized (samples) {
            return List.copyOf(samples);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.join(10_000);
    }

    /** How many times the sampled value changed: the check is only meaningful when the slot moved while sampled. */
    static long advances(List<Sample> samples) {
        long n = 0;
        for (int i = 1; i < samples.size(); i++) {
            if (samples.get(i).confirmed().isAfter(samples.get(i - 1).confirmed())) {
                n++;
            }
        }
        return n;
    }

    /**
     * Samples that show the slot at or past the end LSN of a transaction that had not completed when the value was
     * read, described for an assertion message (empty = none).
     *
     * @param completedNanosByEndLsn each transaction's acknowledgement LSN (its commit end LSN) mapped to the stamp
     *                               of its last exchange's completion; {@link Long#MAX_VALUE} when it never completed
     */
    static List<String> passedIncomplete(List<Sample> samples, NavigableMap<Lsn, Long> completedNanosByEndLsn) {
        // latestCompletion[k] = the latest completion among the k+1 transactions with the smallest end LSNs:
        // a sample covering them all is only correct when it was read after that.
        List<Map.Entry<Lsn, Long>> txs = new ArrayList<>(completedNanosByEndLsn.entrySet());
        long[] latestCompletion = new long[txs.size()];
        long latest = Long.MIN_VALUE;
        for (int i = 0; i < txs.size(); i++) {
            latest = Math.max(latest, txs.get(i).getValue());
            latestCompletion[i] = latest;
        }
        List<String> violations = new ArrayList<>();
        for (Sample s : samples) {
            int covered = completedNanosByEndLsn.headMap(s.confirmed(), true).size();
            if (covered == 0 || latestCompletion[covered - 1] < s.readNanos()) {
                continue;
            }
            Map.Entry<Lsn, Long> culprit = txs.get(0);
            for (int i = 0; i < covered; i++) {
                if (txs.get(i).getValue() >= s.readNanos()) {
                    culprit = txs.get(i);
                    break;
                }
            }
            violations.add("confirmed_flush_lsn " + s.confirmed() + " read at " + s.readNanos() + " covers the transaction"
                           + " ending at " + culprit.getKey() + ", " + (culprit.getValue() == Long.MAX_VALUE
                                   ? "which never completed" : "completed only at " + culprit.getValue()));
            if (violations.size() == 10) {
                break;
            }
        }
        return violations;
    }
}
