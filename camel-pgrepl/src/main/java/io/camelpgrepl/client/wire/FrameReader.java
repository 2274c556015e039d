package io.camelpgrepl.client.wire;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

import io.camelpgrepl.client.ProtocolException;

/**
 * Splits a backend byte stream into {@link Frame}s: {@code type (1) | length (4, includes itself) | body}.
 *
 * <p>State survives interruptions: when a read times out or is woken up mid-message
 * ({@link InterruptedIOException}, which includes {@code SocketTimeoutException}), the bytes already read stay
 * in the buffer and {@link #next()} returns null; the next call continues where it stopped, so the stream is
 * never desynchronised. A length above the limit is a {@link ProtocolException}, raised before any allocation for
 * it; a length within it is not allocated up front either: the buffer grows as the bytes arrive, so a length word
 * alone (from a hostile peer or a corrupt stream) costs nothing.
 */
public final class FrameReader {

    private static final int HEADER = 5;
    private static final long MILLISECOND = 1_000_000L;
    /**
     * From this many messages a millisecond on, the stream counts as busy and reads coalesce: a backlog streams
     * 100,000 and more a second, one-row transactions at 1,000 a second bring 3,000 (Begin, row, Commit).
     */
    private static final long BUSY_FRAMES_PER_MS = 8;
    /**
     * The rate is averaged over about this long (each window weighs its share of it): a writer's chance burst (three
     * one-row transactions within a millisecond of a stream bringing one a millisecond) does not make a quiet stream
     * busy, while a backlog (100 messages a millisecond and more) is busy after its first millisecond.
     */
    private static final long RATE_HORIZON = 10 * MILLISECOND;

    private final InputStream in;
    private final int maxMessageSize;
    private final InputStream beneath;
    private int limit;
    private String limitReason;
    private byte[] buf;
    private int start;
    private int end;
    private volatile long bytesRead; // one writer (the reading thread); read by the liveness check
    private long coalesceNanos;
    private final LongSupplier clock;
    /** Frames returned since {@link #windowStart}: their rate says whether the stream is busy. */
    private long windowStart;
    private long windowFrames;
    /** Messages a millisecond, a moving average over about {@link #RATE_HORIZON}. */
    private double framesPerMs;
    private boolean busy;
    /**
     * The last read took all the room it was offered: more is waiting, whatever {@code available()} says (a Unix
     * socket's channel stream always says 0).
     */
    private boolean lastReadFull;
    private long coalescedReads;

    public FrameReader(InputStream in, int maxMessageSize) {
        this(in, maxMessageSize, 64 * 1024, null, System::nanoTime);
    }

    /** With {@code clock} (nanoseconds) as the time that decides whether the stream is busy: for tests. */
    FrameReader(InputStream in, int maxMessageSize, LongSupplier clock) {
        this(in, maxMessageSize, 64 * 1024, null, clock);
    }

    /**
     * @param beneath for TLS, the socket's own stream under the decrypting {@code in}: one TLS read returns one record
     *                at most, so records waiting there count as waiting too; null when {@code in} is the socket's
     */
    public FrameReader(InputStream in, int maxMessageSize, InputStream beneath) {
        this(in, maxMessageSize, 64 * 1024, beneath, System::nanoTime);
    }

    public FrameReader(InputStream in, int maxMessageSize, int bufferSize) {
        this(in, maxMessageSize, bufferSize, null, System::nanoTime);
    }

    private FrameReader(InputStream in, int maxMessageSize, int bufferSize, InputStream beneath, LongSupplier clock) {
        this.in = in;
        this.clock = clock;
        this.windowStart = clock.getAsLong();
        // the largest array a JVM allocates, minus the header and length word: total = len + 1 never overflows
        this.maxMessageSize = Math.min(maxMessageSize, Integer.MAX_VALUE - 16);
        this.buf = new byte[Math.max(bufferSize, 16)];
        this.beneath = beneath;
        this.limit = this.maxMessageSize;
        this.limitReason = "maxMessageSize";
    }

    /**
     * Until {@link #liftLimit()}, a message body over {@code maxBody} bytes is a {@link ProtocolException} that
     * gives {@code reason}. Used before authentication completes, when nothing large is legitimate.
     */
    public void limit(int maxBody, String reason) {
        this.limit = Math.min(maxBody, maxMessageSize);
        this.limitReason = reason;
    }

    /** Back to the configured {@code maxMessageSize}. */
    public void liftLimit() {
        this.limit = this.maxMessageSize;
        this.limitReason = "maxMessageSize";
    }

    /** Bytes a read would return without blocking, as far as the streams can tell. */
    private int waiting() {
        return available(in) + (beneath == null ? 0 : available(beneath));
    }

    private static int available(InputStream in) {
        try {
            return in.available();
        } catch (IOException e) {
            return 0;
        }
    }

