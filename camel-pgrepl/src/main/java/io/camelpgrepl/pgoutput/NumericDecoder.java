package io.camelpgrepl.pgoutput;

import static io.camelpgrepl.pgoutput.ValueDecoders.invalid;
import static io.camelpgrepl.pgoutput.ValueDecoders.invalidBinary;
import static io.camelpgrepl.pgoutput.ValueDecoders.textEquals;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.ByteBuffer;

/**
 * {@code numeric} as a {@link BigDecimal} keeping the value's scale ({@code NaN} and the infinities as
 * {@link Double}): up to 18 digits without a {@link BigInteger}, longer values through {@link BigDigits}. A binary
 * value whose display scale would need more than {@value #MAX_PADDING_ZEROS} zeros its digits do not carry keeps its
 * exponent form (see {@link #MAX_PADDING_ZEROS}).
 */
final class NumericDecoder implements ValueDecoder {

    static final ValueDecoder NUMERIC = new NumericDecoder();
    /**
     * How many zeros a binary value may have materialised that its digits do not carry (integer zeros of a large
     * weight, display-scale zeros after the point). Beyond it the value keeps its exponent form; the text format
     * (and toPlainString) still writes it out in full.
     */
    static final int MAX_PADDING_ZEROS = 100;

    private NumericDecoder() {
    }

    @Override
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

    @Override
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
        if ((long) dscale - v.scale() > MAX_PADDING_ZEROS) {
            // 10 bytes can say 1 followed by 131068 zeros (weight 32767), or 16383 zeros after the point: keep the
            // compact form (same value, e.g. 1E+131068) rather than let a value allocate thousands of times its size
            return v;
        }
        try {
            return v.setScale(dscale, RoundingMode.DOWN);
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
}
