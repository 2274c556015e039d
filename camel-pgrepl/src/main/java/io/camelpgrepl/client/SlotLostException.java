package io.camelpgrepl.client;

/**
 * A slot this consumer streamed from before is missing: dropped, invalidated away, or this server is a promoted
 * standby the slot never synchronised to. Changes after the last acknowledged position may be lost, so the slot is
 * never re-created silently. Permanent: a person decides.
 */
public final class SlotLostException extends ReplicationException {

    private static final long serialVersionUID = 1L;

    public SlotLostException(String message) {
        super(message, null, false);
    }
}
