package io.camelpgrepl.bench;

import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.camelpgrepl.camel.PgReplConsumer;
import io.camelpgrepl.client.ReplicationClient;
import io.camelpgrepl.client.ReplicationEvent;
import io.camelpgrepl.pgoutput.RowChange;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;

/**
 * Commit-to-exchange latency, in its own JVM: streams slot {@code slots} (one) with our raw client or a
 * {@code pgrepl:} route and, for every inserted row, takes the time from its transaction's commit timestamp (the
 * server's clock, same host) to the moment the row reached the loop or the route's processor. Prints {@code READY}
 * on stderr once streaming, stops at the row with id -1 (the benchmark's sentinel), skips rows committed in the first
 * {@code warmupSeconds} after the first commit it saw, and prints {@code count p50 p90 p99 p999 max} (microseconds)
 * on stdout, the raw client before that also the same for commit-to-sent (the walsender's send time in each
 * XLogData: the server's share of the latency) headed {@link #SENT}; the per-second timelines go to stderr.
 *
 * <p>Arguments ({@link WorkerArgs}): {@code host port database user slots publication sslMode client=ours|camel
 * warmupSeconds uriOptions [context]} ({@code context} as for {@link CamelDrainWorker}).
 */
public final class LatencyWorker {

    static final String READY = "READY";
    static final long SENTINEL = -1;
    /** Heads the raw client's line of commit-to-sent latencies (the walsender's send time in XLogData). */
    static final String SENT = "sent ";

    private LatencyWorker() {
    }

    public static void main(String[] argv) throws Exception {
        WorkerArgs args = new WorkerArgs(argv);
        long warmup = args.getLong("warmupSeconds", 2);
        LatencyRecorder recorder = new LatencyRecorder(warmup);
        LatencyRecorder sent = new LatencyRecorder(warmup);
        String slot = args.list("slots").get(0);
        if ("ours".equals(args.get("client"))) {
            raw(args, slot, recorder, sent);
            System.err.println("latency timeline ours/send, by second of commit (p99/max ms): " + sent.timeline());
            System.out.println(SENT + sent.summary());
        } else {
            route(args, slot, recorder);
        }
        System.err.println("latency timeline " + args.get("client") + ", by second of commit (p99/max ms): "
                + recorder.timeline());
        System.out.println(recorder.summary());
    }

    private static void raw(WorkerArgs args, String slot, LatencyRecorder recorder, LatencyRecorder sent)
            throws InterruptedException {
        try (ReplicationClient client = ReplicationClient.connect(DrainWorker.config(args, slot))) {
            System.err.println(READY);
            Instant commitTime = null;
            while (true) {
                ReplicationEvent e = client.recv();
                if (e == null) {
                    throw new IllegalStateException("the stream ended before the sentinel row");
                }
                if (e instanceof ReplicationEvent.Begin b) {
                    commitTime = b.commitTime();
                } else if (e instanceof ReplicationEvent.Commit c) {
                    client.updateAppliedLsn(c.endLsn());
                } else if (e instanceof ReplicationEvent.XLogData x && x.messageType() == 'I') {
                    Instant now = Instant.now();
                    if (isSentinel(x)) {
                        printThreadCpu("ours");
                        return;
                    }
                    recorder.record(commitTime, now);
                    sent.record(commitTime, x.serverTime());
                }
            }
        }
    }

    /** Where the worker's CPU went, by thread (while they still live), and its system calls and context switches. */
    private static void printThreadCpu(String client) {
        System.err.println("latency " + client + ": thread CPU s " + CamelDrainWorker.threadCpu() + "; "
                + CamelDrainWorker.syscalls());
    }

    /**
     * Whether a pgoutput Insert carries id -1 in its first column: 'I', relation id (4), 'N', column count (2), then
     * the first column as 't', length (4), text.
     */
    private static boolean isSentinel(ReplicationEvent.XLogData x) {
        var d = x.data();
        return d.remaining() >= 15 && d.get(8) == 't' && d.getInt(9) == 2 && d.get(13) == '-' && d.get(14) == '1';
    }

    private static void route(WorkerArgs args, String slot, LatencyRecorder recorder) throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        try (CamelContext context = CamelDrainWorker.context(args.get("context", ""))) {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(CamelDrainWorker.uri(args, slot)).routeId(slot).process(exchange -> {
                                Instant now = Instant.now();
                                if (exchange.getMessage().getBody() instanceof RowChange r) {
                                    if (((Number) r.after().get("id")).longValue() == SENTINEL) {
                                        done.countDown();
                                    } else {
                                        recorder.record(r.tx().commitTime(), now);
                                    }
                                }
                            });
                }
            });
            context.start();
            PgReplConsumer consumer = (PgReplConsumer) context.getRoute(slot).getConsumer();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!"streaming".equals(consumer.getReplicationState()) && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            System.err.println(READY);
            if (!done.await(10, TimeUnit.MINUTES)) {
                throw new IllegalStateException("the sentinel row never arrived");
            }
            printThreadCpu("camel");
        }
    }
}
