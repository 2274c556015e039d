package io.camelpgrepl.pgoutput;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Decodes a PostgreSQL array into a {@code List} of its element type's values (NULL elements are null). A
 * multi-dimensional array becomes nested lists; the lower bounds ({@code [0:2]={...}}) are not kept.
 */
final class ArrayDecoder implements ValueDecoder {

    /** PostgreSQL's MAXDIM: no array has more dimensions. */
    static final int MAX_DIMS = 6;

    private final int elementOid;
    private final ValueDecoder element;

    ArrayDecoder(int elementOid) {
        this.elementOid = elementOid;
        this.element = PgTypes.decoder(elementOid);
    }

    @Override
    public Object decodeText(ByteBuffer buf, int off, int len) {
        String s = ValueDecoders.utf8(buf, off, len);
        int[] pos = {0};
        if (s.startsWith("[")) {
            int eq = s.indexOf('=');
            if (eq < 0) {
                throw ValueDecoders.invalid("array", buf, off, len);
            }
            pos[0] = eq + 1;
        }
        List<Object> result = parse(s, pos, 0, buf, off, len);
        if (pos[0] != s.length()) {
            throw ValueDecoders.invalid("array", buf, off, len);
        }
        return result;
    }

    private List<Object> parse(String s, int[] pos, int depth, ByteBuffer buf, int off, int len) {
        int p = pos[0];
        if (depth > MAX_DIMS || p >= s.length() || s.charAt(p) != '{') {
            throw ValueDecoders.invalid("array", buf, off, len);
        }
        p++;
        List<Object> out = new ArrayList<>();
        if (p < s.length() && s.charAt(p) == '}') {
            pos[0] = p + 1;
            return out;
        }
        StringBuilder sb = new StringBuilder();
        while (true) {
            while (p < s.length() && Character.isWhitespace(s.charAt(p))) {
                p++;
            }
            if (p >= s.length()) {
                throw ValueDecoders.invalid("array", buf, off, len);
            }
            char c = s.charAt(p);
            if (c == '{') {
                pos[0] = p;
                out.add(parse(s, pos, depth + 1, buf, off, len));
                p = pos[0];
            } else {
                sb.setLength(0);
                boolean quoted = c == '"';
                if (quoted) {
                    p++;
                    while (true) {
                        if (p >= s.length()) {
                            throw ValueDecoders.invalid("array", buf, off, len);
                        }
                        char q = s.charAt(p++);
                        if (q == '"') {
                            break;
                        }
                        if (q == '\\') {
                            if (p >= s.length()) {
                                throw ValueDecoders.invalid("array", buf, off, len);
                            }
                            q = s.charAt(p++);
                        }
                        sb.append(q);
                    }
                } else {
                    while (p < s.length()) {
                        char q = s.charAt(p);
                        if (q == ',' || q == '}') {
                            break;
                        }
                        if (q == '{' || q == '"') {
                            throw ValueDecoders.invalid("array", buf, off, len);
                        }
                        p++;
                        if (q == '\\') {
                            if (p >= s.length()) {
                                throw ValueDecoders.invalid("array", buf, off, len);
                            }
                            q = s.charAt(p++);
                        }
                        sb.append(q);
                    }
                    // trailing whitespace of an unquoted element is not part of it
                    int e = sb.length();
                    while (e > 0 && Character.isWhitespace(sb.charAt(e - 1))) {
                        e--;
                    }
                    sb.setLength(e);
                    if (sb.length() == 0) {
                        throw ValueDecoders.invalid("array", buf, off, len);
                    }
                }
                if (!quoted && sb.length() == 4 && "NULL".equalsIgnoreCase(sb.toString())) {
                    out.add(null);
                } else {
                    byte[] b = sb.toString().getBytes(StandardCharsets.UTF_8);
                    out.add(element.decodeText(ByteBuffer.wrap(b), 0, b.length));
                }
            }
            while (p < s.length() && Character.isWhitespace(s.charAt(p))) {
                p++;
            }
            if (p >= s.length()) {
                throw ValueDecoders.invalid("array", buf, off, len);
            }
            char sep = s.charAt(p++);
            if (sep == '}') {
                pos[0] = p;
                return out;
            }
            if (sep != ',') {
                throw ValueDecoders.invalid("array", buf, off, len);
            }
        }
    }

    @Override
    public Object decodeBinary(ByteBuffer buf, int off, int len) {
        if (len < 12) {
            throw ValueDecoders.invalidBinary("array", len, "shorter than its 12-byte header");
        }
        int ndim = buf.getInt(off);
        int flags = buf.getInt(off + 4);
        int elemType = buf.getInt(off + 8);
        if (ndim < 0 || ndim > MAX_DIMS || (flags & ~1) != 0) {
            throw ValueDecoders.invalidBinary("array", len, "bad header (ndim " + ndim + ", flags " + flags + ")");
        }
        if (ndim == 0) {
            return Collections.emptyList();
        }
        if (len < 12 + 8L * ndim) {
            throw ValueDecoders.invalidBinary("array", len, "truncated dimensions");
        }
        int[] dims = new int[ndim];
        long total = 1;
        for (int i = 0; i < ndim; i++) {
            dims[i] = buf.getInt(off + 12 + 8 * i);
            if (dims[i] < 0) {
                throw ValueDecoders.invalidBinary("array", len, "negative dimension " + dims[i]);
            }
            total *= dims[i];
            // every element takes at least its 4-byte length: bound the count before allocating
            if (total * 4 > len) {
                throw ValueDecoders.invalidBinary("array", len, "more elements than the bytes can hold");
            }
        }
        if (PgTypes.elementType(elemType) != 0) {
            // PostgreSQL stores every array flat with a scalar element type; an element that is itself an array
            // would let a hostile value nest without bound (and overflow the stack) past MAXDIM.
            throw ValueDecoders.invalidBinary("array", len, "element type " + elemType + " is itself an array type;"
                    + " PostgreSQL arrays nest at most " + MAX_DIMS + " dimensions (MAXDIM) inside one value");
        }
        ValueDecoder dec = elemType == elementOid ? element : PgTypes.decoder(elemType);
        int[] p = {off + 12 + 8 * ndim};
        List<Object> result = readDim(buf, p, off + len, dims, 0, dec, len);
        if (p[0] != off + len) {
            throw ValueDecoders.invalidBinary("array", len, "trailing bytes after the elements");
        }
        return result;
    }

    private List<Object> readDim(ByteBuffer buf, int[] p, int end, int[] dims, int d, ValueDecoder dec, int len) {
        List<Object> out = new ArrayList<>(dims[d]);
        for (int i = 0; i < dims[d]; i++) {
            if (d + 1 < dims.length) {
                out.add(readDim(buf, p, end, dims, d + 1, dec, len));
                continue;
            }
            if (end - p[0] < 4) {
                throw ValueDecoders.invalidBinary("array", len, "truncated element length");
            }
            int elen = buf.getInt(p[0]);
            p[0] += 4;
            if (elen == -1) {
                out.add(null);
                continue;
            }
            if (elen < 0 || elen > end - p[0]) {
                throw ValueDecoders.invalidBinary("array", len, "element length " + elen + " exceeds the "
                        + (end - p[0]) + " bytes left");
            }
            out.add(dec.decodeBinary(buf, p[0], elen));
            p[0] += elen;
        }
        return out;
    }
}
