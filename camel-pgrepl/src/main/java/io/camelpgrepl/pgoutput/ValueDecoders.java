package io.camelpgrepl.pgoutput;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The decoders behind {@link PgTypes} for text, bytes, booleans, integers, floats and uuid, and the helpers every
 * decoder shares ({@link NumericDecoder} and {@link DateTimeDecoders} hold the other families). Text parsers read
 * digits straight from the buffer (no regex, no intermediate String for numbers and dates); every failure is a
 * {@link PgOutputException}.
 */
final class ValueDecoders {

    private ValueDecoders() {
    }

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
}
