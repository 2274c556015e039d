package io.camelpgrepl.pgoutput;

import io.camelpgrepl.client.Lsn;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * A bounds-checked cursor over one pgoutput message. Every read checks the bytes left first, so a short or
 * hostile message becomes a {@link PgOutputException} naming the message and offset, never an index error or
 * an allocation sized by an untrusted length.
 */
final class PgOutputReader {

    /** Seconds from 1970-01-01 to 2000-01-01, PostgreSQL's epoch. */
    static final long PG_EPOCH_SECONDS = 946_684_800L;

    private final ByteBuffer buf;
    private final int limit;
    private int pos;
    private final char type;
    private final String name;

    PgOutputReader(ByteBuffer buf, char type, String name) {
        this.buf = buf;
        this.limit = buf.limit();
        this.pos = buf.position() + 1; // past the type byte
        this.type = type;
        this.name = name;
    }

    ByteBuffer buffer() {
        return buf;
    }

    int pos() {
        return pos;
    }

    int remaining() {
        return limit - pos;
    }

    String messageLabel() {
        return name + " ('" + type + "')";
    }

    PgOutputException error(String what) {
        return error(what, pos);
    }

    PgOutputException error(String what, int offset) {
        return new PgOutputException("pgoutput " + messageLabel() + ": " + what + " at offset " + offset);
    }

    void need(int n, String field) {
        if (n > limit - pos) {
            throw error("truncated: " + field + " needs " + n + " bytes, " + (limit - pos) + " left");
        }
    }

    /** Checks an untrusted length read from the message against the bytes left. */
    void needLength(long len, String field) {
        if (len < 0) {
            throw error(field + " length " + len + " is negative");
        }
        if (len > limit - pos) {
            throw error(field + " length " + len + " exceeds the " + (limit - pos) + " bytes left");
        }
    }

    byte u8(String field) {
        need(1, field);
        return buf.get(pos++);
    }

    short i16(String field) {
        need(2, field);
        short v = buf.getShort(pos);
        pos += 2;
        return v;
    }

    int i32(String field) {
        need(4, field);
        int v = buf.getInt(pos);
        pos += 4;
        return v;
    }

    long i64(String field) {
        need(8, field);
        long v = buf.getLong(pos);
        pos += 8;
        return v;
    }

    Lsn lsn(String field) {
        return Lsn.of(i64(field));
    }

    Instant time(String field) {
        return pgMicrosToInstant(i64(field));
    }

    static Instant pgMicrosToInstant(long micros) {
        long secs = Math.floorDiv(micros, 1_000_000L);
        long nanos = Math.floorMod(micros, 1_000_000L) * 1000L;
        return Instant.ofEpochSecond(PG_EPOCH_SECONDS + secs, nanos);
    }

    /** A NUL-terminated UTF-8 string. */
    String cstring(String field) {
        int start = pos;
        for (int i = pos; i < limit; i++) {
            if (buf.get(i) == 0) {
                byte[] b = new byte[i - start];
                buf.get(start, b);
                pos = i + 1;
                return new String(b, StandardCharsets.UTF_8);
            }
        }
        throw error("unterminated string " + field + " (no NUL in the " + (limit - pos) + " bytes left)");
    }

    byte[] bytes(int len, String field) {
        needLength(len, field);
        byte[] b = new byte[len];
        buf.get(pos, b);
        pos += len;
        return b;
    }

    void skip(int len) {
        pos += len;
    }
}
