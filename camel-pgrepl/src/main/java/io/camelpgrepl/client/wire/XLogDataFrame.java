package io.camelpgrepl.client.wire;

import java.nio.ByteBuffer;

import io.camelpgrepl.client.ProtocolException;

/**
 * The header of an XLogData ('w') CopyData message and a view of its payload: {@code dataStart (8) | walEnd (8) |
 * sendTime (8) | data}. Parsing does not copy the payload.
 */
public record XLogDataFrame(long walStart, long walEnd, long sendTime, ByteBuffer data) {

    public static final int HEADER = 1 + 8 + 8 + 8;

    /** Parses a CopyData body that starts with 'w'. */
    public static XLogDataFrame parse(byte[] copyDataBody) {
        if (copyDataBody.length <= HEADER) {
            throw new ProtocolException("XLogData of " + copyDataBody.length + " bytes is too short: a 25-byte header "
                    + "and at least one pgoutput byte are required");
        }
        ByteBuffer b = ByteBuffer.wrap(copyDataBody);
        long walStart = b.getLong(1);
        long walEnd = b.getLong(9);
        long sendTime = b.getLong(17);
        ByteBuffer data = ByteBuffer.wrap(copyDataBody, HEADER, copyDataBody.length - HEADER).slice()
                .asReadOnlyBuffer();
        return new XLogDataFrame(walStart, walEnd, sendTime, data);
    }
}
