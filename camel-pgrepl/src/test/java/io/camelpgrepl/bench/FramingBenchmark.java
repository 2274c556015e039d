package io.camelpgrepl.bench;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import io.camelpgrepl.client.wire.Frame;
import io.camelpgrepl.client.wire.FrameReader;
import io.camelpgrepl.client.wire.XLogDataFrame;

/**
 * The client's per-message cost below decoding: splitting a socket byte stream into frames and parsing the
 * XLogData header of each, over 10,000 CopyData messages carrying 150-byte pgoutput inserts, read in 16 KiB
 * chunks as a socket would deliver them.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class FramingBenchmark {

    static final int MESSAGES = 10_000;

    private byte[] stream;

    @Setup
    public void setUp() {
        Random r = new Random(42);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        long lsn = 0x1_0000_0000L;
        for (int i = 0; i < MESSAGES; i++) {
            byte[] pgoutput = new byte[150];
            r.nextBytes(pgoutput);
            pgoutput[0] = 'I';
            ByteBuffer body = ByteBuffer.allocate(XLogDataFrame.HEADER + pgoutput.length);
            body.put((byte) 'w').putLong(lsn).putLong(lsn).putLong(0).put(pgoutput);
            lsn += 200;
            out.write('d');
            int len = 4 + body.capacity();
            out.write(len >>> 24);
            out.write(len >>> 16);
            out.write(len >>> 8);
            out.write(len);
            out.writeBytes(body.array());
        }
        stream = out.toByteArray();
    }

    /** A stream that hands out at most 16 KiB per read, like a socket under load. */
    static final class ChunkedStream extends ByteArrayInputStream {
        ChunkedStream(byte[] data) {
            super(data);
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            return super.read(b, off, Math.min(len, 16 * 1024));
        }
    }

    @Benchmark
    @OperationsPerInvocation(MESSAGES)
    public void frameAndParseXLogData(Blackhole bh) throws IOException {
        FrameReader reader = new FrameReader(new ChunkedStream(stream), 1 << 20);
        for (int i = 0; i < MESSAGES; i++) {
            Frame f = reader.next();
            XLogDataFrame x = XLogDataFrame.parse(f.body());
            bh.consume(x.walStart());
            bh.consume(x.data());
        }
    }
}
