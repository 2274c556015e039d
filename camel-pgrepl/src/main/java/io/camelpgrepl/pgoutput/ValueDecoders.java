package io.camelpgrepl.pgoutput;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;

/**
 * The decoders behind {@link PgTypes}. Text parsers read digits straight from the buffer (no regex, no
 * intermediate String for numbers and dates); every failure is a {@link PgOutputException}.
 */
final class ValueDecoders {

    private ValueDecoders() {
    }

    static final long PG_EPOCH_DAY = 10_957L; // 2000-01-01 as epoch day
    static final long PG_EPOCH_SECONDS = PgOutputReader.PG_EPOCH_SECONDS;

    static PgOutputException invalid(String type, ByteBuffer buf, int off, int len) {
        int n = Math.min(len, 64);
        byte[] b = new byte[Math.max(n, 0)];
        if (n > 0) {
            buf.get(off, b);
        }
        return new PgOutputException("invalid " + type + " value '" + new String(b, StandardCharsets.UTF_8)
                + (len > 64 ? "...'" : "'") + " (" + len + " bytes)");
    }

    static PgOutputException invalidBinary(String type, int len, String why) {
        return new PgOutputException("invalid binary " + type + " value (" + len + " bytes): " + why);
    }

    static void binaryLength(String type, int len, int expected) {
        if (len != expected) {
            throw invalidBinary(type, len, "expected " + expected + " bytes");
        }
    }

    static String utf8(ByteBuffer buf, int off, int len) {
        byte[] b = new byte[len];
        buf.get(off, b);
        return new String(b, StandardCharsets.UTF_8);
    }

