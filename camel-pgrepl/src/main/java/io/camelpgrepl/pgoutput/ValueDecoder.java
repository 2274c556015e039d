package io.camelpgrepl.pgoutput;

import java.nio.ByteBuffer;

/**
 * Turns one column value's bytes into a Java value for one PostgreSQL type. Implementations are stateless and
 * shared; they read {@code length} bytes at absolute {@code offset} in {@code buf} without moving its position,
 * and throw {@link PgOutputException} (never another exception) when the bytes are not a valid value.
 */
public interface ValueDecoder {

    /** Decodes the type's text output ({@code typoutput}), as sent in a {@code 't'} column. */
    Object decodeText(ByteBuffer buf, int offset, int length);

    /** Decodes the type's binary send format ({@code typsend}), as sent in a {@code 'b'} column. */
    Object decodeBinary(ByteBuffer buf, int offset, int length);
}
