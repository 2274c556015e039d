package io.camelpgrepl.bench;

import io.camelpgrepl.client.Lsn;
import io.camelpgrepl.client.StreamingMode;
import io.camelpgrepl.pgoutput.ChangeEvent;
import io.camelpgrepl.pgoutput.ChangeStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Full typed row path: pgoutput bytes → {@link ChangeStream} → {@code RowChange} with typed values, for a
 * realistic table {@code (id int8 key, name text, created timestamptz, amount numeric, active bool)}.
 * Each operation decodes one message; {@code -prof gc} gives the allocated bytes per message.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PgOutputDecodeBenchmark {

    private static final int REL = 16384;
    private static final int ROWS = 1024;

    private ChangeStream stream;
    private ByteBuffer[] inserts;
    private ByteBuffer[] updates;
    private ByteBuffer[] mix;
    private int i;

    @Setup(Level.Trial)
    public void setUp() {
        stream = new ChangeStream(1, StreamingMode.OFF);
        stream.accept(relation(), Lsn.INVALID);
        stream.accept(ByteBuffer.wrap(new W().u8('B').i64(0x1000).i64(0).i32(777).bytes()), Lsn.of(0x100));
        inserts = new ByteBuffer[ROWS];
        updates = new ByteBuffer[ROWS];
        mix = new ByteBuffer[ROWS];
        for (int r = 0; r < ROWS; r++) {
            inserts[r] = ByteBuffer.wrap(insert(r)).asReadOnlyBuffer();
            updates[r] = ByteBuffer.wrap(update(r)).asReadOnlyBuffer();
            mix[r] = r % 4 == 3 ? updates[r] : inserts[r];
        }
        if (inserts[0].remaining() < 140 || inserts[0].remaining() > 160) {
            throw new IllegalStateException("insert is " + inserts[0].remaining() + " bytes, expected about 150");
        }
    }

    private static ByteBuffer relation() {
        return ByteBuffer.wrap(new W().u8('R').i32(REL).cstr("public").cstr("customers").u8('d').i16(5)
                .u8(1).cstr("id").i32(20).i32(-1)
                .u8(0).cstr("name").i32(25).i32(-1)
                .u8(0).cstr("created").i32(1184).i32(-1)
                .u8(0).cstr("amount").i32(1700).i32(-1)
                .u8(0).cstr("active").i32(16).i32(-1).bytes());
    }

    private static String name(int r) {
        return "Customer number " + (100000 + r) + " of the benchmark set, Mönchengladbach branch, tier A";
    }

    static byte[] insert(int r) {
        return new W().u8('I').i32(REL).u8('N').i16(5)
                .text(Long.toString(1_000_000L + r))
                .text(name(r))
                .text("2024-01-" + (10 + r % 18) + " 03:04:05." + (100000 + r % 900000) + "+00")
                .text((r % 100_000) + "." + (10 + r % 90))
                .text(r % 2 == 0 ? "t" : "f").bytes();
    }

    static byte[] update(int r) {
        return new W().u8('U').i32(REL).u8('K').i16(5).text(Long.toString(1_000_000L + r)).u8('n').u8('n').u8('n')
                .u8('n').u8('N').i16(5)
                .text(Long.toString(2_000_000L + r))
                .text(name(r))
                .text("2024-02-" + (10 + r % 18) + " 13:14:15.5+00")
                .text((r % 1000) + ".50")
                .text("f").bytes();
    }

    @Benchmark
    public ChangeEvent insert() {
        return stream.accept(inserts[i++ & (ROWS - 1)], Lsn.INVALID);
    }

    @Benchmark
    public ChangeEvent updateWithOldKey() {
        return stream.accept(updates[i++ & (ROWS - 1)], Lsn.INVALID);
    }

    /** Three inserts to one update. */
    @Benchmark
    public ChangeEvent mixed() {
        return stream.accept(mix[i++ & (ROWS - 1)], Lsn.INVALID);
    }

    /** A minimal big-endian writer (the test builder lives in another package). */
    static final class W {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        W u8(int v) {
            out.write(v);
            return this;
        }

        W i16(int v) {
            return u8(v >>> 8).u8(v);
        }

        W i32(int v) {
            return i16(v >>> 16).i16(v);
        }

        W i64(long v) {
            return i32((int) (v >>> 32)).i32((int) v);
        }

        W cstr(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            out.write(b, 0, b.length);
            return u8(0);
        }

        W text(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            u8('t').i32(b.length);
            out.write(b, 0, b.length);
            return this;
        }

        byte[] bytes() {
            return out.toByteArray();
        }
    }
}
