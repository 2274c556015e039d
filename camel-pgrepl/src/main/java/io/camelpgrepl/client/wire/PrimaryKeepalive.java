package io.camelpgrepl.client.wire;

import java.nio.ByteBuffer;

import io.camelpgrepl.client.ProtocolException;

/** A primary keepalive ('k') CopyData message: {@code walEnd (8) | sendTime (8) | replyRequested (1)}. */
public record PrimaryKeepalive(long walEnd, long sendTime, boolean replyRequested) {

    public static final int LENGTH = 1 + 8 + 8 + 1;

    /** Parses a CopyData body that starts with 'k'. */
    public static PrimaryKeepalive parse(byte[] copyDataBody) {
        if (copyDataBody.length < LENGTH) {
            throw new ProtocolException("Keepalive of " + copyDataBody.length + " bytes is shorter than " + LENGTH);
        }
        ByteBuffer b = ByteBuffer.wrap(copyDataBody);
        return new PrimaryKeepalive(b.getLong(1), b.getLong(9), b.get(17) != 0);
    }
}