    /**
     * The next whole frame, or null when a read was interrupted or timed out before one was complete.
     *
     * @throws EOFException      the peer closed the connection (mid-message or between messages)
     * @throws ProtocolException a length word is negative, below 4, or above the limit
     */
    public Frame next() throws IOException {
        while (true) {
            int available = end - start;
            if (available >= HEADER) {
                int len = ((buf[start + 1] & 0xFF) << 24) | ((buf[start + 2] & 0xFF) << 16)
                        | ((buf[start + 3] & 0xFF) << 8) | (buf[start + 4] & 0xFF);
                if (len < 4 || len - 4 > limit) {
                    throw new ProtocolException("Backend message '" + printable(buf[start]) + "' declares length "
                            + Integer.toUnsignedString(len) + ", outside 4.." + (limit + 4L) + " (" + limitReason
                            + "); the stream is corrupt or the peer is not a PostgreSQL server");
                }
                int total = len + 1;
                if (available >= total) {
                    byte[] body = new byte[len - 4];
                    System.arraycopy(buf, start + HEADER, body, 0, body.length);
                    byte type = buf[start];
                    start += total;
                    if (start == end) {
                        start = 0;
                        end = 0;
                    }
                    windowFrames++;
                    return new Frame(type, body);
                }
                roomFor(total);
            } else {
                roomFor(HEADER);
            }
            if (!fill()) {
                return null;
            }
        }
    }

    /** True when a whole frame is buffered: {@link #next()} will return it without reading the stream. */
    public boolean hasCompleteFrame() {
        int available = end - start;
        if (available < HEADER) {
            return false;
        }
        int len = ((buf[start + 1] & 0xFF) << 24) | ((buf[start + 2] & 0xFF) << 16)
                | ((buf[start + 3] & 0xFF) << 8) | (buf[start + 4] & 0xFF);
        return len >= 4 && available >= len + 1L;
    }

    /**
     * From now on, while the stream is busy (at least 8 messages a millisecond, averaged over about 10 ms) and
     * nothing is waiting now (nothing available, and the last read did not fill the room it had), waits {@code coalesce} before reading, so that one read takes what the server sent
     * meanwhile. A walsender flushes every message on its own: a reader that blocks for each of them costs the server
     * a wake-up per message, and on a busy machine those wake-ups, not the bytes, slow the server down. A quiet
     * stream is read at once: a lone message is not held back. Zero turns it off.
     */
    public void coalesceReads(Duration coalesce) {
        this.coalesceNanos = coalesce.toNanos();
    }

    /**
     * Total bytes read from the stream so far: monotonic, and cheap to read from any thread. It moves as bytes
     * arrive, also in the middle of a large message, so a liveness check that watches it does not mistake a big
     * frame arriving slowly for a dead connection.
     */
    public long bytesRead() {
        return bytesRead;
    }

    /** Bytes the buffer holds room for now (for tests and diagnostics). */
    public int capacity() {
        return buf.length;
    }

    /** How many reads waited for the stream to gather (for tests and diagnostics). */
    long coalescedReads() {
        return coalescedReads;
    }

    /** Bytes of a message received but not yet returned (for tests and diagnostics). */
    public int pending() {
        return end - start;
    }

    /**
     * Makes room to read more of a frame of {@code total} bytes. A frame that fits the buffer gets its whole room
     * now (one read can take it); a larger one grows the buffer only when the bytes received so far fill it, so
     * memory follows what arrived, never what a length word claims.
     */
    private void roomFor(int total) {
        int available = end - start;
        if (total <= buf.length) {
            if (buf.length - start < total) {
                compact(available);
            }
            return;
        }
        if (start > 0) {
            compact(available);
        }
        if (end == buf.length) {
            byte[] bigger = new byte[(int) Math.min(total, Math.max(16L, 2L * buf.length))];
            System.arraycopy(buf, 0, bigger, 0, available);
            buf = bigger;
        }
    }

    private void compact(int available) {
        System.arraycopy(buf, start, buf, 0, available);
        start = 0;
        end = available;
    }

    private boolean fill() throws IOException {
        int n;
        try {
            if (coalesceNanos > 0) {
                long now = clock.getAsLong();
                long elapsed = now - windowStart;
                if (elapsed >= MILLISECOND) {
                    double rate = (double) windowFrames * MILLISECOND / elapsed;
                    framesPerMs += Math.min(1.0, (double) elapsed / RATE_HORIZON) * (rate - framesPerMs);
                    busy = framesPerMs >= BUSY_FRAMES_PER_MS;
                    windowStart = now;
                    windowFrames = 0;
                }
                if (busy && !lastReadFull && waiting() == 0) {
                    coalescedReads++;
                    LockSupport.parkNanos(this, coalesceNanos);
                }
            }
            int room = buf.length - end;
            n = in.read(buf, end, room);
            lastReadFull = n == room;
        } catch (InterruptedIOException timeoutOrWakeUp) {
            // Nothing consumed: the partial message stays buffered for the next call.
            return false;
        }
        if (n < 0) {
            throw new EOFException(end - start == 0 ? "Server closed the connection"
                    : "Server closed the connection in the middle of a message (" + (end - start)
                            + " bytes of it received)");
        }
        end += n;
        bytesRead += n;
        return n > 0;
    }

    private static String printable(byte b) {
        return b >= 32 && b < 127 ? String.valueOf((char) b) : String.format("0x%02x", b & 0xFF);
    }
}
