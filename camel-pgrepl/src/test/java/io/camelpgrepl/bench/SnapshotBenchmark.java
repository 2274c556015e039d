package io.camelpgrepl.bench;

import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.camelpgrepl.client.Lsn;
import io.camelpgrepl.client.ReplicationClient;
import io.camelpgrepl.client.ReplicationConfig;
import io.camelpgrepl.client.ServerInfo;
import io.camelpgrepl.client.SnapshotListener;
import io.camelpgrepl.client.SnapshotMode;
import io.camelpgrepl.client.SnapshotRow;
import io.camelpgrepl.client.SnapshotTable;
import io.camelpgrepl.client.SslMode;
import io.camelpgrepl.pgoutput.RowChange;
import io.camelpgrepl.pgoutput.SnapshotRows;
import io.camelpgrepl.testing.PostgresServer;
import io.camelpgrepl.testing.TestUsers;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.postgresql.PGConnection;

/**
 * The initial snapshot of one large table ({@code rows}, default 10,000,000) read three ways, {@code rounds} times
 * each, in this JVM (run it with a small heap: the snapshot-bench profile gives -Xmx256m): pgjdbc's
 * {@code COPY bench TO STDOUT} into nothing (the anchor: the server's text output and the wire, no decoding);
 * our client with {@code snapshotMode=initialOnly}, every row decoded into a {@link RowChange}; and a
 * {@code pgrepl:} route with {@code snapshotMode=initialOnly} whose exchanges a processor counts. Prints rows/s
 * (medians), the ratio to COPY and the peak heap used.
 *
 * <p>Run: {@code ./mvnw -pl camel-pgrepl -am -Psnapshot-bench verify -DskipTests -Drows=10000000}.
 */
public final class SnapshotBenchmark {

    private static final String DB = "snapbench";
    private static final int BATCH = 1_000_000;

