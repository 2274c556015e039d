package io.camelpgrepl.client.wire;

import java.nio.ByteBuffer;

import io.camelpgrepl.client.Lsn;

/**
 * The standby status update ('r') a replication client sends inside CopyData.
 *
 * @param write          highest WAL position received
 * @param flush          highest position durably processed (the acknowledgement; 0/0 = none yet)
 * @param apply          highest position applied (same as flush for this client)
 * @param clientTime     client clock, microseconds since 2000-01-01
 * @param replyRequested ask the server to answer at once (used as a liveness probe)
 */
public record StandbyStatusUpdate(Lsn write, Lsn flush, Lsn apply, long clientTime, boolean replyRequested) {

    /** Size of the whole CopyData message: 'd' + length + 'r' + 3 LSNs + time + flag. */
    public static final int MESSAGE_SIZE = 1 + 4 + 1 + 8 + 8 + 8 + 8 + 1;

    /** Encodes the complete CopyData('d') message ready for the socket. */
    public byte[] encode() {
        ByteBuffer b = ByteBuffer.allocate(MESSAGE_SIZE);
        b.put((byte) 'd').putInt(MESSAGE_SIZE - 1).put((byte) 'r');
        b.putLong(write.asLong()).putLong(flush.asLong()).putLong(apply.asLong());
        b.putLong(clientTime).put((byte) (replyRequested ? 1 : 0));
        return b.array();
    }

    /** Decodes the body of a CopyData message that starts with 'r' (for tests and fake servers). */
    public static StandbyStatusUpdate decode(ByteBuffer copyDataBody) {
        if (copyDataBody.remaining() < MESSAGE_SIZE - 5 || copyDataBody.get() != 'r') {
            throw new IllegalArgumentException("not a standby status update");
        }
        return new StandbyStatusUpdate(Lsn.of(copyDataBody.getLong()), Lsn.of(copyDataBody.getLong()),
                Lsn.of(copyDataBody.getLong()), copyDataBody.getLong(), copyDataBody.get() != 0);
    }
}
