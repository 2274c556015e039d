package io.camelpgrepl.bench;

import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

import io.camelpgrepl.bench.Contender.Client;
import io.camelpgrepl.bench.Contender.Transport;

/**
 * The end-to-end benchmark: what users run, next to pg_recvlogical on the same WAL in the same rounds. Parts
 * (system property {@code bench.parts}, default {@code drain,latency}; {@code all} for every part):
 * <ul>
 *   <li>{@code drain}: each workload of {@code workloads} drained by pg_recvlogical, pgjdbc, our raw client and our
 *       {@code pgrepl:} route;</li>
 *   <li>{@code latency}: commit-to-exchange latency at steady rates of pg_recvlogical, our raw client and our route
 *       ({@link LatencyBench}; {@code bench.latency.contenders} picks some by label);</li>
 *   <li>{@code tls}: pg_recvlogical, our client and our route over TLS ({@code sslmode=require}), and pg_recvlogical
 *       over plain TCP, on the first workload;</li>
 *   <li>{@code socket}: the same three over the Unix socket and over TCP, on the first workload;</li>
 *   <li>{@code scale}: N slots drained at once (N of {@code bench.scale}) by N pg_recvlogical processes, one JVM
 *       with N raw clients and one JVM with N routes, on the first workload;</li>
 *   <li>{@code memory}: {@code bench.memory.rows} rows through the route and the raw client with -Xmx128m (heap after
 *       a full GC and RSS printed every tenth), then {@code bench.memory.largeRows} rows of 1 MiB in one
 *       transaction.</li>
 * </ul>
 * Workloads: see {@link Workload}; {@code name:rows} overrides {@code rows} for one of them. See README, Benchmarks.
 */
public final class Benchmark {

    static final List<String> ALL_PARTS = List.of("drain", "latency", "tls", "socket", "scale", "memory");
    private static final int MEMORY_HEAP_MB = 128;

    private Benchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rows = intProperty("rows", 1_000_000);
        int rounds = intProperty("rounds", 3);
        List<Workload> workloads = Arrays.stream(property("workloads", "bulk,small,update").split(","))
                .map(w -> Workload.parse(w, rows)).toList();
        String partsSpec = property("bench.parts", "drain,latency");
        Set<String> parts = "all".equals(partsSpec) ? Set.copyOf(ALL_PARTS)
                : Arrays.stream(partsSpec.split(",")).map(String::trim).collect(Collectors.toSet());
        if (!ALL_PARTS.containsAll(parts)) {
            throw new IllegalArgumentException("bench.parts: unknown part in " + parts + "; parts are " + ALL_PARTS
                    + " or all");
        }
        System.out.printf(Locale.ROOT, "# camel-pgrepl benchmark: parts %s, workloads %s, %d round(s); %d cores, %s%n",
                ALL_PARTS.stream().filter(parts::contains).toList(), workloads.stream().map(Workload::describe).toList(),
                rounds, Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.version"));
        try (BenchServer s = BenchServer.start(parts.contains("tls"))) {
            Workload first = workloads.get(0);
            if (parts.contains("drain")) {
                for (Workload w : workloads) {
                    DrainTable.print(DrainRun.run(s, "drain", w, drainContenders(), rounds));
                }
            }
            if (parts.contains("latency")) {
                LatencyBench.run(s, intList("bench.latency.rates", "1000,10000"),
                        intProperty("bench.latency.seconds", 20), intProperty("bench.latency.warmup", 5));
            }
            if (parts.contains("tls")) {
                DrainTable.print(DrainRun.run(s, "tls", first, List.of(recvlogical().over(Transport.TLS),
                        Contender.of(Client.OURS).over(Transport.TLS), Contender.of(Client.CAMEL).over(Transport.TLS),
                        recvlogical()), rounds));
            }
            if (parts.contains("socket")) {
                List<Contender> cs = new ArrayList<>();
                for (Client c : List.of(Client.RECVLOGICAL, Client.OURS, Client.CAMEL)) {
                    cs.add(Contender.of(c));
                    cs.add(Contender.of(c).over(Transport.UNIX));
                }
                DrainTable.print(DrainRun.run(s, "socket", first, cs, rounds));
            }
            if (parts.contains("scale")) {
                List<Contender> cs = new ArrayList<>();
                for (int n : intList("bench.scale", "1,2,4")) {
                    for (Client c : List.of(Client.RECVLOGICAL, Client.OURS, Client.CAMEL)) {
                        cs.add(Contender.of(c).times(n));
                    }
                }
                DrainTable.print(DrainRun.run(s, "scale", first, cs, rounds));
            }
            if (parts.contains("memory")) {
                for (Workload w : List.of(new Workload(Workload.Kind.BULK, intProperty("bench.memory.rows", 10_000_000)),
                        new Workload(Workload.Kind.LARGE, intProperty("bench.memory.largeRows", 1024)))) {
                    DrainTable.print(DrainRun.run(s, "memory", w, List.of(recvlogical(),
                            Contender.of(Client.OURS).heap(MEMORY_HEAP_MB), Contender.of(Client.CAMEL).heap(MEMORY_HEAP_MB)),
                            1, "heapEvery=" + Math.max(1, w.rows() / 10)));
                }
            }
        }
    }

    /**
     * pg_recvlogical, pgjdbc, ours and the route; with {@code bench.baseline.classes} also the route on other builds'
     * classes ({@code camel@baseline} for a path, {@code camel@label} for each {@code label=path}), with
     * {@code bench.replay=true} the Java clients read a recorded stream.
     */
    private static List<Contender> drainContenders() {
        boolean replay = Boolean.getBoolean("bench.replay");
        String baseline = property("bench.baseline.classes", "");
        List<Contender> cs = new ArrayList<>(List.of(recvlogical()));
        List<Contender> java = new ArrayList<>(List.of(Contender.of(Client.PGJDBC), Contender.of(Client.OURS),
                Contender.of(Client.CAMEL)));
        // a path (camel@baseline), or label=path entries separated by commas (camel@label each)
        for (String entry : baseline.isEmpty() ? new String[0] : baseline.split(",")) {
            int eq = entry.indexOf('=');
            String label = eq < 0 ? "baseline" : entry.substring(0, eq).trim();
            java.add(Contender.of(Client.CAMEL).onClassPath("camel@" + label,
                    entry.substring(eq + 1).trim() + File.pathSeparator + System.getProperty("java.class.path")));
        }
        for (Contender c : java) {
            cs.add(replay && c.client() != Client.PGJDBC ? c.over(Transport.REPLAY) : c);
        }
        return cs;
    }

    private static Contender recvlogical() {
        return Contender.of(Client.RECVLOGICAL);
    }

    private static String property(String name, String fallback) {
        String v = System.getProperty(name, "").trim();
        return v.isEmpty() ? fallback : v;
    }

    private static int intProperty(String name, int fallback) {
        return Integer.parseInt(property(name, String.valueOf(fallback)).replace("_", ""));
    }

    private static List<Integer> intList(String name, String fallback) {
        return Arrays.stream(property(name, fallback).split(",")).map(x -> Integer.parseInt(x.trim().replace("_", "")))
                .toList();
    }
}
