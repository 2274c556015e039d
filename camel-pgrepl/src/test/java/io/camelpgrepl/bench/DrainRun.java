package io.camelpgrepl.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.camelpgrepl.client.Lsn;

/**
 * One workload drained by several contenders for several rounds: slots for every contender and round created before
 * the backlog is written (so that every slot sees all of it), each contender run in processes of its own per round
 * (the order rotates from round to round) and measured by {@link ProcessMeter} and by the server's CPU for the
 * connections it opened; afterwards the slots are dropped. Java contenders print a {@link WorkerReport}.
 */
final class DrainRun {

    private static final long TIMEOUT_SECONDS = 1800;
    private static final String RECORD = "record";

    /** One round of one contender. */
    record Result(ProcessMeter.Measurement process, List<WorkerReport> reports, double serverCpuSeconds,
                  double firstEventSeconds) {

        /** Seconds by the workers' own clocks (the slowest, for parallel drains), else the process wall time. */
        double streamSeconds() {
            return reports.isEmpty() ? process.wallSeconds()
                    : reports.stream().mapToDouble(WorkerReport::drainSeconds).max().orElseThrow();
        }

        /** CPU seconds of the drain itself where the workers report them, else of the whole process. */
        double drainCpuSeconds() {
            return reports.isEmpty() ? process.cpuSeconds()
                    : reports.stream().mapToDouble(WorkerReport::drainCpuSeconds).sum();
        }
    }

    /** What a run produced: the backlog's size, and the results by contender. */
    record Outcome(Workload workload, double walMb, long eventsPerSlot, Map<Contender, List<Result>> results) {
    }

    private DrainRun() {
    }

    /**
     * Sets the workload up (headed by the benchmark part's name), creates the slots, writes the backlog, runs every contender once per round and drops the
     * slots. {@code extra} arguments go to every Java worker.
     */
    static Outcome run(BenchServer s, String part, Workload w, List<Contender> contenders, int rounds, String... extra)
            throws Exception {
        w.setUp(s);
        List<String> slots = new ArrayList<>();
        boolean replay = contenders.stream().anyMatch(c -> c.transport() == Contender.Transport.REPLAY);
        String recordSlot = "b_" + w.name() + "_" + RECORD;
        if (replay) {
            slots.add(recordSlot);
        }
        for (int r = 0; r < rounds; r++) {
            for (Contender c : contenders) {
                if (c.transport() != Contender.Transport.REPLAY) {
                    slots.addAll(c.slots(w.name(), r));
                }
            }
        }
        slots.forEach(s::createSlot);
        try {
            Lsn start = s.currentLsn();
            long written = System.nanoTime();
            Lsn target = w.write(s);
            double walMb = s.currentLsn().bytesSince(start) / 1e6;
            System.out.printf(Locale.ROOT, "%n## %s — %s%n%nBacklog: %.1f MB of WAL written in %.1f s (PostgreSQL %s), "
                    + "%d round(s), %d slot(s)%n", part, w.describe(), walMb, (System.nanoTime() - written) / 1e9,
                    s.version(), rounds, slots.size());
            Path frames = replay ? ReplayServer.record(s, recordSlot, target) : null;
            Map<Contender, List<Result>> results = new LinkedHashMap<>();
            contenders.forEach(c -> results.put(c, new ArrayList<>()));
            for (int r = 0; r < rounds; r++) {
                for (int i = 0; i < contenders.size(); i++) {
                    Contender c = contenders.get((i + r) % contenders.size());
                    results.get(c).add(runOne(s, w, c, r, target, frames, extra));
                }
            }
            long events = results.entrySet().stream().filter(e -> e.getKey().client() == Contender.Client.OURS
                            || e.getKey().client() == Contender.Client.PGJDBC)
                    .map(e -> e.getValue().get(0).reports().get(0).events() / e.getKey().parallel())
                    .findFirst().orElse(0L);
            return new Outcome(w, walMb, events, results);
        } finally {
            s.dropSlots(slots);
        }
    }

    private static Result runOne(BenchServer s, Workload w, Contender c, int round, Lsn target, Path frames,
                                 String... extra) throws Exception {
        List<String> slots = c.slots(w.name(), round);
        ReplayServer replay = c.transport() == Contender.Transport.REPLAY ? ReplayServer.serve(frames) : null;
        String host = replay != null ? "127.0.0.1" : s.pg.host();
        int port = replay != null ? replay.port() : s.pg.port();
        BenchServer.CpuMark mark = s.cpuMark();
        ProcessMeter.Measurement m = ProcessMeter.start(c.commands(s, host, port, slots, target, w.rows(), extra),
                Contender.MARKERS).finish(TIMEOUT_SECONDS);
        double serverCpu = replay != null ? Double.NaN : s.serverCpuSince(mark);
        List<WorkerReport> reports = c.isJava() ? List.of(WorkerReport.parse(m.stdout())) : List.of();
        Result result = new Result(m, reports, serverCpu, c.firstEventSeconds(m));
        Lsn confirmed = Lsn.INVALID;
        if (replay != null) {
            try (ReplayServer r = replay) {
                confirmed = r.confirmed();
            }
        } else {
            confirmed = slots.stream().map(s::confirmedFlush).min(Lsn::compareTo).orElseThrow();
        }
        if (c.client() == Contender.Client.CAMEL && reports.get(0).events() != (long) w.rows() * slots.size()) {
            throw new IllegalStateException(c.name() + " counted " + reports.get(0).events() + " row changes, expected "
                    + (long) w.rows() * slots.size());
        }
        System.out.printf(Locale.ROOT, "round %d %-22s %7.2f s wall %7.2f s CPU %6.2f s server CPU %5.0f MB RSS "
                        + "first event %5.2f s%s  confirmed %s%s%n", round + 1, c.name(), m.wallSeconds(),
                m.cpuSeconds(), serverCpu, m.peakRssBytes() / 1e6, result.firstEventSeconds(),
                reports.isEmpty() ? "" : String.format(Locale.ROOT, " %5.0f MB heap %7.2f s stream %7.2f s stream CPU",
                        reports.get(0).peakHeapBytes() / 1e6, result.streamSeconds(), result.drainCpuSeconds()),
                confirmed, !c.isJava() || confirmed.compareTo(target) >= 0 ? "" : " (BEHIND the target " + target + ")");
        return result;
    }
}
