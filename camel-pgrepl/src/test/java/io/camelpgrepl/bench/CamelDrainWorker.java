package io.camelpgrepl.bench;

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
 * One drain through a Camel route, in its own JVM: {@code from("pgrepl:slot?...").process(counter)} with the
 * default {@code outputFormat=change} (decoded {@link RowChange} bodies) and normal acknowledgement (the consumer
 * acknowledges each transaction once its exchanges completed). The clock starts when the route is started (the
 * context is already up) and stops when the counter has seen {@code rows} row changes; then the worker waits,
 * off the clock, until the consumer has acknowledged the target LSN, stops the context (which sends the final
 * acknowledgement) and prints a {@link WorkerReport} whose events are the row changes counted. The context is a plain
 * {@link DefaultCamelContext} with Camel's defaults: stream caching on, and JMX on when camel-management is on the
 * class path (it is on the test class path).
 *
 * <p>Usage: {@code CamelDrainWorker host port database user slot publication targetLsn rows [uriOptions]}, where
 * {@code uriOptions} (e.g. {@code maxInflight=64}) are appended to the endpoint URI.
 */
public final class CamelDrainWorker {

    private static final String ROUTE = "drain";

    private CamelDrainWorker() {
    }

    /** Counts row-change bodies; opens the latch at the expected count. */
    static final class RowCounter implements Processor {
        private final long expected;
        private final AtomicLong rows = new AtomicLong();
        private final CountDownLatch done = new CountDownLatch(1);
        private volatile long doneNanos;
        private volatile long doneCpuNanos;

        RowCounter(long expected) {
            this.expected = expected;
        }

        @Override
        public void process(Exchange exchange) {
            if (exchange.getMessage().getBody() instanceof RowChange && rows.incrementAndGet() == expected) {
                doneNanos = System.nanoTime();
                doneCpuNanos = WorkerReport.processCpuNanos();
                done.countDown();
            }
        }
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

    public static void main(String[] args) throws Exception {
        String slot = args[4];
        Lsn target = Lsn.parse(args[6]);
        long expected = Long.parseLong(args[7]);
        String uri = "pgrepl:" + slot + "?host=" + args[0] + "&port=" + args[1] + "&database=" + args[2] + "&user="
                + args[3] + "&publication=" + args[5] + "&sslMode=disable"
                + (args.length > 8 && !args[8].isBlank() ? "&" + args[8] : "");
        RowCounter counter = new RowCounter(expected);
        try (HeapMeter heap = HeapMeter.start(); CamelContext context = new DefaultCamelContext()) {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(uri).routeId(ROUTE).autoStartup(false).process(counter);
                }
            });
            context.start();
            long start = System.nanoTime();
            long cpu = WorkerReport.processCpuNanos();
            context.getRouteController().startRoute(ROUTE);
            if (!counter.done.await(10, TimeUnit.MINUTES)) {
                throw new IllegalStateException("only " + counter.rows.get() + " of " + expected + " rows arrived");
            }
            long nanos = counter.doneNanos - start;
            cpu = counter.doneCpuNanos - cpu;
            PgReplConsumer consumer = (PgReplConsumer) context.getRoute(ROUTE).getConsumer();
            long bytes = consumer.snapshot().bytes();
            long ackDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (Lsn.parse(consumer.getAcknowledgedLsn()).compareTo(target) < 0 && System.nanoTime() < ackDeadline) {
                Thread.sleep(5);
            }
            long ackNanos = System.nanoTime() - counter.doneNanos;
            System.err.printf("camel drain: %d rows in %.3f s (%.3f CPU s), acknowledged %s %.0f ms after the last row%n",
                    counter.rows.get(), nanos / 1e9, cpu / 1e9, consumer.getAcknowledgedLsn(), ackNanos / 1e6);
            System.err.println("camel drain: thread CPU s " + threadCpu() + "; " + syscalls());
            long peak = heap.peakUsed();
            context.stop();
            System.out.println(new WorkerReport(counter.rows.get(), bytes, nanos, cpu, peak, heap.peakAfterGc()).toLine());
        }
    }
}
