package io.camelpgrepl.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Commit-to-exchange latency at steady rates: per rate and contender (our raw client, our route), a fresh slot, a
 * {@link LatencyWorker} streaming it, and pgbench committing one-row transactions at that rate ({@code -R}, a Poisson
 * schedule) for a fixed time; then a sentinel row ends the worker. Prints p50/p90/p99/p99.9/max per contender and
 * rate, and the rate pgbench reached.
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
            for (Contender c : List.of(Contender.of(Contender.Client.OURS), Contender.of(Contender.Client.CAMEL))) {
                String slot = "b_latency_" + c.client().label + "_" + rate;
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
                + "| max ms | client CPU s | client CPU µs/tx |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
        rows.forEach(System.out::println);
        System.out.printf(Locale.ROOT, "%nlatency = from the transaction's commit timestamp (the server's clock, the same "
                + "host) to the row reaching the raw client's loop or the route's processor. client CPU: the worker "
                + "process, JVM start included.%n");
    }

    private static String measure(BenchServer s, Path pgbench, Path script, Contender c, String slot, int rate,
                                  int seconds, int warmupSeconds) throws Exception {
        List<String> cmd = c.java(LatencyWorker.class, c.heapMb(), null, List.of("host=" + s.pg.host(),
                "port=" + s.pg.port(), "database=" + BenchServer.DB, "user=" + BenchServer.USER, "slots=" + slot,
                "publication=" + BenchServer.PUB, "sslMode=disable", "client=" + c.client().label,
                "warmupSeconds=" + warmupSeconds, "uriOptions=" + System.getProperty("camel.uriOptions", "").trim()));
        ProcessMeter.Running worker = ProcessMeter.start(List.of(cmd), List.of(LatencyWorker.READY));
        if (!worker.awaitMarker(LatencyWorker.READY, 120)) {
            worker.finish(10);
            throw new IllegalStateException(c.name() + " did not start streaming");
        }
        Process bench = new ProcessBuilder(pgbench.toString(), "-n", "-h", s.pg.host(), "-p",
                String.valueOf(s.pg.port()), "-U", BenchServer.USER, "-c", String.valueOf(PGBENCH_CLIENTS), "-j", "2",
                "-R", String.valueOf(rate), "-T", String.valueOf(seconds), "-f", script.toString(), BenchServer.DB)
                .redirectErrorStream(true).start();
        String out = new String(bench.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (bench.waitFor() != 0) {
            throw new IllegalStateException("pgbench failed:\n" + out);
        }
        s.pg.execute(BenchServer.DB, "INSERT INTO bench VALUES (" + LatencyWorker.SENTINEL + ", 'sentinel', 0, now(), "
                + "false, 'end')");
        ProcessMeter.Measurement m = worker.finish(120);
        String[] f = m.stdout().get(m.stdout().size() - 1).trim().split(" ");
        double tps = out.lines().filter(l -> l.startsWith("tps = ")).findFirst()
                .map(l -> Double.parseDouble(l.substring(6).split(" ")[0])).orElse(Double.NaN);
        long count = Long.parseLong(f[0]);
        return String.format(Locale.ROOT, "| %s | %,d | %,.0f | %,d | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f | %.1f |",
                c.name(), rate, tps, count, ms(f[1]), ms(f[2]), ms(f[3]), ms(f[4]), ms(f[5]), m.cpuSeconds(),
                m.cpuSeconds() * 1e6 / Math.max(1, tps * seconds));
    }

    private static double ms(String micros) {
        return Long.parseLong(micros) / 1e3;
    }
}