    private SnapshotBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rows = Integer.getInteger("rows", 10_000_000);
        int rounds = Integer.getInteger("rounds", 2);
        try (PostgresServer pg = PostgresServer.start(PostgresServer.Options.builder()
                .setting("max_wal_size", "8GB").setting("shared_buffers", "512MB")
                .setting("checkpoint_timeout", "1h").setting("autovacuum", "off").build())) {
            pg.createDatabase(DB);
            pg.execute(DB, "CREATE TABLE bench (id bigint PRIMARY KEY, name text, amount numeric(12,2), "
                    + "created timestamptz, active bool, note text)");
            pg.createPublication(DB, "bench_pub", "bench");
            long loadStart = System.nanoTime();
            for (int from = 1; from <= rows; from += BATCH) {
                int to = Math.min(rows, from + BATCH - 1);
                pg.execute(DB, "INSERT INTO bench SELECT g, 'customer name number ' || g || ' with some padding', "
                        + "(g % 100000) / 100.0, timestamptz '2024-01-01 00:00:00+00' + g * interval '1 second', "
                        + "g % 2 = 0, 'note ' || md5(g::text) FROM generate_series(" + from + ", " + to + ") g");
            }
            pg.execute(DB, "VACUUM ANALYZE bench");
            System.out.printf(Locale.ROOT, "loaded %,d rows (%s) in %.1f s; PostgreSQL %s; max heap %d MB%n", rows,
                    pg.queryString(DB, "SELECT pg_size_pretty(pg_table_size('bench'))"),
                    (System.nanoTime() - loadStart) / 1e9, pg.majorVersion(),
                    Runtime.getRuntime().maxMemory() >> 20);

            Map<String, List<Double>> rowsPerSecond = new LinkedHashMap<>();
            for (int r = 0; r < rounds; r++) {
                record(rowsPerSecond, "COPY TO STDOUT (pgjdbc)", rows, copy(pg));
                record(rowsPerSecond, "client snapshot + decode", rows, client(pg, "bench_client_" + r));
                record(rowsPerSecond, "pgrepl: route (initialOnly)", rows, route(pg, "bench_route_" + r));
            }
            double anchor = median(rowsPerSecond.get("COPY TO STDOUT (pgjdbc)"));
            System.out.printf(Locale.ROOT, "%n%-30s %14s %8s%n", "reader", "rows/s", "x COPY");
            rowsPerSecond.forEach((name, values) -> System.out.printf(Locale.ROOT, "%-30s %,14.0f %8.2f%n", name,
                    median(values), median(values) / anchor));
            System.out.printf(Locale.ROOT, "%nrows = %,d; medians of %d rounds; peak heap used at most %d MB (sum of the heap pools' peaks) of %d MB"
                    + " max%n",
                    rows, rounds, peakHeapUsed() >> 20, Runtime.getRuntime().maxMemory() >> 20);
        }
    }

    private static void record(Map<String, List<Double>> results, String name, int rows, long[] countAndNanos) {
        if (countAndNanos[0] != rows) {
            throw new IllegalStateException(name + " read " + countAndNanos[0] + " rows, expected " + rows);
        }
        double perSecond = rows / (countAndNanos[1] / 1e9);
        results.computeIfAbsent(name, k -> new ArrayList<>()).add(perSecond);
        System.out.printf(Locale.ROOT, "%-30s %,14.0f rows/s%n", name, perSecond);
    }

    /** Rows (COPY's line count) and nanoseconds. */
    private static long[] copy(PostgresServer pg) throws Exception {
        AtomicLong lines = new AtomicLong();
        OutputStream sink = new OutputStream() {
            @Override
            public void write(int b) {
                if (b == '\n') {
                    lines.incrementAndGet();
                }
            }

            @Override
            public void write(byte[] b, int off, int len) {
                long n = 0;
                for (int i = off; i < off + len; i++) {
                    if (b[i] == '\n') {
                        n++;
                    }
                }
                lines.addAndGet(n);
            }
        };
        try (Connection c = pg.connect(DB)) {
            long start = System.nanoTime();
            c.unwrap(PGConnection.class).getCopyAPI().copyOut("COPY bench TO STDOUT", sink);
            return new long[] {lines.get(), System.nanoTime() - start};
        }
    }

    private static ReplicationConfig.Builder config(PostgresServer pg, String slot) {
        return ReplicationConfig.builder().host(pg.host()).port(pg.port()).database(DB).user(TestUsers.SUPERUSER)
                .sslMode(SslMode.DISABLE).slot(slot).publication("bench_pub").snapshotMode(SnapshotMode.INITIAL_ONLY);
    }

    private static long[] client(PostgresServer pg, String slot) {
        long[] count = new long[1];
        SnapshotListener listener = new SnapshotListener() {
            private Lsn point;
            private SnapshotRows decoder;

            @Override
            public void begin(Lsn consistentPoint, ServerInfo server) {
                point = consistentPoint;
            }

            @Override
            public void table(SnapshotTable table) {
                decoder = new SnapshotRows(table, point);
            }

            @Override
            public void row(SnapshotRow row) {
                if (decoder.decode(row).after() != null) {
                    count[0]++;
                }
            }

            @Override
            public void end() {
                // nothing to wait for: every row was handled in row()
            }
        };
        long start = System.nanoTime();
        try (ReplicationClient client = ReplicationClient.connect(config(pg, slot).build(), listener)) {
            return new long[] {count[0], System.nanoTime() - start};
        }
    }

    private static long[] route(PostgresServer pg, String slot) throws Exception {
        AtomicLong count = new AtomicLong();
        CountDownLatch stopped = new CountDownLatch(1);
        String uri = "pgrepl:" + slot + "?host=" + pg.host() + "&port=" + pg.port() + "&database=" + DB + "&user="
                + TestUsers.SUPERUSER + "&sslMode=disable&publication=bench_pub&snapshotMode=initialOnly";
        try (CamelContext context = new DefaultCamelContext()) {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    // the body tells READ rows from the STOPPED exchange without populating the headers
                    from(uri).process(e -> {
                        if (e.getMessage().getBody() instanceof RowChange change && change.after() != null) {
                            count.incrementAndGet();
                        } else {
                            stopped.countDown();
                        }
                    });
                }
            });
            long start = System.nanoTime();
            context.start();
            if (!stopped.await(1, TimeUnit.HOURS)) {
                throw new IllegalStateException("the route did not finish its snapshot");
            }
            return new long[] {count.get(), System.nanoTime() - start};
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    /** The sum of the heap pools' peak usage since the JVM started. */
    private static long peakHeapUsed() {
        return ManagementFactory.getMemoryPoolMXBeans().stream().filter(p -> p.getType() == MemoryType.HEAP)
                .map(MemoryPoolMXBean::getPeakUsage).mapToLong(u -> u == null ? 0 : u.getUsed()).sum();
    }
}
