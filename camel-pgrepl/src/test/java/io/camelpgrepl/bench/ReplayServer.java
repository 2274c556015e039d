package io.camelpgrepl.bench;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.camelpgrepl.client.Lsn;
import io.camelpgrepl.client.ReplicationClient;
import io.camelpgrepl.client.ReplicationConfig;
import io.camelpgrepl.client.ReplicationEvent;
import io.camelpgrepl.client.SslMode;
import io.camelpgrepl.client.fake.FakePgServer;
import io.camelpgrepl.client.wire.StandbyStatusUpdate;

/**
 * The backlog's replication stream recorded once (every XLogData frame as the server sent it) and replayed from a
 * file to one connection at a time, as fast as the client reads: a drain whose speed is the client's (and the
 * route's) alone, with no walsender competing for the CPU.
 */
final class ReplayServer implements AutoCloseable {

    private final FakePgServer server;
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile Lsn flushed = Lsn.INVALID;

    private ReplayServer(Path frames) throws IOException {
        server = new FakePgServer(s -> {
            try {
                s.readStartup();
                s.acceptLogin("18.1");
                s.acceptUntilStreaming();
                byte[] chunk = new byte[1 << 16];
                try (InputStream in = Files.newInputStream(frames)) {
                    int n;
                    while ((n = in.readNBytes(chunk, 0, chunk.length)) > 0) {
                        s.sendRaw(n == chunk.length ? chunk : Arrays.copyOf(chunk, n));
                    }
                }
                s.collectFeedback();
                for (StandbyStatusUpdate u : s.statusUpdates) {
                    flushed = Lsn.max(flushed, u.flush());
                }
            } finally {
                done.countDown();
            }
        });
    }

    /**
     * Drains {@code slot} up to {@code target} with our client and writes each pgoutput message as the CopyData
     * frame that carried it; returns the file.
     */
    static Path record(BenchServer s, String slot, Lsn target) throws IOException, InterruptedException {
        Path file = Files.createTempFile("pgrepl-replay", ".frames");
        file.toFile().deleteOnExit();
        ReplicationConfig cfg = ReplicationConfig.builder().host(s.pg.host()).port(s.pg.port())
                .database(BenchServer.DB).user(BenchServer.USER).slot(slot).publication(BenchServer.PUB)
                .sslMode(SslMode.DISABLE).build();
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16));
             ReplicationClient client = ReplicationClient.connect(cfg)) {
            ReplicationEvent e;
            while ((e = client.recv()) != null) {
                if (!(e instanceof ReplicationEvent.WalMessage w)) {
                    continue;
                }
                ByteBuffer data = w.data().duplicate();
                data.position(0);
                out.writeByte('d');
                out.writeInt(4 + 25 + data.remaining());
                out.writeByte('w');
                out.writeLong(w.walStart().asLong());
                out.writeLong(w.walEnd().asLong());
                out.writeLong(0);
                while (data.hasRemaining()) {
                    out.writeByte(data.get());
                }
                if (e instanceof ReplicationEvent.Commit c) {
                    client.updateAppliedLsn(c.endLsn());
                    if (c.endLsn().compareTo(target) >= 0) {
                        break;
                    }
                }
            }
        }
        return file;
    }

    /**
     * Serves one connection: login, the pre-streaming queries, the recorded frames, then the client's status updates
     * until it ends the stream.
     */
    static ReplayServer serve(Path frames) throws IOException {
        return new ReplayServer(frames);
    }

    /** The highest position the client confirmed (flush) before it ended the stream; waits for the end. */
    Lsn confirmed() throws InterruptedException {
        done.await(30, TimeUnit.SECONDS);
        return flushed;
    }

    int port() {
        return server.port();
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

}
