package io.camelpgrepl.camel;

/**
 * Thrown by {@link SnapshotExchanges} to abandon an initial snapshot: it leaves
 * {@link io.camelpgrepl.client.ReplicationClient#connect} (which closes the connection, and with it the snapshot's
 * temporary slot) and tells {@link ReplicationLoop} what comes next, as a session's outcome would.
 */
final class SnapshotAbandoned extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient ReplicationSession.Outcome outcome;

    SnapshotAbandoned(ReplicationSession.Outcome outcome) {
        super("initial snapshot abandoned (" + outcome + ")", null, false, false);
        this.outcome = outcome;
    }

    ReplicationSession.Outcome outcome() {
        return outcome;
    }
}
