package io.camelpgrepl.bench;

import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.camelpgrepl.camel.PgReplConsumer;
import io.camelpgrepl.client.Lsn;
import io.camelpgrepl.pgoutput.RowChange;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * One drain through Camel routes, in its own JVM: per slot of {@code slots}, {@code from("pgrepl:slot?...")
 * .process(counter)} with the default {@code outputFormat=change} (decoded {@link RowChange} bodies) and normal
 * acknowledgement (the consumer acknowledges each transaction once its exchanges completed). The clock starts when
 * the routes are started (the context is already up) and stops when the counter has seen {@code rows} row changes per
 * route; then the worker waits, off the clock, until every consumer has acknowledged the target LSN, stops the context
 * (which sends the final acknowledgement) and prints a {@link WorkerReport} whose events are the row changes counted.
 * It prints {@link ProcessMeter#FIRST_EVENT} on stderr at the first row, and with {@code heapEvery=n} the heap after
 * a full collection and the RSS every n rows (on the route's thread: the stream waits meanwhile). The context is a
 * plain {@link DefaultCamelContext} with Camel's defaults: stream caching on, and JMX on when camel-management is on
 * the class path (it is on the test class path).
 *
 * <p>Arguments ({@link WorkerArgs}): {@code host port database user slots publication target sslMode rows
 * uriOptions} (appended to the endpoint URI, e.g. {@code maxInflight=64}) {@code [heapEvery]}.
 */
public final class CamelDrainWorker {

    private CamelDrainWorker() {
    }

    /** Counts row-change bodies; opens the latch at the expected count. */
    static final class RowCounter implements Processor {
        private final long expected;
        private final long heapEvery;
        private final AtomicLong rows = new AtomicLong();
        private final CountDownLatch done = new CountDownLatch(1);
        private volatile long doneNanos;
        private volatile long doneCpuNanos;

        RowCounter(long expected, long heapEvery) {
            this.expected = expected;
            this.heapEvery = heapEvery;
        }

        @Override
        public void process(Exchange exchange) {
            if (!(exchange.getMessage().getBody() instanceof RowChange)) {
                return;
            }
            long n = rows.incrementAndGet();
            if (n == 1) {
                DrainWorker.firstEvent();
            }
            if (heapEvery > 0 && n % heapEvery == 0) {
                System.gc();
                System.err.printf(java.util.Locale.ROOT, "camel drain: %,d rows: heap after GC %.1f MB, RSS %s%n", n,
                        java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / 1e6,
                        rss());
            }
            if (n == expected) {
                doneNanos = System.nanoTime();
                doneCpuNanos = WorkerReport.processCpuNanos();
                done.countDown();
            }
        }
    }

    static String rss() {
        try {
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return String.format(java.util.Locale.ROOT, "%.1f MB",
                            Long.parseLong(line.replaceAll("[^0-9]", "")) / 1e3);
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            // not Linux
        }
        return "?";
    }

    /** CPU seconds per live thread (the busiest first), for a quick look at where the drain's CPU went. */
    static String threadCpu() {
        var mx = java.lang.management.ManagementFactory.getThreadMXBean();
        java.util.Map<String, Double> byName = new java.util.TreeMap<>();
        for (long id : mx.getAllThreadIds()) {
            var info = mx.getThreadInfo(id);
            long ns = mx.getThreadCpuTime(id);
            if (info != null && ns > 50_000_000L) {
                byName.merge(info.getThreadName(), ns / 1e9, Double::sum);
            }
        }
        StringBuilder b = new StringBuilder();
        byName.entrySet().stream().sorted(java.util.Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(e -> b.append(String.format(java.util.Locale.ROOT, "%s=%.2f ", e.getKey(), e.getValue())));
        return b.toString().trim();
    }

    /** Read and write system calls and context switches of this process so far (Linux /proc; empty elsewhere). */
    static String syscalls() {
        try {
            long voluntary = 0;
            long involuntary = 0;
            try (var tasks = java.nio.file.Files.list(java.nio.file.Path.of("/proc/self/task"))) {
                for (var t : tasks.toList()) {
                    for (String line : java.nio.file.Files.readAllLines(t.resolve("status"))) {
                        if (line.startsWith("voluntary_ctxt_switches:")) {
                            voluntary += Long.parseLong(line.replaceAll("[^0-9]", ""));
                        } else if (line.startsWith("nonvoluntary_ctxt_switches:")) {
                            involuntary += Long.parseLong(line.replaceAll("[^0-9]", ""));
                        }
                    }
                }
            }
            StringBuilder b = new StringBuilder();
            for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc/self/io"))) {
                if (line.startsWith("syscr:") || line.startsWith("syscw:")) {
                    b.append(line.replace(" ", "")).append(' ');
                }
            }
            return b + "ctxt switches voluntary=" + voluntary + " involuntary=" + involuntary + " (live threads)";
        } catch (java.io.IOException | RuntimeException e) {
            return "";
        }
    }

    /** The endpoint URI for {@code slot}, with the worker's connection arguments and {@code uriOptions} appended. */
    static String uri(WorkerArgs args, String slot) {
        String uriOptions = args.get("uriOptions", "");
        return "pgrepl:" + slot + "?host=" + args.get("host") + "&port=" + args.get("port") + "&database="
                + args.get("database") + "&user=" + args.get("user") + "&publication=" + args.get("publication")
                + "&sslMode=" + args.get("sslMode") + (uriOptions.isBlank() ? "" : "&" + uriOptions);
    }

    public static void main(String[] argv) throws Exception {
        WorkerArgs args = new WorkerArgs(argv);
        List<String> slots = args.list("slots");
        Lsn target = Lsn.parse(args.get("target"));
        long expected = args.getLong("rows", 0) * slots.size();
        RowCounter counter = new RowCounter(expected, args.getLong("heapEvery", 0));
        try (HeapMeter heap = HeapMeter.start(); CamelContext context = new DefaultCamelContext()) {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    for (String slot : slots) {
                        from(uri(args, slot)).routeId(slot).autoStartup(false).process(counter);
                    }
                }
            });
            context.start();
            long start = System.nanoTime();
            long cpu = WorkerReport.processCpuNanos();
            for (String slot : slots) {
                context.getRouteController().startRoute(slot);
            }
            if (!counter.done.await(10, TimeUnit.MINUTES)) {
                throw new IllegalStateException("only " + counter.rows.get() + " of " + expected + " rows arrived");
            }
            long nanos = counter.doneNanos - start;
            cpu = counter.doneCpuNanos - cpu;
            long bytes = 0;
            long ackDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            for (String slot : slots) {
                PgReplConsumer consumer = (PgReplConsumer) context.getRoute(slot).getConsumer();
                bytes += consumer.snapshot().bytes();
                while (Lsn.parse(consumer.getAcknowledgedLsn()).compareTo(target) < 0
                        && System.nanoTime() < ackDeadline) {
                    Thread.sleep(5);
                }
            }
            long ackNanos = System.nanoTime() - counter.doneNanos;
            System.err.printf("camel drain: %d rows in %.3f s (%.3f CPU s), acknowledged %.0f ms after the last row%n",
                    counter.rows.get(), nanos / 1e9, cpu / 1e9, ackNanos / 1e6);
            System.err.println("camel drain: thread CPU s " + threadCpu() + "; " + syscalls());
            long peak = heap.peakUsed();
            context.stop();
            System.out.println(new WorkerReport(counter.rows.get(), bytes, nanos, cpu, peak, heap.peakAfterGc()).toLine());
        }
    }
}
