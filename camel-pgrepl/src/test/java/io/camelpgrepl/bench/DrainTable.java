package io.camelpgrepl.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The table of a {@link DrainRun.Outcome}: medians over rounds (RSS and heap: maxima). The headline rate is from the
 * whole process's wall time (JVM and Camel start included); the stream rate beside it is from the worker's own clock.
 * Ratios are against pg_recvlogical over the same transport with the same parallelism.
 */
final class DrainTable {

    private DrainTable() {
    }

    static void print(DrainRun.Outcome o) {
        long eventsPerSlot = o.eventsPerSlot();
        System.out.printf(Locale.ROOT, "%n| %s | events/s | WAL MB/s | × pg_recvlogical | stream events/s | × (stream) "
                + "| start → first event s | process wall s | client CPU s | client CPU µs/event | stream CPU µs/event "
                + "| server CPU s | server CPU µs/event | peak RSS MB | peak heap MB | heap after GC MB |%n",
                o.workload().name());
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
        for (Map.Entry<Contender, List<DrainRun.Result>> e : o.results().entrySet()) {
            Contender c = e.getKey();
            List<DrainRun.Result> rs = e.getValue();
            List<DrainRun.Result> ref = reference(o.results(), c);
            double events = (double) eventsPerSlot * c.parallel();
            double wall = median(rs, x -> x.process().wallSeconds());
            double stream = median(rs, DrainRun.Result::streamSeconds);
            double cpu = median(rs, x -> x.process().cpuSeconds());
            double streamCpu = median(rs, DrainRun.Result::drainCpuSeconds);
            double server = median(rs, DrainRun.Result::serverCpuSeconds);
            double refWall = median(ref, x -> x.process().wallSeconds());
            double refStream = median(ref, DrainRun.Result::streamSeconds);
            long rss = rs.stream().mapToLong(x -> x.process().peakRssBytes()).max().orElse(0);
            String heap = c.isJava() ? mb(rs.stream().mapToLong(x -> x.reports().get(0).peakHeapBytes()).max()
                    .orElse(0)) : "–";
            String afterGc = c.isJava() ? mb(rs.stream().mapToLong(x -> x.reports().get(0).heapAfterGcBytes()).max()
                    .orElse(0)) : "–";
            System.out.printf(Locale.ROOT, "| %s | %,.0f | %.1f | %.2f× | %,.0f | %.2f× | %.2f | %.2f | %.2f | %.2f | %s | %s "
                            + "| %s | %s | %s | %s |%n", c.name(), events / wall, o.walMb() * c.parallel() / wall, refWall / wall, events / stream,
                    refStream / stream, median(rs, DrainRun.Result::firstEventSeconds), wall, cpu, cpu * 1e6 / events,
                    c.isJava() ? String.format(Locale.ROOT, "%.2f", streamCpu * 1e6 / events) : "–", num(server),
                    num(server * 1e6 / events), mb(rss), heap, afterGc);
        }
        System.out.printf(Locale.ROOT, "%nevents = %,d pgoutput messages per slot (%,d row changes; each one exchange in a "
                + "camel route), %.1f MB of WAL; all contenders read the same WAL. events/s: from the whole process's wall "
                + "time (JVM and Camel start included); stream: from the worker's own clock (ours/pgjdbc: connect to the "
                + "last commit; camel: route start to the last row), pg_recvlogical the whole process. start → first "
                + "event: from process launch (pg_recvlogical: to its 'streaming initiated'). client CPU: user+system "
                + "of the process(es); server CPU: the walsender(s) and any backend they opened. Medians of %d "
                + "round(s); RSS and heap are maxima. Java workers: -Xmx256m -XX:+UseSerialGC unless said otherwise; "
                + "the camel context has Camel's defaults (JMX on: camel-management is on the test class path).%n",
                eventsPerSlot, o.workload().rows(), o.walMb(), o.results().values().iterator().next().size());
    }

    private static List<DrainRun.Result> reference(Map<Contender, List<DrainRun.Result>> results, Contender c) {
        List<DrainRun.Result> sameTransport = null;
        List<DrainRun.Result> tcp = null;
        for (Map.Entry<Contender, List<DrainRun.Result>> e : results.entrySet()) {
            Contender k = e.getKey();
            if (k.client() == Contender.Client.RECVLOGICAL && k.parallel() == c.parallel()) {
                if (k.transport() == c.transport()) {
                    sameTransport = e.getValue();
                } else if (k.transport() == Contender.Transport.TCP) {
                    tcp = e.getValue();
                }
            }
        }
        if (sameTransport != null) {
            return sameTransport;
        }
        return tcp != null ? tcp : results.values().iterator().next();
    }

    /** "–" where nothing was measured (the server's CPU of a replayed stream). */
    private static String num(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.2f", v);
    }

    /** Megabytes; "–" for 0 (no collection ran, so nothing was measured after one). */
    private static String mb(long bytes) {
        return bytes == 0 ? "–" : String.format(Locale.ROOT, "%.0f", bytes / 1e6);
    }

    static double median(List<DrainRun.Result> rs, ToDoubleFunction<DrainRun.Result> f) {
        double[] v = rs.stream().mapToDouble(f).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