    static boolean textEquals(ByteBuffer buf, int off, int len, String ascii) {
        if (len != ascii.length()) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if (buf.get(off + i) != ascii.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** Parses a decimal long with optional sign, no overflow past {@code min..max}. */
    static long parseLong(ByteBuffer buf, int off, int len, String type, long min, long max) {
        if (len <= 0) {
            throw invalid(type, buf, off, len);
        }
        int i = off;
        int end = off + len;
        boolean neg = false;
        byte c = buf.get(i);
        if (c == '-' || c == '+') {
            neg = c == '-';
            i++;
            if (i == end) {
                throw invalid(type, buf, off, len);
            }
        }
        // accumulate negatively so that Long.MIN_VALUE parses
        long v = 0;
        for (; i < end; i++) {
            int d = buf.get(i) - '0';
            if (d < 0 || d > 9 || v < (Long.MIN_VALUE + d) / 10) {
                throw invalid(type, buf, off, len);
            }
            v = v * 10 - d;
        }
        if (!neg) {
            if (v == Long.MIN_VALUE) {
                throw invalid(type, buf, off, len);
            }
            v = -v;
        }
        if (v < min || v > max) {
            throw invalid(type, buf, off, len);
        }
        return v;
    }

    static final ValueDecoder UNKNOWN = new ValueDecoder() {
        public Object decodeText(ByteBuffer buf, int off, int len) {
            return utf8(buf, off, len);
        }

        public Object decodeBinary(ByteBuffer buf, int off, int len) {
            byte[] b = new byte[len];
            buf.get(off, b);
            return b;
        }
    };

    static final ValueDecoder STRING = new ValueDecoder() {
        public Object decodeText(ByteBuffer buf, int off, int len) {
            return utf8(buf, off, len);
        }

        public Object decodeBinary(ByteBuffer buf, int off, int len) {
            return utf8(buf, off, len);
        }
    };

    static final ValueDecoder JSONB = new ValueDecoder() {
        public Object decodeText(ByteBuffer buf, int off, int len) {
            return utf8(buf, off, len);
        }

        public Object decodeBinary(ByteBuffer buf, int off, int len) {
            if (len < 1 || buf.get(off) != 1) {
                throw invalidBinary("jsonb", len, "expected format version 1");
            }
            return utf8(buf, off + 1, len - 1);
        }
    };

    static final ValueDecoder BOOL = new ValueDecoder() {
        public Object decodeText(ByteBuffer buf, int off, int len) {
            if (len == 1) {
                byte c = buf.get(off);
                if (c == 't') {
                    return Boolean.TRUE;
                }
                if (c == 'f') {
                    return Boolean.FALSE;
                }
            }
            throw invalid("bool", buf, off, len);
        }

        public Object decodeBinary(ByteBuffer buf, int off, int len) {
            binaryLength("bool", len, 1);
            return buf.get(off) != 0;
        }
    };

    static final ValueDecoder INT2 = new ValueDecoder() {
        public Object decodeText(ByteBuffer buf, int off, int len) {
            return (short) parseLong(buf, off, len, "int2", Short.MIN_VALUE, Short.MAX_VALUE);
        }

        public Object decodeBinary(ByteBuffer buf, int off, int len) {
            binaryLength("int2", len, 2);
            return buf.getShort(off);
        }
    };

    static final ValueDecoder INT4 = new ValueDecoder() {
        public Object decodeText(ByteBuffer buf, int off, int len) {
            return (int) parseLong(buf, off, len, "int4", Integer.MIN_VALUE, Integer.MAX_VALUE);
        }

        public Object decodeBinary(ByteBuffer buf, int off, int len) {
            binaryLength("int4", len, 4);
            return buf.getInt(off);
        }
    };

    static final ValueDecoder INT8 = new ValueDecoder() {
        public Object decodeText(ByteBuffer buf, int off, int len) {
            return parseLong(buf, off, len, "int8", Long.MIN_VALUE, Long.MAX_VALUE);
        }

        public Object decodeBinary(ByteBuffer buf, int off, int len) {
            binaryLength("int8", len, 8);
            return buf.getLong(off);
        }
    };

    static final ValueDecoder OID = new ValueDecoder() {
        public Object decodeText(ByteBuffer buf, int off, int len) {
            return parseLong(buf, off, len, "oid", 0, 0xFFFF_FFFFL);
        }

        public Object decodeBinary(ByteBuffer buf, int off, int len) {
            binaryLength("oid", len, 4);
            return buf.getInt(off) & 0xFFFF_FFFFL;
        }
    };

    static double parseDouble(ByteBuffer buf, int off, int len, String type) {
        if (len <= 0 || len > 512) {
            throw invalid(type, buf, off, len);
        }
        String s = utf8(buf, off, len);
        // Java also accepts hex floats and a trailing 'd'/'f'; PostgreSQL never prints them
        char last = s.charAt(s.length() - 1);
        if (last == 'd' || last == 'D' || last == 'f' || last == 'F') {
            throw invalid(type, buf, off, len);
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == 'x' || c == 'X' || c == 'p' || c == 'P' || c <= ' ') {
                throw invalid(type, buf, off, len);
            }
        }
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw invalid(type, buf, off, len);
        }
    }

    static final ValueDecoder FLOAT4 = new ValueDecoder() {
        public Object decodeText(ByteBuffer buf, int off, int len) {
            if (len > 512) {
                throw invalid("float4", buf, off, len);
            }
            String s = utf8(buf, off, len);
            parseDouble(buf, off, len, "float4"); // validates the syntax
            return Float.parseFloat(s);
        }

        public Object decodeBinary(ByteBuffer buf, int off, int len) {
            binaryLength("float4", len, 4);
            return buf.getFloat(off);
        }
    };

    static final ValueDecoder FLOAT8 = new ValueDecoder() {
        public Object decodeText(ByteBuffer buf, int off, int len) {
            return parseDouble(buf, off, len, "float8");
        }

        public Object decodeBinary(ByteBuffer buf, int off, int len) {
            binaryLength("float8", len, 8);
            return buf.getDouble(off);
        }
    };

