package io.camelpgrepl.camel;

import java.time.Duration;
import java.time.Instant;

import io.camelpgrepl.client.Lsn;
import io.camelpgrepl.client.SlotStatus;

/**
 * An immutable snapshot of one consumer, for the health check, the dev console and JMX: they read this, never
 * the live consumer or client.
 *
 * @param routeId          the route the consumer belongs to
 * @param slot             the replication slot
 * @param publication      the publication option as configured
 * @param endpoint         host:port or socket path
 * @param state            connecting, snapshot, streaming, standby, suspended, stopped or failed
 * @param receivedLsn      highest WAL position received
 * @param acknowledgedLsn  highest position confirmed (all exchanges up to it completed)
 * @param serverWalEnd     the server's end of WAL as last reported
 * @param lagBytes         bytes between the server's WAL end and the acknowledged position
 * @param events           events received over all connections
 * @param bytes            bytes read over all connections
 * @param inflight         exchanges in flight
 * @param reconnects       reconnect attempts since start
 * @param stalls           times the client stopped reading because the consumer was behind
 * @param lastError        the last error's message, or null
 * @param lastErrorTime    when it happened, or null
 * @param serverVersion    PostgreSQL version of the current connection, or null
 * @param systemId         the cluster's system identifier, or null
 * @param lastReceived     when the last message arrived, or null
 * @param slotStatus       the slot's wal_status, safe_wal_size and invalidation_reason as read at the last connect,
 *                         with when; null before the first connect
 * @param redelivery       the transaction redelivered again and again under failurePolicy=redeliver (its LSN,
 *                         attempts, last error, next delay), or null
 */
public record PgReplConsumerState(String routeId, String slot, String publication, String endpoint, State state,
                                  Lsn receivedLsn, Lsn acknowledgedLsn, Lsn serverWalEnd, long lagBytes, long events,
                                  long bytes, int inflight, long reconnects, long stalls, String lastError,
                                  Instant lastErrorTime, String serverVersion, String systemId, Instant lastReceived,
                                  SlotStatus slotStatus, Redelivery redelivery) {

    /** A transaction that keeps failing under failurePolicy=redeliver. */
    public record Redelivery(Lsn lsn, int attempts, String lastError, Duration nextDelay) {
    }

    /** Where the consumer's loop is. */
    public enum State {
        CONNECTING, SNAPSHOT, STREAMING, STANDBY, SUSPENDED, STOPPED, FAILED;

        /** Lower-case name, as shown by the health check and console. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * Ready = reading the initial snapshot, streaming, deliberately suspended, or standing by to take over a slot another consumer holds (a
     * passive instance is healthy; calling it unready would stall rolling updates).
     */
    public boolean isReady() {
        return state == State.SNAPSHOT || state == State.STREAMING || state == State.SUSPENDED
               || state == State.STANDBY;
    }
}
