package io.camelpgrepl.client;

/**
 * Base of every error the replication client raises.
 *
 * <p>Each error is classified: {@link #isTransient()} errors (I/O, connection loss, server shutdown, slot in
 * use, resource shortage) may succeed on a later attempt and reconnect logic retries them with backoff;
 * permanent errors (authentication, TLS verification, a missing slot, protocol violations, bad
 * configuration) will fail again the same way and must not be retried in a loop.
 */
public class ReplicationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final boolean transientError;

    public ReplicationException(String message, boolean transientError) {
        this(message, null, transientError);
    }

    public ReplicationException(String message, Throwable cause, boolean transientError) {
        super(message, cause);
        this.transientError = transientError;
    }

    /** True when retrying later may succeed; false when the same attempt will fail the same way. */
    public boolean isTransient() {
        return transientError;
    }
}
