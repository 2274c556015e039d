package io.camelpgrepl.pgoutput;

import io.camelpgrepl.client.ProtocolException;

/**
 * A pgoutput message could not be decoded: truncated, a length that does not fit, an unknown message type, a
 * row change for a relation never described, or a column value that does not parse as its type. The message
 * names the pgoutput message (type byte and name) and the byte offset inside it.
 */
public class PgOutputException extends ProtocolException {

    private static final long serialVersionUID = 1L;

    public PgOutputException(String message) {
        super(message);
    }

    public PgOutputException(String message, Throwable cause) {
        super(message, cause);
    }
}
