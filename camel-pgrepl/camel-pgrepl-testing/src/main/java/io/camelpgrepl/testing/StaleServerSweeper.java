package io.camelpgrepl.testing;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Stops and deletes embedded servers whose JVM died without its shutdown hook (kill -9, a crashed
 * fork), so they do not pile up on a CI machine. Only touches {@code /tmp/pgrepl-*} directories that
 * carry an owner file written by this harness and whose owner process is gone.
 */
final class StaleServerSweeper {

    static final String OWNER_FILE = "owner.pid";

    private static boolean swept;

    private StaleServerSweeper() {
    }

    /** Marks {@code instanceDir} as belonging to this JVM. */
    static void claim(Path instanceDir) {
        try {
            Files.writeString(instanceDir.resolve(OWNER_FILE), Long.toString(ProcessHandle.current().pid()));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot write " + instanceDir.resolve(OWNER_FILE), e);
        }
    }

    /** Sweeps once per JVM; never fails a test because of someone else's leftovers. */
    static synchronized void sweepOnce(PostgresBinaries binaries) {
        if (swept) {
            return;
        }
        swept = true;
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(Path.of("/tmp"), "pgrepl-*")) {
            for (Path dir : dirs) {
                sweep(dir, binaries);
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("camel-pgrepl test harness: could not sweep stale servers: " + e.getMessage());
        }
    }

    private static void sweep(Path instanceDir, PostgresBinaries binaries) {
        Path owner = instanceDir.resolve(OWNER_FILE);
        try {
            if (!Files.isRegularFile(owner)) {
                return;
            }
            long pid = Long.parseLong(Files.readString(owner).trim());
            if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                return;
            }
            Path dataDir = instanceDir.resolve("data");
            if (Files.exists(dataDir.resolve("postmaster.pid"))) {
                try {
                    ProcessRunner.run(ServerOsUser.current().wrap(List.of(binaries.tool("pg_ctl").toString(), "-D",
                            dataDir.toString(), "-m", "immediate", "-w", "-t", "30", "stop")), instanceDir, 60);
                } catch (IllegalStateException e) {
                    // Not running any more (or another major's pg_ctl refused): delete the files anyway.
                }
            }
            PostgresBinaries.deleteTree(instanceDir);
        } catch (IOException | RuntimeException e) {
            System.err.println("camel-pgrepl test harness: could not sweep " + instanceDir + ": " + e.getMessage());
        }
    }
}
