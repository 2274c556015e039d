package io.camelpgrepl.bench;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.camelpgrepl.client.Lsn;

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
 * for an A/B comparison that load from other processes affects alike; {@code bench.replay=true}: the Java
 * contenders read the backlog's replication stream recorded once and served from a file by a {@link ReplayServer}
 * (their speed alone, no walsender competing for the CPU), pg_recvlogical still drains the real server.
 */
public final class CamelDrainBenchmark {

    private static final String CAMEL = "camel";
    private static final String BASELINE = "camel@baseline";
    private static final String OURS = "ours";
    private static final String RECORD = "record";
    private static final String REPLAYED = " (replay)";

    private CamelDrainBenchmark() {
    }

    /** Builds a Java contender's command for a class path, a server and a round. */
    private interface JavaCommand {
        List<String> build(String classPath, String host, int port, int round);
    }

    public static void main(String[] args) throws Exception {
        int rows = Integer.getInteger("rows", 1_000_000);
        int rounds = Integer.getInteger("rounds", 3);
        String uriOptions = System.getProperty("camel.uriOptions", "").trim();
        String baseline = System.getProperty("bench.baseline.classes", "").trim();
        boolean replay = Boolean.getBoolean("bench.replay");
        String classPath = System.getProperty("java.class.path");

        Map<String, String> javaKinds = new LinkedHashMap<>(); // name -> class path
        javaKinds.put(CAMEL, classPath);
        if (!baseline.isEmpty()) {
            javaKinds.put(BASELINE, baseline + File.pathSeparator + classPath);
        }
        javaKinds.put(OURS, classPath);
        List<String> slotKinds = new ArrayList<>(replay ? List.of(RECORD) : javaKinds.keySet());
        slotKinds.add(DrainRun.RECVLOGICAL);
        try (DrainRun run = DrainRun.prepare(rows, rounds, slotKinds)) {
            Path frames = replay ? ReplayServer.record(run, DrainRun.slot(RECORD, 0)) : null;
            Map<String, DrainRun.Contender> contenders = new LinkedHashMap<>();
            for (Map.Entry<String, String> k : javaKinds.entrySet()) {
                String name = k.getKey();
                JavaCommand command = name.equals(OURS)
                        ? (cp, host, port, r) -> run.javaCommand(DrainWorker.class, cp, host, port, name, r, "ours")
                        : (cp, host, port, r) -> run.javaCommand(CamelDrainWorker.class, cp, host, port, name, r,
                                String.valueOf(rows), uriOptions);
                contenders.put(replay ? name + REPLAYED : name, replay ? replayed(frames, command, k.getValue())
                        : run.onSlot(name, r -> command.build(k.getValue(), run.pg.host(), run.pg.port(), r)));
            }
            contenders.put(DrainRun.RECVLOGICAL, run.onSlot(DrainRun.RECVLOGICAL, run::recvlogicalCommand));
            Map<String, List<DrainRun.Result>> results = run.run(contenders);
            long events = results.get(replay ? OURS + REPLAYED : OURS).get(0).report().events();
            long counted = results.get(replay ? CAMEL + REPLAYED : CAMEL).get(0).report().events();
            if (counted != rows) {
                throw new IllegalStateException("the route counted " + counted + " row changes, expected " + rows);
            }
            run.printTable(results, events, DrainRun.Clock.WORKER);
            System.out.printf(Locale.ROOT, "%nevents = %,d pgoutput messages per drain (%,d row changes, each one exchange "
                    + "in the camel route, options: %s); all contenders read the same WAL. drain s: camel from route "
                    + "start to the last row counted, ours from connect to the last commit, pg_recvlogical the whole "
                    + "process; process wall s includes JVM start. Medians of %d rounds; RSS and heap are maxima "
                    + "(-Xmx256m -XX:+UseSerialGC). The camel context has Camel's defaults, JMX included (camel-management"
                    + " is on the test class path; -Dbench.jvmOptions=-Dorg.apache.camel.jmx.disabled=true turns it off)."
                    + "%s%n", events, rows, uriOptions.isEmpty() ? "defaults" : uriOptions, rounds,
                    replay ? " (replay): the recorded stream served from a file, no walsender involved." : "");
        }
    }

    /** A Java contender reading the recorded stream from a {@link ReplayServer} started for its round. */
    private static DrainRun.Contender replayed(Path frames, JavaCommand command, String classPath) {
        return new DrainRun.Contender() {
            private ReplayServer server;

            @Override
            public List<String> start(int round) throws Exception {
                server = ReplayServer.serve(frames);
                return command.build(classPath, "127.0.0.1", server.port(), round);
            }

            @Override
            public Lsn confirmed(int round) throws Exception {
                try (ReplayServer s = server) {
                    return s.confirmed();
                }
            }
        };
    }
}
