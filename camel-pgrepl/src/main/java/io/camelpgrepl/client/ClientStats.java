package io.camelpgrepl.client;

import java.time.Instant;

/**
 * A snapshot of the client's counters.
 *
 * @param receivedLsn  highest WAL position received (the {@code write} of status updates)
 * @param appliedLsn   highest position acknowledged (the {@code flush}/{@code apply} of status updates)
 * @param serverWalEnd the server's end of WAL as last reported
 * @param events       events handed to the buffer
 * @param bytes        bytes read from the socket
 * @param stalls       times the reader found the buffer full and stopped reading the socket
 * @param statusUpdatesSent standby status updates sent
 * @param lastReceived when the last message arrived, or null
 */
public record ClientStats(Lsn receivedLsn, Lsn appliedLsn, Lsn serverWalEnd, long events, long bytes, long stalls,
                          long statusUpdatesSent, Instant lastReceived) {

    /** Bytes between the server's end of WAL and what was acknowledged. */
    public long lagBytes() {
        return appliedLsn.isValid() ? Math.max(0, serverWalEnd.bytesSince(appliedLsn)) : 0;
    }
}
