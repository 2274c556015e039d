package io.camelpgrepl.client;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One row of an initial snapshot as the server sent it: per column its bytes in the server's text output (or, with
 * {@code binary}, its binary send format), or SQL NULL. Not copied: offsets into the received message.
 */
public final class SnapshotRow {

    private final byte[] body;
    private final int[] offsets;
    private final int[] lengths;
    private final boolean binary;

    /** @param lengths per column, -1 for SQL NULL */
    SnapshotRow(byte[] body, int[] offsets, int[] lengths, boolean binary) {
        this.body = body;
        this.offsets = offsets;
        this.lengths = lengths;
        this.binary = binary;
    }

    public int size() {
        return offsets.length;
    }

    /** Whether the values are in binary send format rather than text. */
    public boolean isBinary() {
        return binary;
    }

    public boolean isNull(int column) {
        return lengths[column] < 0;
    }

    /** The message the values are in (read-only); see {@link #offset} and {@link #length}. */
    public ByteBuffer buffer() {
        return ByteBuffer.wrap(body).asReadOnlyBuffer();
    }

    public int offset(int column) {
        return offsets[column];
    }

    /** The value's length in bytes, -1 for SQL NULL. */
    public int length(int column) {
        return lengths[column];
    }

    /** The value as UTF-8 text; null for SQL NULL. */
    public String text(int column) {
        return isNull(column) ? null : new String(body, offsets[column], lengths[column], StandardCharsets.UTF_8);
    }
}
