package io.camelpgrepl.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command as a child of {@code bash} and measures it from outside: wall time, CPU seconds (user + system,
 * from bash's {@code times} after the child exits) and peak RSS (VmHWM of the child, sampled while it runs).
 */
final class ProcessMeter {

    record Measurement(double wallSeconds, double cpuSeconds, long peakRssBytes, List<String> stdout) {
    }

    private ProcessMeter() {
    }

    static Measurement run(List<String> command, long timeoutSeconds) throws IOException, InterruptedException {
        StringBuilder script = new StringBuilder();
        for (String c : command) {
            script.append('\'').append(c.replace("'", "'\\''")).append("' ");
        }
        script.append("; rc=$?; times; exit $rc");
        Path out = Files.createTempFile("drain", ".out");
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", script.toString()).redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        long start = System.nanoTime();
        Process p = pb.start();
        long peak = 0;
        while (!p.waitFor(20, TimeUnit.MILLISECONDS)) {
            for (ProcessHandle child : p.toHandle().children().toList()) {
                peak = Math.max(peak, vmHwm(child.pid()));
            }
            if (System.nanoTime() - start > TimeUnit.SECONDS.toNanos(timeoutSeconds)) {
                p.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new IOException("timed out after " + timeoutSeconds + " s: " + command);
            }
        }
        double wall = (System.nanoTime() - start) / 1e9;
        List<String> lines = new ArrayList<>(Files.readAllLines(out, StandardCharsets.UTF_8));
        Files.deleteIfExists(out);
        if (p.exitValue() != 0) {
            throw new IOException("exit " + p.exitValue() + ": " + command + "\n" + String.join("\n", lines));
        }
        // `times` prints two lines: the shell's own user/sys, then its children's.
        String children = lines.remove(lines.size() - 1);
        lines.remove(lines.size() - 1);
        String[] parts = children.trim().split("\\s+");
        double cpu = seconds(parts[0]) + seconds(parts[1]);
        return new Measurement(wall, cpu, peak, lines);
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
