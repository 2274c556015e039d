package io.camelpgrepl.client.wire;

import java.nio.ByteBuffer;

/**
 * One backend message: its type byte and its body (the bytes after the length word). The body array is owned
 * by the frame: the reader never reuses it.
 */
public record Frame(byte type, byte[] body) {

    /** The body as a big-endian buffer at position 0. */
    public ByteBuffer buffer() {
        return ByteBuffer.wrap(body);
    }

    public char typeChar() {
        return (char) type;
    }
}
