package io.camelpgrepl.pgoutput;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One pgoutput TupleData: per column a kind ({@code 'n'} null, {@code 'u'} unchanged TOAST, {@code 't'} text,
 * {@code 'b'} binary) and, for text and binary, the value bytes. The bytes are not copied: the tuple keeps a
 * read-only view of the message and offsets into it, so typed decoding reads straight from the message.
 */
public final class TupleData {

    public static final char NULL = 'n';
    public static final char UNCHANGED_TOAST = 'u';
    public static final char TEXT = 't';
    public static final char BINARY = 'b';

    private final ByteBuffer buf;
    /** Per column: kind, offset, length (one array: a tuple is read for every row). */
    private final int[] cells;

    private TupleData(ByteBuffer buf, int[] cells) {
        this.buf = buf;
        this.cells = cells;
    }

    /** A tuple laid out already: per column kind, offset into {@code buf}, length (an initial snapshot's row). */
    static TupleData of(ByteBuffer buf, int[] cells) {
        return new TupleData(buf, cells);
    }

    /** Decodes a TupleData at the reader's position. */
    static TupleData read(PgOutputReader r) {
        int n = r.i16("column count") & 0xFFFF;
        // each column takes at least its kind byte: bound the arrays by the bytes left
        r.needLength(n, "column count");
        int[] cells = new int[3 * n];
        for (int i = 0; i < n; i++) {
            if (r.remaining() < 1) {
                // the label is built only here: this loop runs for every column of every row
                r.need(1, "column " + (i + 1) + " kind");
            }
            byte kind = r.u8("column kind");
            cells[3 * i] = kind;
            switch (kind) {
                case 'n':
                case 'u':
                    break;
                case 't':
                case 'b': {
                    if (r.remaining() < 4) {
                        throw r.error("truncated: column " + (i + 1) + " length needs 4 bytes, "
                                + r.remaining() + " left");
                    }
                    int len = r.i32("column length");
                    if (len < 0 || len > r.remaining()) {
                        throw r.error("column " + (i + 1) + " length " + len + " exceeds the " + r.remaining()
                                + " bytes left", r.pos() - 4);
                    }
                    cells[3 * i + 1] = r.pos();
                    cells[3 * i + 2] = len;
                    r.skip(len);
                    break;
                }
                default:
                    throw r.error("column " + (i + 1) + " has unknown kind 0x"
                            + Integer.toHexString(kind & 0xFF), r.pos() - 1);
            }
        }
        return new TupleData(r.buffer(), cells);
    }

    public int size() {
        return cells.length / 3;
    }

    /** {@code 'n'}, {@code 'u'}, {@code 't'} or {@code 'b'}. */
    public char kind(int column) {
        return (char) cells[3 * column];
    }

    public boolean isNull(int column) {
        return cells[3 * column] == 'n';
    }

    public boolean isUnchangedToast(int column) {
        return cells[3 * column] == 'u';
    }

    /** The value without type interpretation: null, {@link UnchangedToast#INSTANCE}, a String or a byte[]. */
    public Object rawValue(int column) {
        switch (cells[3 * column]) {
            case 'n':
                return null;
            case 'u':
                return UnchangedToast.INSTANCE;
            case 't':
                return text(column);
            default:
                return bytes(column);
        }
    }

    /** The value bytes as UTF-8 text (text or binary kind); null for null or unchanged TOAST. */
    public String text(int column) {
        int k = cells[3 * column];
        if (k == 'n' || k == 'u') {
            return null;
        }
        return new String(bytes(column), StandardCharsets.UTF_8);
    }

    /** A copy of the value bytes; null for null or unchanged TOAST. */
    public byte[] bytes(int column) {
        int k = cells[3 * column];
        if (k == 'n' || k == 'u') {
            return null;
        }
        byte[] b = new byte[cells[3 * column + 2]];
        buf.get(cells[3 * column + 1], b);
        return b;
    }

    ByteBuffer buffer() {
        return buf;
    }

    int offset(int column) {
        return cells[3 * column + 1];
    }

    int length(int column) {
        return cells[3 * column + 2];
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("TupleData[");
        for (int i = 0; i < size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            Object v = rawValue(i);
            sb.append(v instanceof byte[] ? "<" + ((byte[]) v).length + " bytes>" : String.valueOf(v));
        }
        return sb.append(']').toString();
    }
}
