package io.camelpgrepl.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.camelpgrepl.client.Lsn;
import io.camelpgrepl.testing.PostgresServer;

/**
 * The benchmarks' PostgreSQL: an embedded server (TLS on when asked; plain clients say {@code sslmode=disable})
 * with table {@code bench} and publication {@code bench_pub}; the client tools found next to it; slot helpers; and
 * the server-side CPU of the connections a run opened, read from the postmaster's reaped-children times.
 */
final class BenchServer implements AutoCloseable {

    static final String DB = "postgres";
    static final String USER = "postgres";
    static final String PUB = "bench_pub";
    private static final long CLOCK_TICKS = clockTicks();

    final PostgresServer pg;
    final Path recvlogical;
    private final long postmasterPid;

    private BenchServer(PostgresServer pg, Path recvlogical) throws IOException {
        this.pg = pg;
        this.recvlogical = recvlogical;
        this.postmasterPid = Long.parseLong(Files.readAllLines(pg.dataDir().resolve("postmaster.pid")).get(0).trim());
    }

    static BenchServer start(boolean tls) throws IOException {
        Path recvlogical = findTool("pg_recvlogical");
        PostgresServer pg = PostgresServer.start(PostgresServer.Options.builder().tls(tls)
                .setting("max_wal_size", "8GB").setting("shared_buffers", "512MB")
                .setting("checkpoint_timeout", "1h").setting("autovacuum", "off").build());
        try {
            pg.execute(DB, "CREATE TABLE bench (id bigint PRIMARY KEY, name text, amount numeric(12,2), "
                    + "created timestamptz, active bool, note text)", "CREATE SEQUENCE bench_seq",
                    "CREATE PUBLICATION " + PUB + " FOR TABLE bench");
            return new BenchServer(pg, recvlogical);
        } catch (IOException | RuntimeException e) {
            pg.close();
            throw e;
        }
    }

    String version() {
        return pg.queryString(DB, "SHOW server_version");
    }

    void createSlot(String slot) {
        pg.execute(DB, "SELECT pg_create_logical_replication_slot('" + slot + "', 'pgoutput')");
    }

    /** Drops the slots and checkpoints, so that the WAL they held can be recycled. */
    void dropSlots(List<String> slots) {
        for (String s : slots) {
            pg.execute(DB, "SELECT pg_drop_replication_slot('" + s + "')");
        }
        pg.execute(DB, "CHECKPOINT");
    }

    Lsn currentLsn() {
        return Lsn.parse(pg.queryString(DB, "SELECT pg_current_wal_lsn()"));
    }

    /** The slot's confirmed_flush_lsn (0/0 when it never confirmed anything). */
    Lsn confirmedFlush(String slot) {
        return Lsn.parse(pg.queryString(DB, "SELECT coalesce(confirmed_flush_lsn::text, '0/0') "
                + "FROM pg_replication_slots WHERE slot_name = ?", slot));
    }

    /** A mark to measure the server CPU of connections opened after it. */
    record CpuMark(Set<Long> children, long reapedTicks) {
    }

    CpuMark cpuMark() {
        return new CpuMark(children(), reapedChildTicks());
    }

    /**
     * CPU seconds the server's processes started since {@code mark} used (walsenders, mostly): waits until they have
     * exited and been reaped, which adds their time to the postmaster's children times.
     */
    double serverCpuSince(CpuMark mark) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            Set<Long> now = children();
            now.removeAll(mark.children());
            if (now.isEmpty()) {
                break;
            }
            Thread.sleep(10);
        }
        return (reapedChildTicks() - mark.reapedTicks()) / (double) CLOCK_TICKS;
    }

    private Set<Long> children() {
        return ProcessHandle.of(postmasterPid).map(p -> p.children().map(ProcessHandle::pid)
                .collect(Collectors.toSet())).orElseThrow(() -> new IllegalStateException("postmaster is gone"));
    }

    /** User + system CPU seconds of a live process {@code pid} (utime + stime of /proc/pid/stat); NaN if gone. */
    static double processCpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / (double) CLOCK_TICKS;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** cutime + cstime of the postmaster (fields 16 and 17 of /proc/pid/stat, after the command name). */
    private long reapedChildTicks() {
        try {
            String stat = Files.readString(Path.of("/proc/" + postmasterPid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[13]) + Long.parseLong(f[14]);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the postmaster's CPU times", e);
        }
    }

    private static long clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").start();
            return Long.parseLong(new String(p.getInputStream().readAllBytes()).trim());
        } catch (IOException | RuntimeException e) {
            return 100;
        }
    }

    /**
     * A PostgreSQL client tool: {@code -D<name>=path}, else the newest {@code /usr/lib/postgresql/N/bin/<name>}.
     */
    static Path findTool(String name) throws IOException {
        String explicit = System.getProperty(name);
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        Path root = Path.of("/usr/lib/postgresql");
        if (Files.isDirectory(root)) {
            try (Stream<Path> s = Files.list(root)) {
                var found = s.map(p -> p.resolve("bin").resolve(name)).filter(Files::isExecutable)
                        .max(Comparator.naturalOrder());
                if (found.isPresent()) {
                    return found.get();
                }
            }
        }
        throw new IllegalStateException(name + " not found: install the PostgreSQL client package "
                + "(apt-get install postgresql-client) or pass -D" + name + "=/path/to/" + name);
    }

    @Override
    public void close() {
        pg.close();
    }
}