    static final ValueDecoder NUMERIC = new ValueDecoder() {
        public Object decodeText(ByteBuffer buf, int off, int len) {
            if (textEquals(buf, off, len, "NaN")) {
                return Double.NaN;
            }
            if (textEquals(buf, off, len, "Infinity")) {
                return Double.POSITIVE_INFINITY;
            }
            if (textEquals(buf, off, len, "-Infinity")) {
                return Double.NEGATIVE_INFINITY;
            }
            if (len <= 0) {
                throw invalid("numeric", buf, off, len);
            }
            int i = off;
            int end = off + len;
            boolean neg = false;
            byte c = buf.get(i);
            if (c == '-' || c == '+') {
                neg = c == '-';
                i++;
            }
            long unscaled = 0;
            int digits = 0;
            int scale = -1;
            boolean any = false;
            for (; i < end; i++) {
                byte b = buf.get(i);
                if (b == '.' && scale < 0) {
                    scale = 0;
                    continue;
                }
                int d = b - '0';
                if (d < 0 || d > 9) {
                    throw invalid("numeric", buf, off, len);
                }
                any = true;
                if (unscaled != 0 || d != 0) {
                    digits++;
                }
                if (digits > 18) {
                    return bigNumeric(buf, off, len);
                }
                unscaled = unscaled * 10 + d;
                if (scale >= 0) {
                    scale++;
                }
            }
            if (!any) {
                throw invalid("numeric", buf, off, len);
            }
            return BigDecimal.valueOf(neg ? -unscaled : unscaled, Math.max(scale, 0));
        }

        /** More than 18 digits: up to 131072 before and 16383 after the point, as the server allows. */
        private Object bigNumeric(ByteBuffer buf, int off, int len) {
            if (len > 200_000) {
                throw invalid("numeric", buf, off, len);
            }
            int i = off;
            int end = off + len;
            byte sign = buf.get(i);
            if (sign == '-' || sign == '+') {
                i++;
            }
            short[] digits = new short[end - i];
            int n = 0;
            int scale = -1;
            for (; i < end; i++) {
                byte b = buf.get(i);
                if (b == '.' && scale < 0) {
                    scale = 0;
                    continue;
                }
                if (b < '0' || b > '9') {
                    throw invalid("numeric", buf, off, len);
                }
                digits[n++] = (short) (b - '0');
                if (scale >= 0) {
                    scale++;
                }
            }
            BigInteger unscaled = BigDigits.of(digits, n, 10, 18);
            return new BigDecimal(sign == '-' ? unscaled.negate() : unscaled, Math.max(scale, 0));
        }

        public Object decodeBinary(ByteBuffer buf, int off, int len) {
            if (len < 8) {
                throw invalidBinary("numeric", len, "shorter than its 8-byte header");
            }
            int ndigits = buf.getShort(off) & 0xFFFF;
            int weight = buf.getShort(off + 2);
            int sign = buf.getShort(off + 4) & 0xFFFF;
            int dscale = buf.getShort(off + 6) & 0xFFFF;
            if (len != 8 + 2 * ndigits) {
                throw invalidBinary("numeric", len, ndigits + " digits need " + (8 + 2 * ndigits) + " bytes");
            }
            switch (sign) {
                case 0xC000:
                    return Double.NaN;
                case 0xD000:
                    return Double.POSITIVE_INFINITY;
                case 0xF000:
                    return Double.NEGATIVE_INFINITY;
                case 0x0000:
                case 0x4000:
                    break;
                default:
                    throw invalidBinary("numeric", len, "unknown sign 0x" + Integer.toHexString(sign));
            }
            if (dscale > 0x3FFF) {
                throw invalidBinary("numeric", len, "display scale " + dscale + " out of range");
            }
            BigDecimal v;
            if (ndigits == 0) {
                v = BigDecimal.ZERO;
            } else if (ndigits <= 4) {
                long u = 0;
                for (int i = 0; i < ndigits; i++) {
                    u = u * 10_000 + digit(buf, off + 8 + 2 * i, len);
                }
                v = BigDecimal.valueOf(u, -4 * (weight - ndigits + 1));
            } else {
                short[] digits = new short[ndigits];
                for (int i = 0; i < ndigits; i++) {
                    digits[i] = (short) digit(buf, off + 8 + 2 * i, len);
                }
                v = new BigDecimal(BigDigits.of(digits, ndigits, 10_000, 4), -4 * (weight - ndigits + 1));
            }
            if (sign == 0x4000) {
                v = v.negate();
            }
            try {
                return v.setScale(dscale, java.math.RoundingMode.DOWN);
            } catch (ArithmeticException e) {
                throw invalidBinary("numeric", len, e.getMessage());
            }
        }

        private int digit(ByteBuffer buf, int at, int len) {
            int d = buf.getShort(at);
            if (d < 0 || d > 9999) {
                throw invalidBinary("numeric", len, "base-10000 digit " + d + " out of range");
            }
            return d;
        }
    };

