package io.camelpgrepl.pgoutput;

import io.camelpgrepl.client.Lsn;
import java.time.Instant;

/**
 * The transaction an event belongs to.
 *
 * <ul>
 * <li>{@link Kind#REGULAR}: from Begin; {@code commitLsn} is its final LSN and {@code commitTime} its commit
 * time, both known up front.</li>
 * <li>{@link Kind#STREAMED}: an in-progress transaction sent in blocks before it commits; {@code commitLsn} is
 * {@link Lsn#INVALID} and {@code commitTime} null until its Stream Commit (or Stream Prepare).</li>
 * <li>{@link Kind#PREPARED}: two-phase; {@code gid} is the global transaction id; {@code commitLsn} is the
 * prepare LSN (later the commit LSN of COMMIT PREPARED).</li>
 * </ul>
 */
public record TxInfo(int xid, Lsn commitLsn, Instant commitTime, Kind kind, String gid) {

    public enum Kind { REGULAR, STREAMED, PREPARED }

    /** The xid as PostgreSQL prints it (unsigned). */
    public long xidUnsigned() {
        return xid & 0xFFFF_FFFFL;
    }
}
