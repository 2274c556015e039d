package io.camelpgrepl.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import io.camelpgrepl.client.Lsn;
import io.camelpgrepl.testing.PostgresServer;

/**
 * Drains the same WAL backlog with {@code pg_recvlogical}, pgjdbc's replication stream and our client, each in its
 * own process and with a slot of its own, for several rounds, and prints events/s, MB/s, client CPU seconds and
 * peak RSS (medians; RSS is the maximum).
 *
 * <p>Run: {@code ./mvnw -pl camel-pgrepl -Pdrain-bench verify -DskipTests} (see README). System properties:
 * {@code rows} (1,000,000), {@code rounds} (3), {@code pgrepl.test.pg.version}.
 */
public final class DrainBenchmark {

    private static final String DB = "postgres";
    private static final String PUB = "bench_pub";

    private DrainBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rows = Integer.getInteger("rows", 1_000_000);
        int rounds = Integer.getInteger("rounds", 3);
        Path recvlogical = findRecvlogical();
        try (PostgresServer pg = PostgresServer.start(PostgresServer.Options.builder()
                .setting("max_wal_size", "8GB").setting("shared_buffers", "512MB")
                .setting("checkpoint_timeout", "1h").setting("autovacuum", "off").build())) {
            pg.execute(DB, "CREATE TABLE bench (id bigint PRIMARY KEY, name text, amount numeric(12,2), "
                    + "created timestamptz, active bool, note text)", "CREATE PUBLICATION " + PUB + " FOR TABLE bench");
            String[] kinds = {"ours", "pgjdbc", "pg_recvlogical"};
            for (int r = 0; r < rounds; r++) {
                for (String k : kinds) {
                    pg.execute(DB, "SELECT pg_create_logical_replication_slot('" + slot(k, r) + "', 'pgoutput')");
                }
            }
            Lsn start = Lsn.parse(pg.queryString(DB, "SELECT pg_current_wal_lsn()"));
            int batch = 10_000;
            String target = null;
            for (int from = 1; from <= rows; from += batch) {
                int to = Math.min(rows, from + batch - 1);
                boolean last = to == rows;
                String insert = "INSERT INTO bench SELECT g, 'customer name number ' || g || ' with some padding', "
                        + "(g % 100000) / 100.0, timestamptz '2024-01-01 00:00:00+00' + g * interval '1 second', "
                        + "g % 2 = 0, 'note ' || md5(g::text) FROM generate_series(" + from + ", " + to + ") g";
                if (last) {
                    try (var conn = pg.connect(DB)) {
                        conn.setAutoCommit(false);
                        try (var st = conn.createStatement()) {
                            st.execute(insert);
                            var rs = st.executeQuery("SELECT pg_current_wal_insert_lsn()");
                            rs.next();
                            target = rs.getString(1);
                        }
                        conn.commit();
                    }
                } else {
                    pg.execute(DB, insert);
                }
            }
            Lsn end = Lsn.parse(pg.queryString(DB, "SELECT pg_current_wal_lsn()"));
            double walMb = end.bytesSince(start) / 1e6;
            System.out.printf(Locale.ROOT, "%nBacklog: %,d rows, %.1f MB of WAL (PostgreSQL %s), %d rounds%n", rows,
                    walMb, pg.queryString(DB, "SHOW server_version"), rounds);

            String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            String cp = System.getProperty("java.class.path");
            Map<String, List<ProcessMeter.Measurement>> results = new LinkedHashMap<>();
            long events = 0;
            for (int r = 0; r < rounds; r++) {
                for (int i = 0; i < kinds.length; i++) {
                    String k = kinds[(i + r) % kinds.length];
                    List<String> cmd;
                    if (k.equals("pg_recvlogical")) {
                        cmd = List.of(recvlogical.toString(), "-h", pg.host(), "-p", String.valueOf(pg.port()),
                                "-U", "postgres", "-d", DB, "-S", slot(k, r), "--start", "--no-loop", "-f", "/dev/null",
                                "-o", "proto_version=1", "-o", "publication_names=" + PUB, "-E", target, "-s", "10");
                    } else {
                        cmd = List.of(javaBin, "-Xmx256m", "-XX:+UseSerialGC", "-cp", cp, DrainWorker.class.getName(),
                                k, pg.host(), String.valueOf(pg.port()), DB, "postgres", slot(k, r), PUB, target);
                    }
                    ProcessMeter.Measurement m = ProcessMeter.run(cmd, 600);
                    if (!k.equals("pg_recvlogical")) {
                        events = Long.parseLong(m.stdout().get(m.stdout().size() - 1).split(" ")[0]);
                    }
                    results.computeIfAbsent(k, x -> new ArrayList<>()).add(m);
                    System.out.printf(Locale.ROOT, "round %d %-15s %6.2f s wall %6.2f s CPU %5.0f MB RSS%n", r + 1, k,
                            m.wallSeconds(), m.cpuSeconds(), m.peakRssBytes() / 1e6);
                }
            }
            double recvRate = events / median(results.get("pg_recvlogical"), ProcessMeter.Measurement::wallSeconds);
            System.out.printf(Locale.ROOT, "%n| client | events/s | MB/s (WAL) | client CPU s | peak RSS MB | vs pg_recvlogical |%n");
            System.out.printf("|---|---|---|---|---|---|%n");
            for (Map.Entry<String, List<ProcessMeter.Measurement>> e : results.entrySet()) {
                double wall = median(e.getValue(), ProcessMeter.Measurement::wallSeconds);
                double cpu = median(e.getValue(), ProcessMeter.Measurement::cpuSeconds);
                long rss = e.getValue().stream().mapToLong(ProcessMeter.Measurement::peakRssBytes).max().orElse(0);
                double rate = events / wall;
                System.out.printf(Locale.ROOT, "| %s | %,.0f | %.1f | %.2f | %.0f | %.2f× |%n", e.getKey(), rate,
                        walMb / wall, cpu, rss / 1e6, rate / recvRate);
            }
            System.out.printf(Locale.ROOT, "%nevents = %,d pgoutput messages per drain (all clients read the same WAL); "
                    + "times are wall-clock per process incl. connection set-up (and JVM start for Java); medians of %d"
                    + " rounds.%n", events, rounds);
        }
    }

    private static String slot(String kind, int round) {
        return "bench_" + kind.replace("pg_", "") + "_" + round;
    }

    private static double median(List<ProcessMeter.Measurement> ms,
                                 java.util.function.ToDoubleFunction<ProcessMeter.Measurement> f) {
        double[] v = ms.stream().mapToDouble(f).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static Path findRecvlogical() throws java.io.IOException {
        String explicit = System.getProperty("pg_recvlogical");
        if (explicit != null) {
            return Path.of(explicit);
        }
        Path root = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(root)) {
            try (Stream<Path> s = Files.list(root)) {
                var found = s.map(p -> p.resolve("bin/pg_recvlogical")).filter(Files::isExecutable)
                        .max(Comparator.naturalOrder());
                if (found.isPresent()) {
                    return found.get();
                }
            }
        }
        throw new IllegalStateException("pg_recvlogical not found: install the PostgreSQL client package "
                + "(apt-get install postgresql-client) or pass -Dpg_recvlogical=/path/to/pg_recvlogical");
    }
}
