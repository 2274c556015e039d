package io.camelpgrepl.client;

/** The connection could not be made, was lost, or timed out. Always transient. */
public final class ConnectionException extends ReplicationException {

    private static final long serialVersionUID = 1L;

    public ConnectionException(String message, Throwable cause) {
        super(message, cause, true);
    }

    public ConnectionException(String message) {
        super(message, null, true);
    }
}
