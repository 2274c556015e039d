package io.camelpgrepl.camel;

import io.camelpgrepl.client.Lsn;
import io.camelpgrepl.client.ReplicationEvent;
import org.apache.camel.Exchange;

/**
 * Turns the replication events of one connection into exchanges, in one output format ({@link OutputFormat}).
 * One instance per connection: a mapper may keep state across messages (a relation cache, the open transaction).
 */
interface ExchangeMapper {

    /**
     * Maps one event to at most one exchange, sent through {@code sink}, and tells {@code sink} where a transaction
     * ends so its acknowledgement LSN can be confirmed once everything before it completed.
     *
     * @return whether an exchange was sent (it then holds the flow-control permit taken for the event)
     */
    boolean map(ReplicationEvent event, Sink sink);

    /** Whether {@link #map} would send an exchange for the transaction boundary {@code event} (by default: yes). */
    default boolean sendsExchangeFor(ReplicationEvent event) {
        return true;
    }

    /** Where a mapper's exchanges go: the route, with the connection's acknowledgement bookkeeping. */
    interface Sink {

        /** A new exchange from the consumer. */
        Exchange newExchange();

        /** Hands {@code exchange} to the route; once it completes, its event counts as handled up to {@code lsn}. */
        void send(Exchange exchange, Lsn lsn);

        /** A transaction (or prepared or streamed one) ends here: {@code ackLsn} may be acknowledged once every event before it completed. */
        void endOfTransaction(Lsn ackLsn);
    }
}
