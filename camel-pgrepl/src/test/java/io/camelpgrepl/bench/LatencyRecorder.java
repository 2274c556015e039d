package io.camelpgrepl.bench;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Commit-to-arrival latencies in microseconds, each with the second (since the first commit seen) its transaction
 * committed in. The summary leaves the first {@code warmupSeconds} out; the timeline shows every second, so that a
 * tail can be placed: warm-up (JIT, first GCs), one stall, or spread over the run.
 */
final class LatencyRecorder {

    private final long warmupMicros;
    private long[] micros = new long[1 << 16];
    private int[] seconds = new int[1 << 16];
    private int count;
    private Instant firstCommit;

    LatencyRecorder(long warmupSeconds) {
        this.warmupMicros = warmupSeconds * 1_000_000;
    }

    /** Records {@code now - commitTime}. */
    void record(Instant commitTime, Instant now) {
        record(commitTime, ChronoUnit.MICROS.between(commitTime, now));
    }

    synchronized void record(Instant commitTime, long latencyMicros) {
        if (firstCommit == null) {
            firstCommit = commitTime;
        }
        if (count == micros.length) {
            micros = Arrays.copyOf(micros, count * 2);
            seconds = Arrays.copyOf(seconds, count * 2);
        }
        seconds[count] = (int) (ChronoUnit.MICROS.between(firstCommit, commitTime) / 1_000_000);
        micros[count++] = latencyMicros;
    }

    /** {@code count p50 p90 p99 p99.9 max} in microseconds, the warm-up left out. */
    synchronized String summary() {
        long[] v = new long[count];
        int n = 0;
        for (int i = 0; i < count; i++) {
            if (seconds[i] * 1_000_000L >= warmupMicros) {
                v[n++] = micros[i];
            }
        }
        v = Arrays.copyOf(v, n);
        Arrays.sort(v);
        return n + " " + at(v, 0.50) + " " + at(v, 0.90) + " " + at(v, 0.99) + " " + at(v, 0.999) + " "
                + (n == 0 ? 0 : v[n - 1]);
    }

    /** Per second of commit time: {@code p99/max} in milliseconds, warm-up seconds included (marked {@code w}). */
    synchronized String timeline() {
        int last = 0;
        for (int i = 0; i < count; i++) {
            last = Math.max(last, seconds[i]);
        }
        List<List<Long>> bySecond = new ArrayList<>();
        for (int s = 0; s <= last; s++) {
            bySecond.add(new ArrayList<>());
        }
        for (int i = 0; i < count; i++) {
            bySecond.get(seconds[i]).add(micros[i]);
        }
        StringBuilder b = new StringBuilder();
        for (int s = 0; s <= last; s++) {
            long[] v = bySecond.get(s).stream().mapToLong(Long::longValue).sorted().toArray();
            b.append(String.format(Locale.ROOT, "%s%d:%.1f/%.1f ", s * 1_000_000L < warmupMicros ? "w" : "", s,
                    at(v, 0.99) / 1e3, (v.length == 0 ? 0 : v[v.length - 1]) / 1e3));
        }
        return b.toString().trim();
    }

    private static long at(long[] sorted, double q) {
        return sorted.length == 0 ? 0 : sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)];
    }
}
