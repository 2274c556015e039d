package io.camelpgrepl.bench;

import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The end-to-end drain: the backlog drained through a {@code pgrepl:} route ({@code outputFormat=change}, normal
 * acknowledgement) into a counting processor, in a JVM of its own with {@code -Xmx256m}, next to
 * {@code pg_recvlogical} and our raw client draining the same WAL, each from a slot of its own created before the
 * backlog was written.
 *
 * <p>Run: {@code ./mvnw -B -pl camel-pgrepl -am -Pcamel-drain-bench verify -DskipTests} (see README). System
 * properties: {@code rows} (1,000,000), {@code rounds} (3), {@code camel.uriOptions} (appended to the endpoint URI,
 * e.g. {@code maxInflight=64}; empty = the component defaults), {@code bench.jvmOptions} (extra options for the
 * Java workers, e.g. {@code -XX:StartFlightRecording=...}), {@code pgrepl.test.pg.version}, and
 * {@code bench.baseline.classes}: a directory with another build's main classes (e.g. an older commit's
 * {@code target/classes}); a contender {@code camel@baseline} then runs the same route on them, in the same rounds,
 * for an A/B comparison that load from other processes affects alike.
 */
public final class CamelDrainBenchmark {

    private static final String BASELINE = "camel@baseline";

    private CamelDrainBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rows = Integer.getInteger("rows", 1_000_000);
        int rounds = Integer.getInteger("rounds", 3);
        String uriOptions = System.getProperty("camel.uriOptions", "").trim();
        String baseline = System.getProperty("bench.baseline.classes", "").trim();
        List<String> kinds = new ArrayList<>(List.of("camel", "ours", DrainRun.RECVLOGICAL));
        if (!baseline.isEmpty()) {
            kinds.add(1, BASELINE);
        }
        try (DrainRun run = DrainRun.prepare(rows, rounds, kinds)) {
            Map<String, IntFunction<List<String>>> contenders = new LinkedHashMap<>();
            contenders.put("camel", r -> run.javaCommand(CamelDrainWorker.class, "camel", r, String.valueOf(rows),
                    uriOptions));
            if (!baseline.isEmpty()) {
                String cp = baseline + File.pathSeparator + System.getProperty("java.class.path");
                contenders.put(BASELINE, r -> run.javaCommand(CamelDrainWorker.class, cp, BASELINE, r,
                        String.valueOf(rows), uriOptions));
            }
            contenders.put("ours", r -> run.javaCommand(DrainWorker.class, "ours", r, "ours"));
            contenders.put(DrainRun.RECVLOGICAL, run::recvlogicalCommand);
            Map<String, List<DrainRun.Result>> results = run.run(contenders);
            long events = results.get("ours").get(0).report().events();
            long counted = results.get("camel").get(0).report().events();
            if (counted != rows) {
                throw new IllegalStateException("the route counted " + counted + " row changes, expected " + rows);
            }
            run.printTable(results, events, DrainRun.Clock.WORKER);
            System.out.printf(Locale.ROOT, "%nevents = %,d pgoutput messages per drain (%,d row changes, each one exchange "
                    + "in the camel route, options: %s); all contenders read the same WAL. drain s: camel from route "
                    + "start to the last row counted, ours from connect to the last commit, pg_recvlogical the whole "
                    + "process; process wall s includes JVM start. Medians of %d rounds; RSS and heap are maxima "
                    + "(-Xmx256m -XX:+UseSerialGC).%n", events, rows, uriOptions.isEmpty() ? "defaults" : uriOptions,
                    rounds);
        }
    }
}
