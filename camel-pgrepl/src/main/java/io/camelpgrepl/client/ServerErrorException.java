package io.camelpgrepl.client;

/**
 * The server answered with an ErrorResponse. The fields (severity, SQLSTATE, message, detail, hint) are kept;
 * transient or permanent follows {@link ServerError#isTransient()} (e.g. 55006 slot in use is transient,
 * 42704 missing slot is permanent).
 */
public final class ServerErrorException extends ReplicationException {

    private static final long serialVersionUID = 1L;

    private final transient ServerError error;

    public ServerErrorException(String context, ServerError error) {
        super(context + ": " + error.describe(), null, error.isTransient());
        this.error = error;
    }

    public ServerError error() {
        return error;
    }

    public String sqlState() {
        return error.sqlState();
    }

    /** True for 55006: the slot is active for another process (the standby state of a second consumer). */
    public boolean isSlotInUse() {
        return "55006".equals(error.sqlState());
    }
}
