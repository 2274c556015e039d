package io.camelpgrepl.pgoutput;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/** A tiny big-endian byte builder for hand-made pgoutput messages in tests. */
final class PgBytes {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    static PgBytes msg(char type) {
        return new PgBytes().u8(type);
    }

    PgBytes u8(int v) {
        out.write(v);
        return this;
    }

    PgBytes i16(int v) {
        out.write(v >>> 8);
        out.write(v);
        return this;
    }

    PgBytes i32(int v) {
        for (int s = 24; s >= 0; s -= 8) {
            out.write(v >>> s);
        }
        return this;
    }

    PgBytes i64(long v) {
        for (int s = 56; s >= 0; s -= 8) {
            out.write((int) (v >>> s));
        }
        return this;
    }

    /** Microseconds since 2000-01-01 for {@code t}. */
    PgBytes time(Instant t) {
        long secs = t.getEpochSecond() - 946_684_800L;
        return i64(secs * 1_000_000L + t.getNano() / 1000);
    }

    PgBytes cstr(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
        out.write(0);
        return this;
    }

    PgBytes raw(byte[] b) {
        out.write(b, 0, b.length);
        return this;
    }

    /** A text column: 't', length, UTF-8 bytes. */
    PgBytes text(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return u8('t').i32(b.length).raw(b);
    }

    /** A binary column: 'b', length, bytes. */
    PgBytes binary(byte[] b) {
        return u8('b').i32(b.length).raw(b);
    }

    PgBytes nul() {
        return u8('n');
    }

    PgBytes toast() {
        return u8('u');
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    /** Read-only, like the client's {@code data()}. */
    ByteBuffer buffer() {
        return ByteBuffer.wrap(bytes()).asReadOnlyBuffer();
    }
}
