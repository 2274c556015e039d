package io.camelpgrepl.pgoutput;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.Map;

/**
 * Digits to a {@link BigInteger} by halving: {@code high * base^len(low) + low}, so that the big
 * multiplications are few and large (where {@link BigInteger} uses Karatsuba and Toom-Cook) instead of one
 * multiply-by-the-base per digit. A numeric of 147,000 digits, the largest PostgreSQL allows, takes milliseconds
 * instead of seconds; {@code new BigDecimal(String)} and the digit-by-digit loop are quadratic.
 */
final class BigDigits {

    private final int base;
    private final int leafDigits;
    private final Map<Integer, BigInteger> powers = new HashMap<>();

    private BigDigits(int base, int leafDigits) {
        this.base = base;
        this.leafDigits = leafDigits;
    }

    /**
     * The first {@code n} digits (most significant first) in {@code base}; {@code leafDigits} of them must fit a
     * long.
     */
    static BigInteger of(short[] digits, int n, int base, int leafDigits) {
        return new BigDigits(base, leafDigits).combine(digits, 0, n);
    }

    private BigInteger combine(short[] digits, int from, int to) {
        if (to - from <= leafDigits) {
            long v = 0;
            for (int i = from; i < to; i++) {
                v = v * base + digits[i];
            }
            return BigInteger.valueOf(v);
        }
        int mid = from + (to - from) / 2;
        BigInteger high = combine(digits, from, mid);
        BigInteger low = combine(digits, mid, to);
        return high.multiply(power(to - mid)).add(low);
    }

    private BigInteger power(int exponent) {
        return powers.computeIfAbsent(exponent, e -> BigInteger.valueOf(base).pow(e));
    }
}
