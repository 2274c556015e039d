package io.camelpgrepl.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Runs one command, or several side by side, as children of {@code bash} and measures them from outside: wall
 * time, CPU seconds (user + system of all of them, from bash's {@code times} after they exited), peak RSS (the sum
 * of the children's VmHWM, sampled while they run) and when a marker line first appeared on their stderr (a worker's
 * first event). Other stderr lines are passed on to this process's stderr.
 */
final class ProcessMeter {

    /** What a Java worker prints on stderr when its first event arrived. */
    static final String FIRST_EVENT = "FIRST_EVENT";

    record Measurement(double wallSeconds, double cpuSeconds, long peakRssBytes, List<String> stdout,
                       Map<String, Double> markerSeconds) {

        /** Seconds from process start until {@code marker} first appeared on stderr, NaN if it never did. */
        double marker(String marker) {
            return markerSeconds.getOrDefault(marker, Double.NaN);
        }
    }

    /** A started run. */
    static final class Running {
        private final List<String> description;
        private final Process process;
        private final Path out;
        private final long start;
        private final Map<String, Double> markers = new ConcurrentHashMap<>();
        private final Thread stderr;
        private long peak;

        private Running(List<List<String>> commands, List<String> markerTexts) throws IOException {
            description = commands.stream().map(c -> String.join(" ", c)).toList();
            StringBuilder script = new StringBuilder();
            for (int i = 0; i < commands.size(); i++) {
                for (String c : commands.get(i)) {
                    script.append('\'').append(c.replace("'", "'\\''")).append("' ");
                }
                script.append("& p").append(i).append("=$!; ");
            }
            script.append("rc=0; ");
            for (int i = 0; i < commands.size(); i++) {
                script.append("wait $p").append(i).append(" || rc=$?; ");
            }
            script.append("times; exit $rc");
            out = Files.createTempFile("drain", ".out");
            ProcessBuilder pb = new ProcessBuilder("bash", "-c", script.toString()).redirectOutput(out.toFile());
            start = System.nanoTime();
            process = pb.start();
            stderr = new Thread(() -> forwardStderr(markerTexts), "stderr-" + process.pid());
            stderr.setDaemon(true);
            stderr.start();
        }

        private void forwardStderr(List<String> markerTexts) {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    boolean marker = false;
                    for (String m : markerTexts) {
                        if (line.contains(m)) {
                            markers.putIfAbsent(m, (System.nanoTime() - start) / 1e9);
                            marker = line.trim().equals(m);
                            synchronized (this) {
                                notifyAll();
                            }
                        }
                    }
                    if (!marker && !isChatter(line)) {
                        System.err.println(line);
                    }
                }
            } catch (IOException e) {
                System.err.println("(stderr of " + description + " lost: " + e + ")");
            }
        }

        /** pg_recvlogical -v (for its "streaming initiated") also logs every status update it sends. */
        private static boolean isChatter(String line) {
            return line.contains("confirming write up to") || line.contains("starting log streaming")
                    || line.contains("streaming initiated") || line.contains("end position");
        }

        /** Waits until {@code marker} appeared on stderr; false on timeout or when the process ended first. */
        boolean awaitMarker(String marker, long timeoutSeconds) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
            synchronized (this) {
                while (!markers.containsKey(marker) && process.isAlive() && System.nanoTime() < deadline) {
                    wait(20);
                    samplePeak();
                }
            }
            return markers.containsKey(marker);
        }

        private void samplePeak() {
            long sum = 0;
            for (ProcessHandle child : process.toHandle().children().toList()) {
                sum += vmHwm(child.pid());
            }
            peak = Math.max(peak, sum);
        }

        /** Waits for the end (sampling RSS meanwhile) and returns the measurement; fails on a non-zero exit. */
        Measurement finish(long timeoutSeconds) throws IOException, InterruptedException {
            while (!process.waitFor(20, TimeUnit.MILLISECONDS)) {
                samplePeak();
                if (System.nanoTime() - start > TimeUnit.SECONDS.toNanos(timeoutSeconds)) {
                    process.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                    throw new IOException("timed out after " + timeoutSeconds + " s: " + description);
                }
            }
            double wall = (System.nanoTime() - start) / 1e9;
            stderr.join(5_000);
            List<String> lines = new ArrayList<>(Files.readAllLines(out, StandardCharsets.UTF_8));
            Files.deleteIfExists(out);
            if (process.exitValue() != 0) {
                throw new IOException("exit " + process.exitValue() + ": " + description + "\n" + String.join("\n", lines));
            }
            // `times` prints two lines: the shell's own user/sys, then its children's.
            String children = lines.remove(lines.size() - 1);
            lines.remove(lines.size() - 1);
            String[] parts = children.trim().split("\\s+");
            double cpu = seconds(parts[0]) + seconds(parts[1]);
            return new Measurement(wall, cpu, peak, lines, Map.copyOf(markers));
        }
    }

    private ProcessMeter() {
    }

    /** Starts {@code commands} side by side; stderr lines containing one of {@code markers} are timed. */
    static Running start(List<List<String>> commands, List<String> markers) throws IOException {
        return new Running(commands, markers);
    }

    /** Runs {@code command} to its end. */
    static Measurement run(List<String> command, List<String> markers, long timeoutSeconds)
            throws IOException, InterruptedException {
        return start(List.of(command), markers).finish(timeoutSeconds);
    }

    /** bash's {@code 1m2.345s}. */
    private static double seconds(String t) {
        int m = t.indexOf('m');
        return Double.parseDouble(t.substring(0, m)) * 60 + Double.parseDouble(t.substring(m + 1, t.length() - 1));
    }

    private static long vmHwm(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException gone) {
            // the process has exited between listing and reading
        }
        return 0;
    }
}
