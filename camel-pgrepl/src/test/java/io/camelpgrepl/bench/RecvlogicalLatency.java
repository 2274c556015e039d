package io.camelpgrepl.bench;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import io.camelpgrepl.client.wire.PgTime;

/**
 * pg_recvlogical's own commit-to-arrival latency, as the reference for {@link LatencyWorker}: pg_recvlogical streams
 * the slot (pgoutput v1) to its stdout, which it writes with one {@code write} per message followed by a newline, and
 * a thread of this JVM reads the pipe, walks the messages (Begin, Relation, Type, Origin, Insert, Commit) and takes the
 * time of each Insert's arrival. The pipe and this reader add a hop that pg_recvlogical writing to a file would not.
 */
final class RecvlogicalLatency implements AutoCloseable {

    private final Process process;
    private final Thread reader;
    private final LatencyRecorder recorder;
    private volatile boolean sentinelSeen;
    private volatile Exception failure;

    private RecvlogicalLatency(Process process, LatencyRecorder recorder) {
        this.process = process;
        this.recorder = recorder;
        this.reader = new Thread(this::read, "recvlogical-latency");
        reader.setDaemon(true);
        reader.start();
    }

    static RecvlogicalLatency start(BenchServer s, String slot, LatencyRecorder recorder) throws IOException {
        Process p = new ProcessBuilder(s.recvlogical.toString(), "-d", "host=" + s.pg.host() + " port=" + s.pg.port()
                + " user=" + BenchServer.USER + " dbname=" + BenchServer.DB + " sslmode=disable", "-S", slot,
                "--start", "--no-loop", "-f", "-", "-F", "0", "-o", "proto_version=1",
                "-o", "publication_names=" + BenchServer.PUB, "-s", "10")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        return new RecvlogicalLatency(p, recorder);
    }

    /** Waits for the sentinel row, then ends pg_recvlogical; returns its CPU seconds. */
    double awaitSentinel(long timeoutSeconds) throws Exception {
        reader.join(TimeUnit.SECONDS.toMillis(timeoutSeconds));
        double cpu = BenchServer.processCpuSeconds(process.pid());
        if (failure != null) {
            throw failure;
        }
        if (!sentinelSeen) {
            throw new IllegalStateException("pg_recvlogical: the sentinel row never arrived");
        }
        return cpu;
    }

    private void read() {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(process.getInputStream(), 1 << 16))) {
            Instant commitTime = null;
            while (true) {
                int type = in.read();
                if (type < 0) {
                    throw new EOFException("pg_recvlogical ended before the sentinel row");
                }
                switch (type) {
                    case 'B' -> {
                        in.readLong(); // final LSN
                        commitTime = PgTime.toInstant(in.readLong());
                        in.readInt(); // xid
                    }
                    case 'C' -> in.skipNBytes(1 + 8 + 8 + 8);
                    case 'R' -> {
                        in.readInt();
                        cstring(in);
                        cstring(in);
                        in.readByte();
                        for (int n = in.readShort(), i = 0; i < n; i++) {
                            in.readByte();
                            cstring(in);
                            in.skipNBytes(8);
                        }
                    }
                    case 'Y' -> {
                        in.readInt();
                        cstring(in);
                        cstring(in);
                    }
                    case 'O' -> {
                        in.readLong();
                        cstring(in);
                    }
                    case 'I' -> {
                        in.readInt();
                        in.readByte(); // 'N'
                        Instant now = Instant.now();
                        String first = null;
                        for (int n = in.readShort(), i = 0; i < n; i++) {
                            int kind = in.readByte();
                            if (kind == 't' || kind == 'b') {
                                byte[] v = in.readNBytes(in.readInt());
                                if (i == 0) {
                                    first = new String(v, StandardCharsets.UTF_8);
                                }
                            }
                        }
                        if (String.valueOf(LatencyWorker.SENTINEL).equals(first)) {
                            sentinelSeen = true;
                            return;
                        }
                        recorder.record(commitTime, now);
                    }
                    default -> throw new IOException("pg_recvlogical wrote an unexpected message '" + (char) type + "'");
                }
                if (in.read() != '\n') {
                    throw new IOException("pg_recvlogical's output lost its framing after a '" + (char) type + "'");
                }
            }
        } catch (Exception e) {
            failure = e;
        }
    }

    private static void cstring(DataInputStream in) throws IOException {
        int b;
        while ((b = in.read()) > 0) {
            // skip to the terminating zero
        }
        if (b < 0) {
            throw new EOFException();
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
