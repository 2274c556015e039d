package io.camelpgrepl.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.function.ToDoubleFunction;
import java.util.stream.Stream;

import io.camelpgrepl.client.Lsn;
import io.camelpgrepl.testing.PostgresServer;

/**
 * What the drain benchmarks share: an embedded PostgreSQL with table {@code bench} and publication
 * {@code bench_pub}; one slot per contender and round, created before the backlog is written so that every slot
 * sees all of it; the backlog itself (batches of 10,000 rows, one transaction each, the last one's end LSN being
 * the drain's target); running each contender in its own process per round (the order rotates from round to
 * round) measured by {@link ProcessMeter}; and the result table (medians over rounds, RSS and heap as maxima).
 */
final class DrainRun implements AutoCloseable {

    static final String DB = "postgres";
    static final String PUB = "bench_pub";
    static final String RECVLOGICAL = "pg_recvlogical";
    private static final int BATCH = 10_000;
    private static final long TIMEOUT_SECONDS = 600;

    /** How a contender's drain time is taken. */
    enum Clock {
        /** Wall-clock time of the whole process (for Java: including JVM start). */
        PROCESS,
        /** The worker's own clock (from connect or route start to the last event) where it reports one, else PROCESS. */
        WORKER
    }

    /** One contender: what to run in a round, and afterwards the position it confirmed. */
    interface Contender {
        /** Prepares the round (if anything needs preparing) and returns the command to run. */
        List<String> start(int round) throws Exception;

        /** After the round's process exited: the position the contender's slot (or stand-in server) confirmed. */
        Lsn confirmed(int round) throws Exception;
    }

    /** A contender draining its own slot of each round. */
    Contender onSlot(String name, IntFunction<List<String>> command) {
        return new Contender() {
            @Override
            public List<String> start(int round) {
                return command.apply(round);
            }

            @Override
            public Lsn confirmed(int round) {
                return confirmedFlush(slot(name, round));
            }
        };
    }

    /** One process run: measured from outside, and the worker's own report (null for pg_recvlogical). */
    record Result(ProcessMeter.Measurement process, WorkerReport report) {

        double seconds(Clock clock) {
            return clock == Clock.WORKER && report != null ? report.drainSeconds() : process.wallSeconds();
        }

        /** CPU seconds of the drain itself where the worker reports them, else of the whole process. */
        double drainCpuSeconds() {
            return report != null ? report.drainCpuSeconds() : process.cpuSeconds();
        }
    }

    final PostgresServer pg;
    final int rows;
    final int rounds;
    final Lsn target;
    final double walMb;
    private final Path recvlogical;

    private DrainRun(PostgresServer pg, int rows, int rounds, Lsn target, double walMb, Path recvlogical) {
        this.pg = pg;
        this.rows = rows;
        this.rounds = rounds;
        this.target = target;
        this.walMb = walMb;
        this.recvlogical = recvlogical;
    }

