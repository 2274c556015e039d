package io.camelpgrepl.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Commit-to-exchange latency at steady rates: per rate and contender (pg_recvlogical, our raw client, our route), a
 * fresh slot, the contender streaming it, and pgbench committing one-row transactions at that rate ({@code -R}, a
 * Poisson schedule) for a fixed time; then a sentinel row ends the contender. Prints p50/p90/p99/p99.9/max per
 * contender and rate, the rate pgbench reached, the machine's CPU use and load while pgbench ran (the writer, the
 * server and the contender share the machine's cores), and for the raw client the server's share: commit to the
 * walsender's send time. Per-second timelines go to stderr.
 */
final class LatencyBench {

    private static final int PGBENCH_CLIENTS = 4;

    private LatencyBench() {
    }

    static void run(BenchServer s, List<Integer> rates, int seconds, int warmupSeconds) throws Exception {
        Path pgbench = BenchServer.findTool("pgbench");
        Path script = Files.createTempFile("pgrepl-latency", ".sql");
        script.toFile().deleteOnExit();
        Files.writeString(script, "INSERT INTO bench VALUES (nextval('bench_seq'), 'latency row', 1.00, now(), true, "
                + "'note');\n");
        new Workload(Workload.Kind.BULK, 0).setUp(s);
        List<String> rows = new ArrayList<>();
        for (int rate : rates) {
            for (Contender c : contenders()) {
                String slot = "b_latency_" + c.client().name().toLowerCase(Locale.ROOT) + "_" + rate;
                s.createSlot(slot);
                try {
                    rows.add(measure(s, pgbench, script, c, slot, rate, seconds, warmupSeconds));
                } finally {
                    s.pg.execute(BenchServer.DB, "DELETE FROM bench WHERE id = " + LatencyWorker.SENTINEL);
                    s.dropSlots(List.of(slot));
                }
            }
        }
        System.out.printf(Locale.ROOT, "%n## latency: one-row transactions at a steady rate (pgbench -R, %d clients), "
                + "%d s each, the first %d s not counted%n%n", PGBENCH_CLIENTS, seconds, warmupSeconds);
        System.out.println("| contender | target tx/s | pgbench tx/s | rows measured | p50 ms | p90 ms | p99 ms | p99.9 ms "
                + "| max ms | commit→sent p50/p99/max ms | client CPU s | walsender CPU s | machine CPU % | load 1 min |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        rows.forEach(System.out::println);
        System.out.printf(Locale.ROOT, "%nlatency = from the transaction's commit timestamp (the server's clock, the same "
                + "host) to the row reaching pg_recvlogical's reader (its stdout read by a thread of the benchmark), "
                + "the raw client's loop or the route's processor. walsender CPU: the slot's walsender from connect to the end of "
                + "pgbench. commit→sent: to the walsender's send time in the "
                + "row's XLogData (the server's share). client CPU: the worker process, JVM start included. machine CPU: "
                + "all cores busy while pgbench ran (100%% = every core); load: the 1-minute load average after it.%n");
    }

    private static String measure(BenchServer s, Path pgbench, Path script, Contender c, String slot, int rate,
                                  int seconds, int warmupSeconds) throws Exception {
        ProcessMeter.Running worker = null;
        RecvlogicalLatency recv = null;
        LatencyRecorder recvRecorder = new LatencyRecorder(warmupSeconds);
        if (c.client() == Contender.Client.RECVLOGICAL) {
            recv = RecvlogicalLatency.start(s, slot, recvRecorder);
            awaitActive(s, slot);
        } else {
            List<String> cmd = c.java(LatencyWorker.class, c.heapMb(), null, List.of("host=" + s.pg.host(),
                    "port=" + s.pg.port(), "database=" + BenchServer.DB, "user=" + BenchServer.USER, "slots=" + slot,
                    "publication=" + BenchServer.PUB, "sslMode=disable", "client=" + c.client().label,
                    "warmupSeconds=" + warmupSeconds, "uriOptions=" + System.getProperty("camel.uriOptions", "").trim(),
                    "context=" + System.getProperty("camel.context", "").trim()));
            worker = ProcessMeter.start(List.of(cmd), List.of(LatencyWorker.READY));
            if (!worker.awaitMarker(LatencyWorker.READY, 120)) {
                worker.finish(10);
                throw new IllegalStateException(c.name() + " did not start streaming");
            }
        }
        long[] cpuBefore = machineCpuTicks();
        Process bench = new ProcessBuilder(pgbench.toString(), "-n", "-h", s.pg.host(), "-p",
                String.valueOf(s.pg.port()), "-U", BenchServer.USER, "-c", String.valueOf(PGBENCH_CLIENTS), "-j", "2",
                "-R", String.valueOf(rate), "-T", String.valueOf(seconds), "-f", script.toString(), BenchServer.DB)
                .redirectErrorStream(true).start();
        String out = new String(bench.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (bench.waitFor() != 0) {
            throw new IllegalStateException("pgbench failed:\n" + out);
        }
        long[] cpuAfter = machineCpuTicks();
        double busy = 100.0 * (1 - (double) (cpuAfter[1] - cpuBefore[1]) / Math.max(1, cpuAfter[0] - cpuBefore[0]));
        String load = Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        double walsenderCpu = walsenderCpuSeconds(s, slot);
        s.pg.execute(BenchServer.DB, "INSERT INTO bench VALUES (" + LatencyWorker.SENTINEL + ", 'sentinel', 0, now(), "
                + "false, 'end')");
        double tps = out.lines().filter(l -> l.startsWith("tps = ")).findFirst()
                .map(l -> Double.parseDouble(l.substring(6).split(" ")[0])).orElse(Double.NaN);
        String summary;
        String sent = "";
        double cpu;
        if (recv != null) {
            try (RecvlogicalLatency r = recv) {
                cpu = r.awaitSentinel(120);
            }
            summary = recvRecorder.summary();
            System.err.println("latency timeline pg_recvlogical, by second of commit (p99/max ms): "
                    + recvRecorder.timeline());
        } else {
            ProcessMeter.Measurement m = worker.finish(120);
            cpu = m.cpuSeconds();
            summary = m.stdout().get(m.stdout().size() - 1).trim();
            for (String line : m.stdout()) {
                if (line.startsWith(LatencyWorker.SENT)) {
                    String[] f = line.substring(LatencyWorker.SENT.length()).trim().split(" ");
                    sent = String.format(Locale.ROOT, "%.2f / %.2f / %.2f", ms(f[1]), ms(f[3]), ms(f[5]));
                }
            }
        }
        String[] f = summary.split(" ");
        return String.format(Locale.ROOT, "| %s | %,d | %,.0f | %,d | %.2f | %.2f | %.2f | %.2f | %.2f | %s | %.2f | "
                        + "%.2f | %.0f | %s |", c.name(), rate, tps, Long.parseLong(f[0]), ms(f[1]), ms(f[2]), ms(f[3]),
                ms(f[4]), ms(f[5]), sent, cpu, walsenderCpu, busy, load);
    }

    /** pg_recvlogical, ours and camel, or those named in {@code bench.latency.contenders} (by label). */
    private static List<Contender> contenders() {
        String only = System.getProperty("bench.latency.contenders", "").trim();
        return java.util.Arrays.stream(Contender.Client.values()).filter(c -> c != Contender.Client.PGJDBC)
                .filter(c -> only.isEmpty() || List.of(only.split(",")).contains(c.label)).map(Contender::of).toList();
    }

    /** Waits until a walsender streams {@code slot} (pg_recvlogical has no ready marker of its own on a pipe). */
    private static void awaitActive(BenchServer s, String slot) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (!"t".equals(s.pg.queryString(BenchServer.DB, "SELECT active::text FROM pg_replication_slots "
                + "WHERE slot_name = ?", slot).substring(0, 1))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("pg_recvlogical did not start streaming " + slot);
            }
            Thread.sleep(20);
        }
    }

    /** User + system CPU seconds of the walsender streaming {@code slot} so far (NaN when unknown). */
    private static double walsenderCpuSeconds(BenchServer s, String slot) {
        try {
            String pid = s.pg.queryString(BenchServer.DB, "SELECT active_pid::text FROM pg_replication_slots "
                    + "WHERE slot_name = ?", slot);
            return BenchServer.processCpuSeconds(Long.parseLong(pid.trim()));
        } catch (RuntimeException e) {
            return Double.NaN;
        }
    }

    /** All CPU ticks and idle ticks (idle + iowait) of the machine so far, from /proc/stat. */
    private static long[] machineCpuTicks() throws java.io.IOException {
        String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
        long total = 0;
        for (int i = 1; i < f.length; i++) {
            total += Long.parseLong(f[i]);
        }
        return new long[] {total, Long.parseLong(f[4]) + Long.parseLong(f[5])};
    }

    private static double ms(String micros) {
        return Long.parseLong(micros) / 1e3;
    }
}
