package io.camelpgrepl.bench;

import java.util.List;

/**
 * What a drain worker process prints as its last line on stdout, for the benchmark to read: events and bytes it
 * drained, how long the drain took by its own clock (from connect, or from route start), the CPU time the process
 * used meanwhile (all threads, JIT and GC included), its peak heap use and its largest heap use after a collection.
 */
record WorkerReport(long events, long bytes, long drainNanos, long drainCpuNanos, long peakHeapBytes,
                    long heapAfterGcBytes) {

    String toLine() {
        return events + " " + bytes + " " + drainNanos + " " + drainCpuNanos + " " + peakHeapBytes + " "
                + heapAfterGcBytes;
    }

    /** CPU time this process has used so far (all threads). */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** Parses the last line of a worker's output. */
    static WorkerReport parse(List<String> stdout) {
        if (stdout.isEmpty()) {
            throw new IllegalStateException("the worker printed nothing");
        }
        String[] f = stdout.get(stdout.size() - 1).trim().split(" ");
        return new WorkerReport(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]),
                Long.parseLong(f[4]), Long.parseLong(f[5]));
    }

    double drainSeconds() {
        return drainNanos / 1e9;
    }

    double drainCpuSeconds() {
        return drainCpuNanos / 1e9;
    }
}
