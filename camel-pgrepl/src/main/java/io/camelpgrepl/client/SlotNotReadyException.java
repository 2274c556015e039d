package io.camelpgrepl.client;

/**
 * The slot exists but cannot be streamed yet: it is a failover slot still being synchronised to this standby
 * ({@code synced} on a server in recovery), which becomes usable when the standby is promoted. Transient: retry
 * (through the host list, the promoted server is found).
 */
public final class SlotNotReadyException extends ReplicationException {

    private static final long serialVersionUID = 1L;

    public SlotNotReadyException(String message, Throwable cause) {
        super(message, cause, true);
    }
}
