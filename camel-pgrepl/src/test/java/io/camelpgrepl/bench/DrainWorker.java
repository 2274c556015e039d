package io.camelpgrepl.bench;

import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

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
 * One drain, in its own JVM so that its CPU time and peak RSS can be measured from outside: reads slot
 * {@code slot} until a Commit whose end LSN reaches {@code target}, acknowledging at every commit, and prints a
 * {@link WorkerReport} on stdout (its clock starts before connecting).
 *
 * <p>Usage: {@code DrainWorker host port database user slot publication targetLsn ours|pgjdbc}
 */
public final class DrainWorker {

    private DrainWorker() {
    }

    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        String database = args[2];
        String user = args[3];
        String slot = args[4];
        String publication = args[5];
        Lsn target = Lsn.parse(args[6]);
        String kind = args[7];
        try (HeapMeter heap = HeapMeter.start()) {
            long start = System.nanoTime();
            long cpu = WorkerReport.processCpuNanos();
            long[] result = "ours".equals(kind)
                    ? drainOurs(host, port, database, user, slot, publication, target)
                    : drainPgjdbc(host, port, database, user, slot, publication, target);
            long nanos = System.nanoTime() - start;
            cpu = WorkerReport.processCpuNanos() - cpu;
            System.out.println(new WorkerReport(result[0], result[1], nanos, cpu, heap.peakUsed(), heap.peakAfterGc())
                    .toLine());
        }
    }

    static long[] drainOurs(String host, int port, String database, String user, String slot, String publication,
                            Lsn target) throws InterruptedException {
        ReplicationConfig cfg = ReplicationConfig.builder().host(host).port(port).database(database).user(user)
                .slot(slot).publication(publication).sslMode(SslMode.DISABLE).build();
        long events = 0;
        long bytes = 0;
        try (ReplicationClient client = ReplicationClient.connect(cfg)) {
            while (true) {
                ReplicationEvent e = client.recv();
                if (e == null) {
                    break;
                }
                if (e instanceof ReplicationEvent.WalMessage w) {
                    events++;
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

    static long[] drainPgjdbc(String host, int port, String database, String user, String slot, String publication,
                              Lsn target) throws Exception {
        Properties props = new Properties();
        PGProperty.USER.set(props, user);
        PGProperty.ASSUME_MIN_SERVER_VERSION.set(props, "10");
        PGProperty.REPLICATION.set(props, "database");
        PGProperty.PREFER_QUERY_MODE.set(props, "simple");
        PGProperty.SSL_MODE.set(props, "disable");
        long events = 0;
        long bytes = 0;
        try (Connection conn = DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + database,
                props)) {
            PGReplicationStream stream = conn.unwrap(PGConnection.class).getReplicationAPI().replicationStream()
                    .logical().withSlotName(slot).withSlotOption("proto_version", 1)
                    .withSlotOption("publication_names", publication)
                    .withStatusInterval(10, TimeUnit.SECONDS).start();
            while (true) {
                ByteBuffer b = stream.read();
                events++;
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
