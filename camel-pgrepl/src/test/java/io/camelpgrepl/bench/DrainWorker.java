package io.camelpgrepl.bench;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.postgresql.PGConnection;
import org.postgresql.PGProperty;
import org.postgresql.replication.LogSequenceNumber;
import org.postgresql.replication.PGReplicationStream;

import io.camelpgrepl.client.Lsn;
import io.camelpgrepl.client.ReplicationClient;
import io.camelpgrepl.client.ReplicationConfig;
import io.camelpgrepl.client.ReplicationEvent;
import io.camelpgrepl.client.SslMode;

/**
 * One drain, in its own JVM so that its CPU time and peak RSS can be measured from outside: reads each slot of
 * {@code slots} (one thread per slot) until a Commit whose end LSN reaches {@code target}, acknowledging at every
 * commit, prints {@link ProcessMeter#FIRST_EVENT} on stderr when the first event arrived and a
 * {@link WorkerReport} on stdout (its clock starts before connecting).
 *
 * <p>Arguments ({@link WorkerArgs}): {@code host port database user slots publication target sslMode
 * client=ours|pgjdbc}.
 */
public final class DrainWorker {

    private static final AtomicBoolean FIRST = new AtomicBoolean();

    private DrainWorker() {
    }

    public static void main(String[] argv) throws Exception {
        WorkerArgs args = new WorkerArgs(argv);
        List<String> slots = args.list("slots");
        boolean ours = "ours".equals(args.get("client"));
        try (HeapMeter heap = HeapMeter.start()) {
            long start = System.nanoTime();
            long cpu = WorkerReport.processCpuNanos();
            long[] total = new long[2];
            ExecutorService pool = Executors.newFixedThreadPool(slots.size());
            try {
                List<Future<long[]>> drains = new ArrayList<>();
                for (String slot : slots) {
                    drains.add(pool.submit(() -> ours ? drainOurs(args, slot) : drainPgjdbc(args, slot)));
                }
                for (Future<long[]> f : drains) {
                    long[] r = f.get(10, TimeUnit.MINUTES);
                    total[0] += r[0];
                    total[1] += r[1];
                }
            } finally {
                pool.shutdownNow();
            }
            long nanos = System.nanoTime() - start;
            cpu = WorkerReport.processCpuNanos() - cpu;
            System.out.println(new WorkerReport(total[0], total[1], nanos, cpu, heap.peakUsed(), heap.peakAfterGc())
                    .toLine());
        }
    }

    static void firstEvent() {
        if (!FIRST.get() && FIRST.compareAndSet(false, true)) {
            System.err.println(ProcessMeter.FIRST_EVENT);
        }
    }

    static ReplicationConfig config(WorkerArgs args, String slot) {
        return ReplicationConfig.builder().host(args.get("host")).port(Integer.parseInt(args.get("port")))
                .database(args.get("database")).user(args.get("user")).slot(slot).publication(args.get("publication"))
                .sslMode(SslMode.parse(args.get("sslMode"))).build();
    }

    static long[] drainOurs(WorkerArgs args, String slot) throws InterruptedException {
        Lsn target = Lsn.parse(args.get("target"));
        long events = 0;
        long bytes = 0;
        try (ReplicationClient client = ReplicationClient.connect(config(args, slot))) {
            while (true) {
                ReplicationEvent e = client.recv();
                if (e == null) {
                    break;
                }
                if (e instanceof ReplicationEvent.WalMessage w) {
                    if (events++ == 0) {
                        firstEvent();
                    }
                    bytes += w.data().remaining();
                    if (e instanceof ReplicationEvent.Commit c) {
                        client.updateAppliedLsn(c.endLsn());
                        if (c.endLsn().compareTo(target) >= 0) {
                            break;
                        }
                    }
                }
            }
        }
        return new long[] {events, bytes};
    }

    static long[] drainPgjdbc(WorkerArgs args, String slot) throws Exception {
        Lsn target = Lsn.parse(args.get("target"));
        Properties props = new Properties();
        PGProperty.USER.set(props, args.get("user"));
        PGProperty.ASSUME_MIN_SERVER_VERSION.set(props, "10");
        PGProperty.REPLICATION.set(props, "database");
        PGProperty.PREFER_QUERY_MODE.set(props, "simple");
        PGProperty.SSL_MODE.set(props, args.get("sslMode"));
        long events = 0;
        long bytes = 0;
        try (Connection conn = DriverManager.getConnection("jdbc:postgresql://" + args.get("host") + ":"
                + args.get("port") + "/" + args.get("database"), props)) {
            PGReplicationStream stream = conn.unwrap(PGConnection.class).getReplicationAPI().replicationStream()
                    .logical().withSlotName(slot).withSlotOption("proto_version", 1)
                    .withSlotOption("publication_names", args.get("publication"))
                    .withStatusInterval(10, TimeUnit.SECONDS).start();
            while (true) {
                ByteBuffer b = stream.read();
                if (events++ == 0) {
                    firstEvent();
                }
                int offset = b.arrayOffset() + b.position();
                bytes += b.remaining();
                if (b.array()[offset] == 'C') {
                    long endLsn = ByteBuffer.wrap(b.array(), offset + 10, 8).getLong();
                    LogSequenceNumber lsn = LogSequenceNumber.valueOf(endLsn);
                    stream.setAppliedLSN(lsn);
                    stream.setFlushedLSN(lsn);
                    if (Long.compareUnsigned(endLsn, target.asLong()) >= 0) {
                        break;
                    }
                }
            }
            // as our client does on stop: the final position reaches the slot
            stream.forceUpdateStatus();
            stream.close();
        }
        return new long[] {events, bytes};
    }
}