    /**
     * Starts PostgreSQL, creates the table, the publication and {@code rounds} slots per contender, writes the
     * backlog and prints its size.
     */
    static DrainRun prepare(int rows, int rounds, List<String> contenders) throws Exception {
        Path recvlogical = findRecvlogical();
        PostgresServer pg = PostgresServer.start(PostgresServer.Options.builder()
                .setting("max_wal_size", "8GB").setting("shared_buffers", "512MB")
                .setting("checkpoint_timeout", "1h").setting("autovacuum", "off").build());
        try {
            pg.execute(DB, "CREATE TABLE bench (id bigint PRIMARY KEY, name text, amount numeric(12,2), "
                    + "created timestamptz, active bool, note text)");
            pg.createPublication(DB, PUB, "bench");
            for (int r = 0; r < rounds; r++) {
                for (String k : contenders) {
                    pg.createSlot(DB, slot(k, r), false);
                }
            }
            Lsn start = Lsn.parse(pg.queryString(DB, "SELECT pg_current_wal_lsn()"));
            String target = null;
            for (int from = 1; from <= rows; from += BATCH) {
                int to = Math.min(rows, from + BATCH - 1);
                String insert = "INSERT INTO bench SELECT g, 'customer name number ' || g || ' with some padding', "
                        + "(g % 100000) / 100.0, timestamptz '2024-01-01 00:00:00+00' + g * interval '1 second', "
                        + "g % 2 = 0, 'note ' || md5(g::text) FROM generate_series(" + from + ", " + to + ") g";
                if (to == rows) {
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
            return new DrainRun(pg, rows, rounds, Lsn.parse(target), walMb, recvlogical);
        } catch (Exception | Error e) {
            pg.close();
            throw e;
        }
    }

    static String slot(String contender, int round) {
        return "bench_" + contender.replace("pg_", "").replaceAll("[^a-z0-9_]", "_") + "_" + round;
    }

    /** pg_recvlogical draining its slot of {@code round} up to the target, to /dev/null. */
    List<String> recvlogicalCommand(int round) {
        return List.of(recvlogical.toString(), "-h", pg.host(), "-p", String.valueOf(pg.port()), "-U", "postgres",
                "-d", DB, "-S", slot(RECVLOGICAL, round), "--start", "--no-loop", "-f", "/dev/null",
                "-o", "proto_version=1", "-o", "publication_names=" + PUB, "-E", target.toString(), "-s", "10");
    }

    /**
     * A Java worker in a JVM of its own ({@code -Xmx256m -XX:+UseSerialGC}, then the options in system property
     * {@code bench.jvmOptions} with {@code {contender}} replaced by the contender's name; the test class path) with the
     * connection arguments {@code host port database user slot publication targetLsn} and then {@code extra}.
     */
    List<String> javaCommand(Class<?> main, String contender, int round, String... extra) {
        return javaCommand(main, System.getProperty("java.class.path"), pg.host(), pg.port(), contender, round, extra);
    }

    /** As {@link #javaCommand(Class, String, int, String...)}, with the given class path and server. */
    List<String> javaCommand(Class<?> main, String classPath, String host, int port, String contender, int round,
                             String... extra) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC"));
        String jvmOptions = System.getProperty("bench.jvmOptions", "").trim();
        if (!jvmOptions.isEmpty()) {
            cmd.addAll(List.of(jvmOptions.replace("{contender}", contender).split("\\s+")));
        }
        cmd.addAll(List.of("-cp", classPath, main.getName(), host, String.valueOf(port), DB, "postgres", slot(contender, round), PUB, target.toString()));
        cmd.addAll(List.of(extra));
        return cmd;
    }

    /** The slot's confirmed_flush_lsn (0/0 when it never confirmed anything). */
    Lsn confirmedFlush(String slot) {
        return Lsn.parse(pg.queryString(DB, "SELECT coalesce(confirmed_flush_lsn::text, '0/0') "
                + "FROM pg_replication_slots WHERE slot_name = ?", slot));
    }

    /**
     * Runs every contender once per round (in an order rotated each round), prints a line per run (with the position
     * the contender confirmed) and returns the results by contender in the order given. Contenders other than
     * pg_recvlogical are Java workers printing a {@link WorkerReport}.
     */
    Map<String, List<Result>> run(Map<String, Contender> contenders) throws Exception {
        List<String> names = new ArrayList<>(contenders.keySet());
        Map<String, List<Result>> results = new LinkedHashMap<>();
        names.forEach(n -> results.put(n, new ArrayList<>()));
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < names.size(); i++) {
                String k = names.get((i + r) % names.size());
                Contender c = contenders.get(k);
                ProcessMeter.Measurement m = ProcessMeter.run(c.start(r), TIMEOUT_SECONDS);
                WorkerReport report = k.equals(RECVLOGICAL) ? null : WorkerReport.parse(m.stdout());
                results.get(k).add(new Result(m, report));
                Lsn confirmed = c.confirmed(r);
                System.out.printf(Locale.ROOT, "round %d %-15s %6.2f s wall %6.2f s CPU %5.0f MB RSS%s  confirmed %s%s%n",
                        r + 1, k, m.wallSeconds(), m.cpuSeconds(), m.peakRssBytes() / 1e6,
                        report == null ? "" : String.format(Locale.ROOT, " %5.0f MB heap %6.2f s drain %6.2f s drain CPU",
                                report.peakHeapBytes() / 1e6, report.drainSeconds(), report.drainCpuSeconds()),
                        confirmed, report == null || confirmed.compareTo(target) >= 0 ? ""
                                : " (BEHIND the target " + target + ")");
            }
        }
        return results;
    }

    /**
     * Prints the table: events/s and MB/s of WAL from the median drain time, median CPU seconds (of the drain as the
     * worker measured it, and of the whole process), maximum RSS and heap, and the rate relative to pg_recvlogical. {@code events} is the number of events every contender
     * drained (they all read the same WAL).
     */
    void printTable(Map<String, List<Result>> results, long events, Clock clock) {
        double recvRate = events / median(results.get(RECVLOGICAL), x -> x.seconds(clock));
        System.out.printf(Locale.ROOT, "%n| contender | events/s | MB/s (WAL) | drain s | process wall s | drain CPU s "
                + "| process CPU s | peak RSS MB | peak heap MB | heap after GC MB | vs pg_recvlogical |%n");
        System.out.printf("|---|---|---|---|---|---|---|---|---|---|---|%n");
        for (Map.Entry<String, List<Result>> e : results.entrySet()) {
            List<Result> rs = e.getValue();
            double seconds = median(rs, x -> x.seconds(clock));
            double wall = median(rs, x -> x.process().wallSeconds());
            double drainCpu = median(rs, Result::drainCpuSeconds);
            double cpu = median(rs, x -> x.process().cpuSeconds());
            long rss = rs.stream().mapToLong(x -> x.process().peakRssBytes()).max().orElse(0);
            boolean java = rs.stream().allMatch(x -> x.report() != null);
            String heap = java ? String.format(Locale.ROOT, "%.0f",
                    rs.stream().mapToLong(x -> x.report().peakHeapBytes()).max().orElse(0) / 1e6) : "–";
            String afterGc = java ? String.format(Locale.ROOT, "%.0f",
                    rs.stream().mapToLong(x -> x.report().heapAfterGcBytes()).max().orElse(0) / 1e6) : "–";
            double rate = events / seconds;
            System.out.printf(Locale.ROOT, "| %s | %,.0f | %.1f | %.2f | %.2f | %.2f | %.2f | %.0f | %s | %s | %.2f× |%n",
                    e.getKey(), rate, walMb / seconds, seconds, wall, drainCpu, cpu, rss / 1e6, heap, afterGc,
                    rate / recvRate);
        }
    }

    static double median(List<Result> rs, ToDoubleFunction<Result> f) {
        double[] v = rs.stream().mapToDouble(f).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    @Override
    public void close() {
        pg.close();
    }

    private static Path findRecvlogical() throws IOException {
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
