package io.camelpgrepl.client.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import io.camelpgrepl.client.ProtocolException;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class FrameReaderTest {

    /** Returns at most {@code chunk} bytes per read and throws a timeout before every other read. */
    private static final class ChoppyStream extends InputStream {
        private final byte[] data;
        private final Random random;
        private final int maxChunk;
        private int pos;

        ChoppyStream(byte[] data, long seed, int maxChunk) {
            this.data = data;
            this.random = new Random(seed);
            this.maxChunk = maxChunk;
        }

        @Override
        public int read() {
            throw new UnsupportedOperationException();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (random.nextBoolean()) {
                throw new SocketTimeoutException("wake-up");
            }
            if (pos == data.length) {
                return -1;
            }
            int n = Math.min(len, Math.min(data.length - pos, 1 + random.nextInt(maxChunk)));
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            return n;
        }
    }

    private static byte[] frames(List<byte[]> bodies) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < bodies.size(); i++) {
            out.writeBytes(FrontendMessages.typed((char) ('a' + i % 26), bodies.get(i)));
        }
        return out.toByteArray();
    }

    private static List<byte[]> bodies(Random r, int count, int maxSize) {
        List<byte[]> list = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] b = new byte[r.nextInt(maxSize)];
            r.nextBytes(b);
            list.add(b);
        }
        return list;
    }

    @Property(tries = 60)
    void splitReadsAndWakeUpsNeverDesynchroniseTheStream(@ForAll long seed,
                                                         @ForAll @IntRange(min = 1, max = 300) int maxChunk)
            throws IOException {
        Random r = new Random(seed);
        List<byte[]> expected = bodies(r, 40, 2_500);
        FrameReader reader = new FrameReader(new ChoppyStream(frames(expected), seed, maxChunk), 1 << 20, 64);
        List<byte[]> got = new ArrayList<>();
        int timeouts = 0;
        while (got.size() < expected.size()) {
            Frame f = reader.next();
            if (f == null) {
                timeouts++;
                continue;
            }
            assertThat(f.type()).as("type of frame %d", got.size()).isEqualTo((byte) ('a' + got.size() % 26));
            got.add(f.body());
        }
        for (int i = 0; i < expected.size(); i++) {
            assertThat(got.get(i)).as("body of frame %d", i).isEqualTo(expected.get(i));
        }
        assertThat(timeouts).as("the stream did wake the reader up mid-way").isPositive();
        assertThatThrownBy(() -> {
            while (true) {
                reader.next();
            }
        }).isInstanceOf(EOFException.class);
    }

    @Test
    void oversizedLengthIsAProtocolErrorBeforeAnyAllocation() {
        byte[] header = {'d', 0x7F, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF};
        FrameReader reader = new FrameReader(new java.io.ByteArrayInputStream(header), 1024);
        assertThatThrownBy(reader::next).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("2147483647").hasMessageContaining("maxMessageSize");
    }

    @Test
    void lengthBelowFourIsAProtocolError() {
        byte[] header = {'d', 0, 0, 0, 3};
        FrameReader reader = new FrameReader(new java.io.ByteArrayInputStream(header), 1024);
        assertThatThrownBy(reader::next).isInstanceOf(ProtocolException.class).hasMessageContaining("length 3");
    }

    @Test
    void negativeLengthIsAProtocolError() {
        byte[] header = {'d', (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xF0};
        FrameReader reader = new FrameReader(new java.io.ByteArrayInputStream(header), 1024);
        assertThatThrownBy(reader::next).isInstanceOf(ProtocolException.class);
    }

    @Test
    void endOfStreamMidMessageSaysSo() {
        byte[] partial = {'d', 0, 0, 0, 10, 1, 2};
        FrameReader reader = new FrameReader(new java.io.ByteArrayInputStream(partial), 1024);
        assertThatThrownBy(reader::next).isInstanceOf(EOFException.class).hasMessageContaining("middle of a message");
    }

    @Test
    void aMessageLargerThanTheBufferGrowsIt() throws IOException {
        byte[] body = new byte[100_000];
        new Random(1).nextBytes(body);
        FrameReader reader = new FrameReader(new java.io.ByteArrayInputStream(FrontendMessages.typed('w', body)),
                1 << 20, 16);
        assertThat(reader.next().body()).isEqualTo(body);
    }

    @Test
    void aDeclaredLengthIsNotAllocatedBeforeItsBytesArrive() throws IOException {
        // a hostile or corrupt length word claims 200 MB; 1,000 bytes of it arrive, then the read times out
        byte[] start = new byte[5 + 1000];
        start[0] = 'd';
        java.nio.ByteBuffer.wrap(start, 1, 4).putInt(200 * 1024 * 1024 + 4);
        InputStream stalls = new InputStream() {
            private int pos;

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (pos == start.length) {
                    throw new SocketTimeoutException("nothing more yet");
                }
                int n = Math.min(len, start.length - pos);
                System.arraycopy(start, pos, b, off, n);
                pos += n;
                return n;
            }
        };
        FrameReader reader = new FrameReader(stalls, 256 * 1024 * 1024, 64);

        assertThat(reader.next()).as("the frame is incomplete").isNull();

        assertThat(reader.capacity()).as("the buffer follows the bytes that arrived, not the declared length")
                .isLessThanOrEqualTo(2 * start.length);
        assertThat(reader.bytesRead()).as("the liveness counter moves in the middle of a frame")
                .isEqualTo(start.length);
    }

    @Test
    void aLimitBeforeAuthenticationRefusesWhatMaxMessageSizeWouldAllow() {
        byte[] header = {'R', 0, 0, 0x75, 0x31}; // 30,001: one over
        FrameReader reader = new FrameReader(new java.io.ByteArrayInputStream(header), 1 << 20);
        reader.limit(30_000 - 4, "30,000 bytes before authentication completes, as libpq allows");

        assertThatThrownBy(reader::next).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("30001").hasMessageContaining("before authentication completes");
    }

    /** Decrypted TLS as a reader sees it: one record (at most 160 bytes) per read, nothing left over between. */
    private static final class RecordStream extends java.io.ByteArrayInputStream {
        RecordStream(byte[] data) {
            super(data);
        }

        @Override
        public synchronized int read(byte[] b, int off, int len) {
            return super.read(b, off, Math.min(len, 160));
        }

        @Override
        public synchronized int available() {
            return 0;
        }

        synchronized int remaining() {
            return count - pos;
        }
    }

    @Test
    void readsThatReturnOneSmallRecordEachNeverWaitWhileMoreIsWaitingOnTheTransport() {
        List<byte[]> bodies = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            bodies.add(new byte[150]);
        }
        byte[] data = frames(bodies);
        // like TLS: every read returns one record (at most 160 bytes), nothing decrypted is left over, and the
        // socket beneath holds all the rest
        RecordStream records = new RecordStream(data);
        InputStream socket = new InputStream() {
            @Override
            public int read() {
                throw new UnsupportedOperationException("only asked what is waiting");
            }

            @Override
            public int available() {
                return records.remaining();
            }
        };
        FrameReader reader = new FrameReader(records, 1 << 20, socket);
        reader.coalesceReads(Duration.ofSeconds(30));

        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            for (byte[] body : bodies) {
                assertThat(reader.next().body()).isEqualTo(body);
            }
        }, "a 30 s wait per short read would have made this take hours");
    }
    /**
     * A stream on a clock of its own: message i arrives at {@code arrivals[i]} nanoseconds. A read returns the next
     * message, moving the clock to its arrival if it is not there yet (the reader blocked until then);
     * {@link #available()} reports it only once it has arrived.
     */
    private static final class ArrivingStream extends InputStream {
        private final List<byte[]> chunks;
        private final long[] arrivals;
        final AtomicLong clock = new AtomicLong();
        private int next;

        ArrivingStream(List<byte[]> chunks, long[] arrivals) {
            this.chunks = chunks;
            this.arrivals = arrivals;
        }

        @Override
        public int available() {
            return next < chunks.size() && arrivals[next] <= clock.get() ? chunks.get(next).length : 0;
        }

        @Override
        public int read() {
            throw new UnsupportedOperationException();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (next == chunks.size()) {
                return -1;
            }
            clock.accumulateAndGet(arrivals[next], Math::max);
            byte[] c = chunks.get(next++);
            System.arraycopy(c, 0, b, off, c.length);
            return c.length;
        }
    }

    /**
     * Streams {@code count} small messages, message i arriving at {@code arrival.applyAsLong(i)} ns, through a reader
     * that coalesces for {@code coalesce}; returns how many of its reads waited to coalesce.
     */
    private static long coalescedReads(int count, java.util.function.IntToLongFunction arrival, Duration coalesce)
            throws IOException {
        List<byte[]> bodies = new ArrayList<>();
        long[] arrivals = new long[count];
        for (int i = 0; i < count; i++) {
            bodies.add(new byte[40 + i % 7]);
            arrivals[i] = arrival.applyAsLong(i);
        }
        ArrivingStream stream = new ArrivingStream(bodies.stream().map(b -> frames(List.of(b))).toList(), arrivals);
        FrameReader reader = new FrameReader(stream, 1 << 20, stream.clock::get);
        reader.coalesceReads(coalesce);
        for (byte[] body : bodies) {
            assertThat(reader.next().body()).isEqualTo(body);
        }
        return reader.coalescedReads();
    }

    @Test
    void aQuietStreamHandsOverEachLoneMessageWithoutWaitingToCoalesce() throws IOException {
        // a message a second
        assertThat(coalescedReads(5, i -> i * 1_000_000_000L, Duration.ofSeconds(30)))
                .as("no read of a quiet stream waits for more to gather").isZero();
    }

    @Test
    void oneRowTransactionsAtAThousandASecondAreNotHeldBack() throws IOException {
        // Begin, row and Commit 20 microseconds apart, a transaction every millisecond
        assertThat(coalescedReads(300, i -> (i / 3) * 1_000_000L + (i % 3) * 20_000L, Duration.ofSeconds(30)))
                .as("3,000 messages a second are not a busy stream").isZero();
    }

    @Test
    void transactionsAtAThousandASecondOnAPoissonScheduleAreNotHeldBack() throws IOException {
        // a thousand a second on average, at random as a writer's Poisson schedule (pgbench -R) brings them: now and
        // then three within a millisecond, which is 9 messages in a millisecond
        Random random = new Random(42);
        long[] begins = new long[1000];
        for (int t = 1; t < begins.length; t++) {
            begins[t] = begins[t - 1] + (long) (-Math.log(1 - random.nextDouble()) * 1_000_000L);
        }
        assertThat(coalescedReads(3 * begins.length, i -> begins[i / 3] + (i % 3) * 20_000L, Duration.ofNanos(1)))
                .as("a quiet stream's chance bursts do not make it busy").isZero();
    }

    @Test
    void aBacklogOnAStreamThatCannotTellWhatIsWaitingIsReadWithoutWaits() throws IOException {
        // a Unix socket's channel stream: available() is always 0; each read takes all the room it is offered (64 KiB
        // of a 1 MiB backlog) and the clock moves a millisecond per read, so the stream is busy from the first on
        byte[] body = new byte[95];
        List<byte[]> bodies = java.util.Collections.nCopies(10_000, body);
        byte[] backlog = frames(bodies);
        AtomicLong clock = new AtomicLong();
        InputStream blind = new InputStream() {
            private int pos;

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (pos == backlog.length) {
                    return -1;
                }
                int n = Math.min(len, backlog.length - pos);
                System.arraycopy(backlog, pos, b, off, n);
                pos += n;
                clock.addAndGet(1_000_000L);
                return n;
            }
        };
        FrameReader reader = new FrameReader(blind, 1 << 20, clock::get);
        reader.coalesceReads(Duration.ofNanos(1));
        for (int i = 0; i < bodies.size(); i++) {
            assertThat(reader.next().body()).isEqualTo(body);
        }
        assertThat(reader.coalescedReads()).as("a read that filled its room says more is waiting").isZero();
    }

    @Test
    void aBusyStreamWaitsToGatherBeforeReading() throws IOException {
        // a backlog: a message every 10 microseconds
        assertThat(coalescedReads(500, i -> i * 10_000L, Duration.ofNanos(1)))
                .as("once a millisecond has brought 100 messages, reads that find nothing waiting coalesce")
                .isGreaterThan(0);
    }
}
