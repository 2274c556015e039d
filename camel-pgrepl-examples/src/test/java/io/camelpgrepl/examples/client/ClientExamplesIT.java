package io.camelpgrepl.examples.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import io.camelpgrepl.client.Lsn;
import io.camelpgrepl.pgoutput.RowChange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The seed's examples in Java, each run against one embedded PostgreSQL with TLS (a slot of its own per test). */
class ClientExamplesIT {

    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());
    private static Playground playground;

    @BeforeAll
    static void start() {
        playground = Playground.start(true);
    }

    @AfterAll
    static void stop() {
        playground.close();
    }

    @Test
    void basicStreamsFromTheStartLsnAndAcknowledgesEachCommit() throws Exception {
        PgEnvironment env = withNewSlot(playground.environment(), "basic_slot");
        PgEnvironment fromStart = withNewSlot(env, "basic_from_start_slot");
        playground.insert(3);

        List<Lsn> commits = BasicExample.stream(env.replicationConfig().build(), 3, QUIET);
        List<Lsn> afterSecond = BasicExample.stream(
                fromStart.with("START_LSN", commits.get(1).toString()).replicationConfig().build(), 1, QUIET);

        assertThat(commits).as("three one-row transactions").hasSize(3);
        assertThat(confirmedFlush("basic_slot")).as("the last commit was acknowledged").isEqualTo(commits.get(2));
        assertThat(afterSecond).as("START_LSN skips what committed at or before it").containsExactly(commits.get(2));
    }

    @Test
    void tlsVerifiesTheServerAgainstTheCaAndLogsInWithScram() throws Exception {
        PgEnvironment env = withNewSlot(playground.tlsEnvironment(false), "tls_slot");
        playground.insert(2);

        List<Lsn> commits = BasicExample.stream(TlsExample.config(env, false), 2, QUIET);

        assertThat(commits).as("both transactions, over TLS (the user's pg_hba line is hostssl)").hasSize(2);
        assertThatThrownBy(() -> TlsExample.config(PgEnvironment.of(java.util.Map.of()), false))
                .as("no CA, no example").hasMessageContaining("PGTLS_CA");
    }

    @Test
    void mtlsLogsInWithTheClientCertificate() throws Exception {
        PgEnvironment env = withNewSlot(playground.tlsEnvironment(true), "mtls_slot");
        playground.insert(2);

        List<Lsn> commits = BasicExample.stream(TlsExample.config(env, true), 2, QUIET);

        assertThat(commits).as("both transactions, as cert_user (pg_hba: hostssl ... cert)").hasSize(2);
        assertThatThrownBy(() -> TlsExample.config(env.with("PGTLS_CLIENT_KEY", " "), true))
                .hasMessageContaining("PGTLS_CLIENT_KEY");
    }

    @Test
    void boundedReplayDeliversUpToTheBoundAndCanBeRepeated() throws Exception {
        PgEnvironment env = withNewSlot(playground.environment(), "replay_slot");
        int[] ids = playground.insert(2);
        String bound = playground.currentWalLsn();
        playground.insert(1); // after the bound

        List<RowChange> first = BoundedReplayExample.replay(env.with("STOP_LSN", bound));
        List<RowChange> again = BoundedReplayExample.replay(env.with("STOP_LSN", bound));

        assertThat(idsOf(first)).as("the rows committed before the bound, not the one after")
                .containsExactly(ids[0], ids[1]);
        assertThat(idsOf(again)).as("nothing was acknowledged: the same replay again").isEqualTo(idsOf(first));
    }

    @Test
    void checkpointedResumesAfterAKillWithoutAGap(@TempDir Path dir) throws Exception {
        PgEnvironment env = withNewSlot(playground.environment(), "checkpoint_slot")
                .with("CHECKPOINT_FILE", dir.resolve("checkpoint.lsn").toString());
        int[] before = playground.insert(5);

        Process first = startInItsOwnJvm(env);
        List<String> output = Collections.synchronizedList(new ArrayList<>());
        Thread reader = readLines(first, output);
        await().atMost(Duration.ofSeconds(30)).until(() -> countStartingWith(output, "checkpoint ") == 5);
        first.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // SIGKILL: no CopyDone, no final status update
        reader.join(5000);
        int[] after = playground.insert(5);
        String bound = playground.currentWalLsn();
        playground.insert(1); // past the bound: its Begin ends the bounded run at once
        Lsn saved = CheckpointedExample.load(Path.of(env.get("CHECKPOINT_FILE", null)));

        List<String> second = capture(() -> CheckpointedExample.run(env.with("STOP_LSN", bound)));

        assertThat(idsIn(output)).as("the first run saw the first five rows").containsExactlyElementsOf(list(before));
        assertThat(saved.toString()).as("the file holds the last checkpoint printed")
                .isEqualTo(lastStartingWith(output, "checkpoint ").substring("checkpoint ".length()));
        assertThat(idsIn(second)).as("the second run starts right after the saved commit: no gap, nothing twice")
                .containsExactlyElementsOf(list(after));
    }

    // --- helpers

    private static PgEnvironment withNewSlot(PgEnvironment env, String slot) {
        playground.server().createSlot("postgres", slot, false);
        return env.with("PGSLOT", slot);
    }

    private static Lsn confirmedFlush(String slot) {
        return Lsn.parse(playground.server().queryString("postgres",
                "SELECT confirmed_flush_lsn::text FROM pg_replication_slots WHERE slot_name = ?", slot));
    }

    private static List<Integer> idsOf(List<RowChange> rows) {
        return rows.stream().map(r -> ((Number) r.after().get("id")).intValue()).toList();
    }

    private static List<Integer> list(int[] ids) {
        return IntStream.of(ids).boxed().toList();
    }

    /** Row ids from printed lines like {@code INSERT public.example_items {id=3, name=item 3}}. */
    private static List<Integer> idsIn(List<String> lines) {
        List<Integer> ids = new ArrayList<>();
        synchronized (lines) {
            for (String line : lines) {
                if (line.startsWith("INSERT ")) {
                    int start = line.indexOf("id=") + 3;
                    ids.add(Integer.parseInt(line.substring(start, line.indexOf(',', start))));
                }
            }
        }
        return ids;
    }

    private static long countStartingWith(List<String> lines, String prefix) {
        synchronized (lines) {
            return lines.stream().filter(l -> l.startsWith(prefix)).count();
        }
    }

    private static String lastStartingWith(List<String> lines, String prefix) {
        synchronized (lines) {
            return lines.stream().filter(l -> l.startsWith(prefix)).reduce((a, b) -> b).orElseThrow();
        }
    }

    /** The example as users run it: its own JVM (the test's class path), settings as environment variables. */
    private static Process startInItsOwnJvm(PgEnvironment env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), CheckpointedExample.class.getName());
        for (String name : List.of("PGHOST", "PGPORT", "PGDATABASE", "PGUSER", "PGSLOT", "PGPUBLICATION",
                "CHECKPOINT_FILE")) {
            pb.environment().put(name, env.get(name, ""));
        }
        pb.redirectErrorStream(true);
        return pb.start();
    }

    private static Thread readLines(Process process, List<String> into) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    into.add(line);
                }
            } catch (java.io.IOException ignored) {
                // the process was killed
            }
        }, "checkpointed-example-output");
        t.setDaemon(true);
        t.start();
        return t;
    }

    interface Body {
        void run() throws Exception;
    }

    /** What {@code body} prints to System.out, line by line (the examples print, as the seed's do). */
    private static List<String> capture(Body body) throws Exception {
        PrintStream original = System.out;
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            body.run();
        } finally {
            System.setOut(original);
        }
        return List.of(bytes.toString(StandardCharsets.UTF_8).split("\n"));
    }
}
