package io.camelpgrepl.camel;

import java.time.Instant;
import java.util.Map;

import io.camelpgrepl.client.Lsn;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultMessage;

/**
 * The message of a pgrepl exchange: its {@link PgReplConstants} headers are held as fields and put into the header
 * map only when something first looks at the headers (Camel's {@link DefaultMessage#populateInitialHeaders} hook,
 * as camel-jms does), so a route that never reads them does not pay for nine case-insensitive map entries per event.
 * To the route the headers are the same either way; copies of the message carry them populated.
 */
final class PgReplMessage extends DefaultMessage {

    private final Lsn lsn;
    private final String messageType;
    private final String slot;
    private final Lsn commitLsn;
    private final Instant commitTimestamp;
    private final boolean hasXid;
    /** The unsigned 32-bit xid, as a long. */
    private final long xid;
    private final String operation;
    private final String schema;
    private final String table;
    private final Boolean uncommitted;
    private final Identity identity;

    /**
     * The event id and, on row changes, the row's key and (after a key change) old key; each may be null.
     *
     * @param key    a map of column name to typed value
     * @param oldKey likewise
     */
    record Identity(String eventId, Map<String, Object> key, Map<String, Object> oldKey) {
        static final Identity NONE = new Identity(null, null, null);
    }

    /**
     * @param commitLsn       null when unknown
     * @param commitTimestamp null when unknown
     * @param hasXid          whether the event has a transaction id ({@code xid} is ignored when not)
     * @param operation       the row operation (row changes and TRUNCATE only), else null
     * @param schema          with {@code table}: the changed table, or null
     * @param uncommitted     for row changes, truncates and messages: whether their transaction is still open; else
     *                        null
     * @param identity        event id and key headers
     */
    PgReplMessage(Exchange exchange, Object body, Lsn lsn, String messageType, String slot, Lsn commitLsn,
                  Instant commitTimestamp, boolean hasXid, long xid, String operation, String schema, String table,
                  Boolean uncommitted, Identity identity) {
        super(exchange);
        setBody(body);
        this.lsn = lsn;
        this.messageType = messageType;
        this.slot = slot;
        this.commitLsn = commitLsn;
        this.commitTimestamp = commitTimestamp;
        this.hasXid = hasXid;
        this.xid = xid;
        this.operation = operation;
        this.schema = schema;
        this.table = table;
        this.uncommitted = uncommitted;
        this.identity = identity;
    }

    @Override
    protected void populateInitialHeaders(Map<String, Object> map) {
        map.put(PgReplConstants.LSN, lsn);
        map.put(PgReplConstants.MESSAGE_TYPE, messageType);
        map.put(PgReplConstants.SLOT, slot);
        if (commitLsn != null) {
            map.put(PgReplConstants.COMMIT_LSN, commitLsn);
        }
        if (commitTimestamp != null) {
            map.put(PgReplConstants.COMMIT_TIMESTAMP, commitTimestamp);
        }
        if (hasXid) {
            map.put(PgReplConstants.XID, xid);
        }
        if (operation != null) {
            map.put(PgReplConstants.OPERATION, operation);
        }
        if (schema != null) {
            map.put(PgReplConstants.SCHEMA, schema);
            map.put(PgReplConstants.TABLE, table);
        }
        if (uncommitted != null) {
            map.put(PgReplConstants.UNCOMMITTED, uncommitted);
        }
        if (identity.eventId() != null) {
            map.put(PgReplConstants.EVENT_ID, identity.eventId());
        }
        if (identity.key() != null) {
            map.put(PgReplConstants.KEY, identity.key());
        }
        if (identity.oldKey() != null) {
            map.put(PgReplConstants.OLD_KEY, identity.oldKey());
        }
    }

    @Override
    protected boolean isPopulateHeadersSupported() {
        return true;
    }
}
