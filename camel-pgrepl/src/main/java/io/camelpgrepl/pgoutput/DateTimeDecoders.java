package io.camelpgrepl.pgoutput;

import static io.camelpgrepl.pgoutput.ValueDecoders.binaryLength;
import static io.camelpgrepl.pgoutput.ValueDecoders.invalidBinary;
import static io.camelpgrepl.pgoutput.ValueDecoders.textEquals;

import java.nio.ByteBuffer;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;

/**
 * The date and time decoders: {@code date}, {@code time}, {@code timetz}, {@code timestamp}, {@code timestamptz}
 * and {@code interval}. Text is read in the default styles ({@code DateStyle = ISO}, {@code IntervalStyle =
 * postgres}) by a {@link DateTimeCursor}, binary as the server's microseconds and days since 2000-01-01.
 */
final class DateTimeDecoders {

    private DateTimeDecoders() {
    }

    static final long PG_EPOCH_DAY = 10_957L; // 2000-01-01 as epoch day
    static final long PG_EPOCH_SECONDS = PgOutputReader.PG_EPOCH_SECONDS;

    static LocalDate bcDate(LocalDate d, boolean bc) {
        return bc ? d.withYear(1 - d.getYear()) : d;
    }

    static LocalTime localTime(long nanoOfDay) {
        return nanoOfDay >= 86_400_000_000_000L ? LocalTime.MAX : LocalTime.ofNanoOfDay(nanoOfDay);
    }

    static final ValueDecoder DATE = new ValueDecoder() {
        @Override
        public Object decodeText(ByteBuffer buf, int off, int len) {
            if (textEquals(buf, off, len, "infinity")) {
                return LocalDate.MAX;
            }
            if (textEquals(buf, off, len, "-infinity")) {
                return LocalDate.MIN;
            }
            DateTimeCursor c = new DateTimeCursor(buf, off, len, "date");
            LocalDate d = c.date();
            boolean bc = c.bc();
            c.end();
            return bcDate(d, bc);
        }

        @Override
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
        @Override
        public Object decodeText(ByteBuffer buf, int off, int len) {
            DateTimeCursor c = new DateTimeCursor(buf, off, len, "time");
            long t = c.time();
            c.end();
            return localTime(t);
        }

        @Override
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
        @Override
        public Object decodeText(ByteBuffer buf, int off, int len) {
            DateTimeCursor c = new DateTimeCursor(buf, off, len, "timetz");
            long t = c.time();
            ZoneOffset z = c.offset();
            c.end();
            return OffsetTime.of(localTime(t), z);
        }

        @Override
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

    static final ValueDecoder TIMESTAMP = new TimestampDecoder(false);
    static final ValueDecoder TIMESTAMPTZ = new TimestampDecoder(true);

    /**
     * {@code timestamp} as a {@link LocalDateTime}, {@code timestamptz} as an {@link OffsetDateTime} in the offset
     * the text carries (UTC for binary, which is microseconds since 2000-01-01 UTC); the infinities as MIN and MAX.
     */
    private static final class TimestampDecoder implements ValueDecoder {
        private final boolean withOffset;
        private final String type;

        TimestampDecoder(boolean withOffset) {
            this.withOffset = withOffset;
            this.type = withOffset ? "timestamptz" : "timestamp";
        }

        @Override
        public Object decodeText(ByteBuffer buf, int off, int len) {
            if (textEquals(buf, off, len, "infinity")) {
                return withOffset ? OffsetDateTime.MAX : LocalDateTime.MAX;
            }
            if (textEquals(buf, off, len, "-infinity")) {
                return withOffset ? OffsetDateTime.MIN : LocalDateTime.MIN;
            }
            DateTimeCursor c = new DateTimeCursor(buf, off, len, type);
            LocalDate d = c.date();
            c.expect(' ');
            long t = c.time();
            ZoneOffset z = withOffset ? c.offset() : null;
            boolean bc = c.bc();
            c.end();
            if (t >= 86_400_000_000_000L) {
                throw c.fail();
            }
            return at(LocalDateTime.of(bcDate(d, bc), LocalTime.ofNanoOfDay(t)), z);
        }

        @Override
        public Object decodeBinary(ByteBuffer buf, int off, int len) {
            binaryLength(type, len, 8);
            long micros = buf.getLong(off);
            if (micros == Long.MAX_VALUE) {
                return withOffset ? OffsetDateTime.MAX : LocalDateTime.MAX;
            }
            if (micros == Long.MIN_VALUE) {
                return withOffset ? OffsetDateTime.MIN : LocalDateTime.MIN;
            }
            try {
                return at(LocalDateTime.ofEpochSecond(PG_EPOCH_SECONDS + Math.floorDiv(micros, 1_000_000L),
                        (int) Math.floorMod(micros, 1_000_000L) * 1000, ZoneOffset.UTC), ZoneOffset.UTC);
            } catch (java.time.DateTimeException e) {
                throw invalidBinary(type, len, "out of range");
            }
        }

        private Object at(LocalDateTime local, ZoneOffset offset) {
            return withOffset ? OffsetDateTime.of(local, offset) : local;
        }
    }

    static final ValueDecoder INTERVAL = new ValueDecoder() {
        @Override
        public Object decodeText(ByteBuffer buf, int off, int len) {
            if (textEquals(buf, off, len, "infinity")) {
                return PgInterval.INFINITY;
            }
            if (textEquals(buf, off, len, "-infinity")) {
                return PgInterval.NEGATIVE_INFINITY;
            }
            DateTimeCursor c = new DateTimeCursor(buf, off, len, "interval");
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

        private boolean word(DateTimeCursor c, String w) {
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

        @Override
        public Object decodeBinary(ByteBuffer buf, int off, int len) {
            binaryLength("interval", len, 16);
            return new PgInterval(buf.getInt(off + 12), buf.getInt(off + 8), buf.getLong(off));
        }
    };
}
