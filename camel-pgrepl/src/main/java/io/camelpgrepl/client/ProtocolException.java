package io.camelpgrepl.client;

/**
 * The server sent something that violates the protocol (an unknown or malformed message, a length over the
 * configured limit, a truncated frame). Permanent: the stream cannot be trusted past this point.
 */
public class ProtocolException extends ReplicationException {

    private static final long serialVersionUID = 1L;

    public ProtocolException(String message) {
        super(message, null, false);
    }

    public ProtocolException(String message, Throwable cause) {
        super(message, cause, false);
    }
}