    static final ValueDecoder BYTEA = new ValueDecoder() {
        public Object decodeText(ByteBuffer buf, int off, int len) {
            if (len >= 2 && buf.get(off) == '\\' && buf.get(off + 1) == 'x') {
                if ((len & 1) != 0) {
                    throw invalid("bytea", buf, off, len);
                }
                byte[] out = new byte[(len - 2) / 2];
                for (int i = 0; i < out.length; i++) {
                    int hi = Character.digit(buf.get(off + 2 + 2 * i), 16);
                    int lo = Character.digit(buf.get(off + 3 + 2 * i), 16);
                    if (hi < 0 || lo < 0) {
                        throw invalid("bytea", buf, off, len);
                    }
                    out[i] = (byte) ((hi << 4) | lo);
                }
                return out;
            }
            // bytea_output = escape: \\ and \ooo octal escapes
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(len);
            int end = off + len;
            for (int i = off; i < end; i++) {
                byte c = buf.get(i);
                if (c != '\\') {
                    out.write(c);
                } else if (i + 1 < end && buf.get(i + 1) == '\\') {
                    out.write('\\');
                    i++;
                } else if (i + 3 < end + 0 && isOctal(buf.get(i + 1)) && isOctal(buf.get(i + 2))
                        && isOctal(buf.get(i + 3))) {
                    out.write(((buf.get(i + 1) - '0') << 6) | ((buf.get(i + 2) - '0') << 3) | (buf.get(i + 3) - '0'));
                    i += 3;
                } else {
                    throw invalid("bytea", buf, off, len);
                }
            }
            return out.toByteArray();
        }

        private boolean isOctal(byte b) {
            return b >= '0' && b <= '7';
        }

        public Object decodeBinary(ByteBuffer buf, int off, int len) {
            byte[] b = new byte[len];
            buf.get(off, b);
            return b;
        }
    };

    static final ValueDecoder UUID = new ValueDecoder() {
        public Object decodeText(ByteBuffer buf, int off, int len) {
            if (len != 36) {
                throw invalid("uuid", buf, off, len);
            }
            long hi = 0;
            long lo = 0;
            int n = 0;
            for (int i = 0; i < 36; i++) {
                byte c = buf.get(off + i);
                if (i == 8 || i == 13 || i == 18 || i == 23) {
                    if (c != '-') {
                        throw invalid("uuid", buf, off, len);
                    }
                    continue;
                }
                int d = Character.digit(c, 16);
                if (d < 0) {
                    throw invalid("uuid", buf, off, len);
                }
                if (n < 16) {
                    hi = (hi << 4) | d;
                } else {
                    lo = (lo << 4) | d;
                }
                n++;
            }
            return new java.util.UUID(hi, lo);
        }

        public Object decodeBinary(ByteBuffer buf, int off, int len) {
            binaryLength("uuid", len, 16);
            return new java.util.UUID(buf.getLong(off), buf.getLong(off + 8));
        }
    };

    /** A cursor over date/time text; every miss is a {@link PgOutputException}. */
    static final class Cursor {
        final ByteBuffer buf;
        final int start;
        final int end;
        final String type;
        int p;

