package io.camelpgrepl.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Drains the same WAL backlog with {@code pg_recvlogical}, pgjdbc's replication stream and our client, each in its
 * own process and with a slot of its own, for several rounds, and prints events/s, MB/s, client CPU seconds and
 * peak RSS (medians; RSS is the maximum).
 *
 * <p>Run: {@code ./mvnw -pl camel-pgrepl -Pdrain-bench verify -DskipTests} (see README). System properties:
 * {@code rows} (1,000,000), {@code rounds} (3), {@code pgrepl.test.pg.version}.
 */
public final class DrainBenchmark {

    private DrainBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rows = Integer.getInteger("rows", 1_000_000);
        int rounds = Integer.getInteger("rounds", 3);
        List<String> kinds = List.of("ours", "pgjdbc", DrainRun.RECVLOGICAL);
        try (DrainRun run = DrainRun.prepare(rows, rounds, kinds)) {
            Map<String, DrainRun.Contender> contenders = new LinkedHashMap<>();
            contenders.put("ours", run.onSlot("ours", r -> run.javaCommand(DrainWorker.class, "ours", r, "ours")));
            contenders.put("pgjdbc", run.onSlot("pgjdbc", r -> run.javaCommand(DrainWorker.class, "pgjdbc", r, "pgjdbc")));
            contenders.put(DrainRun.RECVLOGICAL, run.onSlot(DrainRun.RECVLOGICAL, run::recvlogicalCommand));
            Map<String, List<DrainRun.Result>> results = run.run(contenders);
            long events = results.get("ours").get(0).report().events();
            run.printTable(results, events, DrainRun.Clock.WORKER);
            System.out.printf(Locale.ROOT, "%nevents = %,d pgoutput messages per drain (all clients read the same WAL); "
                    + "events/s from the drain time: for the Java clients from connect() to the target's commit, as "
                    + "they report it (JVM start excluded; 'process wall s' includes it), for pg_recvlogical the "
                    + "whole process; medians of %d rounds.%n", events, rounds);
        }
    }
}
