package io.camelpgrepl.pgoutput;

import java.nio.ByteBuffer;
import java.time.LocalDate;
import java.time.ZoneOffset;

/** A cursor over date/time text; every miss is a {@link PgOutputException}. */
final class DateTimeCursor {
    final ByteBuffer buf;
    final int start;
    final int end;
    final String type;
    int p;

    DateTimeCursor(ByteBuffer buf, int off, int len, String type) {
        this.buf = buf;
        this.start = off;
        this.end = off + len;
        this.p = off;
        this.type = type;
    }

    /**
     * Date and time text is only read in the default styles: a value that does not parse says which setting
     * the walsender must have (it takes role and database settings, e.g. {@code ALTER ROLE ... SET DateStyle}).
     */
    PgOutputException fail() {
        String setting = type.equals("interval") ? "IntervalStyle = 'postgres'" : "DateStyle = 'ISO'";
        PgOutputException e = ValueDecoders.invalid(type, buf, start, end - start);
        return new PgOutputException(e.getMessage() + "; text-mode " + type + " values are read as printed with "
                + setting + ": give the replication role or database that setting (or reset it), or stream with"
                + " binary=true");
    }

    boolean atEnd() {
        return p >= end;
    }

    int peek() {
        return p < end ? buf.get(p) : -1;
    }

    void expect(char c) {
        if (p >= end || buf.get(p) != c) {
            throw fail();
        }
        p++;
    }

    /** Reads at least {@code min} and at most {@code max} digits. */
    long digits(int min, int max) {
        long v = 0;
        int n = 0;
        while (p < end && n < max) {
            int d = buf.get(p) - '0';
            if (d < 0 || d > 9) {
                break;
            }
            v = v * 10 + d;
            p++;
            n++;
        }
        if (n < min) {
            throw fail();
        }
        return v;
    }

    /** Optional {@code .ffffff}: nanoseconds. */
    int fraction() {
        if (peek() != '.') {
            return 0;
        }
        p++;
        int startDigits = p;
        long v = digits(1, 9);
        int n = p - startDigits;
        for (int i = n; i < 9; i++) {
            v *= 10;
        }
        return (int) v;
    }

    LocalDate date() {
        long y = digits(4, 9);
        expect('-');
        int m = (int) digits(2, 2);
        expect('-');
        int d = (int) digits(2, 2);
        try {
            return LocalDate.of((int) y, m, d);
        } catch (java.time.DateTimeException e) {
            throw fail();
        }
    }

    /** Returns nanos of day; 24:00:00 gives 86_400_000_000_000. */
    long time() {
        int h = (int) digits(2, 2);
        expect(':');
        int mi = (int) digits(2, 2);
        expect(':');
        int s = (int) digits(2, 2);
        int nanos = fraction();
        if (h > 24 || mi > 59 || s > 60 || (h == 24 && (mi != 0 || s != 0 || nanos != 0))) {
            throw fail();
        }
        return ((h * 60L + mi) * 60L + s) * 1_000_000_000L + nanos;
    }

    ZoneOffset offset() {
        int c = peek();
        if (c != '+' && c != '-') {
            throw fail();
        }
        p++;
        int h = (int) digits(2, 2);
        int m = 0;
        int s = 0;
        if (peek() == ':') {
            p++;
            m = (int) digits(2, 2);
            if (peek() == ':') {
                p++;
                s = (int) digits(2, 2);
            }
        }
        int total = h * 3600 + m * 60 + s;
        if (total > 18 * 3600 || m > 59 || s > 59) {
            throw fail();
        }
        // UTC without the ZoneOffset cache lookup (a ConcurrentHashMap get per timestamptz value)
        return total == 0 ? ZoneOffset.UTC : ZoneOffset.ofTotalSeconds(c == '-' ? -total : total);
    }

    /** Consumes an optional trailing " BC". */
    boolean bc() {
        if (end - p == 3 && buf.get(p) == ' ' && buf.get(p + 1) == 'B' && buf.get(p + 2) == 'C') {
            p += 3;
            return true;
        }
        return false;
    }

    void end() {
        if (p != end) {
            throw fail();
        }
    }
}