        Cursor(ByteBuffer buf, int off, int len, String type) {
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
            PgOutputException e = invalid(type, buf, start, end - start);
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

    static LocalDate bcDate(LocalDate d, boolean bc) {
        return bc ? d.withYear(1 - d.getYear()) : d;
    }

    static LocalTime localTime(long nanoOfDay) {
        return nanoOfDay >= 86_400_000_000_000L ? LocalTime.MAX : LocalTime.ofNanoOfDay(nanoOfDay);
    }

    static final ValueDecoder DATE = new ValueDecoder() {
        public Object decodeText(ByteBuffer buf, int off, int len) {
            if (textEquals(buf, off, len, "infinity")) {
                return LocalDate.MAX;
            }
            if (textEquals(buf, off, len, "-infinity")) {
                return LocalDate.MIN;
            }
            Cursor c = new Cursor(buf, off, len, "date");
            LocalDate d = c.date();
            boolean bc = c.bc();
            c.end();
            return bcDate(d, bc);
        }

        public Object decodeBinary(ByteBuffer buf, int off, int len) {
            binaryLength("date", len, 4);
            int days = buf.getInt(off);
            if (days == Integer.MAX_VALUE) {
                return LocalDate.MAX;
            }
            if (days == Integer.MIN_VALUE) {
                return LocalDate.MIN;
            }
            return LocalDate.ofEpochDay(PG_EPOCH_DAY + days);
        }
    };

    static final ValueDecoder TIME = new ValueDecoder() {
        public Object decodeText(ByteBuffer buf, int off, int len) {
            Cursor c = new Cursor(buf, off, len, "time");
            long t = c.time();
            c.end();
            return localTime(t);
        }

        public Object decodeBinary(ByteBuffer buf, int off, int len) {
            binaryLength("time", len, 8);
            long micros = buf.getLong(off);
            if (micros < 0 || micros > 86_400_000_000L) {
                throw invalidBinary("time", len, "microseconds " + micros + " out of range");
            }
            return localTime(micros * 1000L);
        }
    };

    static final ValueDecoder TIMETZ = new ValueDecoder() {
        public Object decodeText(ByteBuffer buf, int off, int len) {
            Cursor c = new Cursor(buf, off, len, "timetz");
            long t = c.time();
            ZoneOffset z = c.offset();
            c.end();
            return OffsetTime.of(localTime(t), z);
        }

        public Object decodeBinary(ByteBuffer buf, int off, int len) {
            binaryLength("timetz", len, 12);
            long micros = buf.getLong(off);
            int zoneWest = buf.getInt(off + 8);
            if (micros < 0 || micros > 86_400_000_000L || zoneWest < -18 * 3600 || zoneWest > 18 * 3600) {
                throw invalidBinary("timetz", len, "time or zone out of range");
            }
            return OffsetTime.of(localTime(micros * 1000L), ZoneOffset.ofTotalSeconds(-zoneWest));
        }
    };

    static final ValueDecoder TIMESTAMP = new ValueDecoder() {
        public Object decodeText(ByteBuffer buf, int off, int len) {
            if (textEquals(buf, off, len, "infinity")) {
                return LocalDateTime.MAX;
            }
            if (textEquals(buf, off, len, "-infinity")) {
                return LocalDateTime.MIN;
            }
            Cursor c = new Cursor(buf, off, len, "timestamp");
            LocalDate d = c.date();
            c.expect(' ');
            long t = c.time();
            boolean bc = c.bc();
            c.end();
            if (t >= 86_400_000_000_000L) {
                throw c.fail();
            }
            return LocalDateTime.of(bcDate(d, bc), LocalTime.ofNanoOfDay(t));
        }

        public Object decodeBinary(ByteBuffer buf, int off, int len) {
            binaryLength("timestamp", len, 8);
            long micros = buf.getLong(off);
            if (micros == Long.MAX_VALUE) {
                return LocalDateTime.MAX;
            }
            if (micros == Long.MIN_VALUE) {
                return LocalDateTime.MIN;
            }
            try {
                return LocalDateTime.ofEpochSecond(PG_EPOCH_SECONDS + Math.floorDiv(micros, 1_000_000L),
                        (int) Math.floorMod(micros, 1_000_000L) * 1000, ZoneOffset.UTC);
            } catch (java.time.DateTimeException e) {
                throw invalidBinary("timestamp", len, "out of range");
            }
        }
    };

    static final ValueDecoder TIMESTAMPTZ = new ValueDecoder() {
        public Object decodeText(ByteBuffer buf, int off, int len) {
            if (textEquals(buf, off, len, "infinity")) {
                return OffsetDateTime.MAX;
            }
            if (textEquals(buf, off, len, "-infinity")) {
                return OffsetDateTime.MIN;
            }
            Cursor c = new Cursor(buf, off, len, "timestamptz");
            LocalDate d = c.date();
            c.expect(' ');
            long t = c.time();
            ZoneOffset z = c.offset();
            boolean bc = c.bc();
            c.end();
            if (t >= 86_400_000_000_000L) {
                throw c.fail();
            }
            return OffsetDateTime.of(LocalDateTime.of(bcDate(d, bc), LocalTime.ofNanoOfDay(t)), z);
        }

        public Object decodeBinary(ByteBuffer buf, int off, int len) {
            binaryLength("timestamptz", len, 8);
            long micros = buf.getLong(off);
            if (micros == Long.MAX_VALUE) {
                return OffsetDateTime.MAX;
            }
            if (micros == Long.MIN_VALUE) {
                return OffsetDateTime.MIN;
            }
            try {
                return OffsetDateTime.of(LocalDateTime.ofEpochSecond(
                        PG_EPOCH_SECONDS + Math.floorDiv(micros, 1_000_000L),
                        (int) Math.floorMod(micros, 1_000_000L) * 1000, ZoneOffset.UTC), ZoneOffset.UTC);
            } catch (java.time.DateTimeException e) {
                throw invalidBinary("timestamptz", len, "out of range");
            }
        }
    };

    static final ValueDecoder INTERVAL = new ValueDecoder() {
        public Object decodeText(ByteBuffer buf, int off, int len) {
            if (textEquals(buf, off, len, "infinity")) {
                return PgInterval.INFINITY;
            }
            if (textEquals(buf, off, len, "-infinity")) {
                return PgInterval.NEGATIVE_INFINITY;
            }
            Cursor c = new Cursor(buf, off, len, "interval");
            long months = 0;
            long days = 0;
            long micros = 0;
            boolean any = false;
            while (!c.atEnd()) {
                if (any) {
                    c.expect(' ');
                }
                any = true;
                boolean neg = false;
                int s = c.peek();
                if (s == '-' || s == '+') {
                    neg = s == '-';
                    c.p++;
                }
                int numStart = c.p;
                long n = c.digits(1, 18);
                if (c.peek() == ':') {
                    long h = n;
                    c.p++;
                    long mi = c.digits(2, 2);
                    c.expect(':');
                    long sec = c.digits(2, 2);
                    int nanos = c.fraction();
                    if (mi > 59 || sec > 59 || nanos % 1000 != 0 || c.p - numStart > 40) {
                        throw c.fail();
                    }
                    long rest = ((mi * 60 + sec) * 1_000_000L) + nanos / 1000;
                    try {
                        // negative values accumulate negatively so that Long.MIN_VALUE microseconds parse
                        long t = neg ? Math.subtractExact(Math.multiplyExact(-h, 3_600_000_000L), rest)
                                : Math.addExact(Math.multiplyExact(h, 3_600_000_000L), rest);
                        micros = Math.addExact(micros, t);
                    } catch (ArithmeticException e) {
                        throw c.fail();
                    }
                    continue;
                }
                c.expect(' ');
                long v = neg ? -n : n;
                try {
                    if (word(c, "years") || word(c, "year")) {
                        months = Math.addExact(months, Math.multiplyExact(v, 12L));
                    } else if (word(c, "mons") || word(c, "mon")) {
                        months = Math.addExact(months, v);
                    } else if (word(c, "days") || word(c, "day")) {
                        days = Math.addExact(days, v);
                    } else {
                        throw c.fail();
                    }
                } catch (ArithmeticException e) {
                    throw c.fail();
                }
                if (months < Integer.MIN_VALUE || months > Integer.MAX_VALUE || days < Integer.MIN_VALUE
                        || days > Integer.MAX_VALUE) {
                    throw c.fail();
                }
            }
            if (!any) {
                throw c.fail();
            }
            return new PgInterval((int) months, (int) days, micros);
        }

        private boolean word(Cursor c, String w) {
            int n = w.length();
            if (c.end - c.p < n) {
                return false;
            }
            for (int i = 0; i < n; i++) {
                if (c.buf.get(c.p + i) != w.charAt(i)) {
                    return false;
                }
            }
            if (c.p + n < c.end && c.buf.get(c.p + n) != ' ') {
                return false;
            }
            c.p += n;
            return true;
        }

        public Object decodeBinary(ByteBuffer buf, int off, int len) {
            binaryLength("interval", len, 16);
            return new PgInterval(buf.getInt(off + 12), buf.getInt(off + 8), buf.getLong(off));
        }
    };
}
