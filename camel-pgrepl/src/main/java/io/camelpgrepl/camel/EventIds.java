package io.camelpgrepl.camel;

import java.util.HashMap;
import java.util.Map;

import io.camelpgrepl.client.Lsn;
import io.camelpgrepl.pgoutput.ChangeEvent;

/**
 * {@link PgReplConstants#EVENT_ID}: {@code <lsn>:<n>} for a row change, truncate or message, where {@code lsn} is the
 * WAL record that made it and {@code n} counts the earlier events of the same transaction from that record (rows of
 * one multi-row INSERT or COPY share a record: 0, 1, 2...); {@code <lsn>:<TYPE>} for a transaction event (its LSN
 * header: a commit's end LSN); {@code <consistent point>:r<n>} for a row of the initial snapshot.
 *
 * <p>Why the record LSN and not the commit LSN: rows of a streamed transaction arrive before its commit LSN exists,
 * and a redelivered transaction may come streamed one time and whole the next; the record LSN is the same either
 * way, and a record's rows always come in the same order. Redelivery restarts at a transaction boundary, so the
 * count restarts with it. One instance per connection, like its mapper.
 */
final class EventIds {

    /** Per open transaction (top-level xid; 0 outside one): the last record LSN and how many events it had. */
    private final Map<Integer, long[]> lastRecord = new HashMap<>();

    /** The id of a row change, truncate or logical message. */
    String of(ChangeEvent ev) {
        long lsn = ev.lsn().asLong();
        int tx = ev.tx() != null ? ev.tx().xid() : 0;
        long[] last = lastRecord.computeIfAbsent(tx, k -> new long[] {-1, 0});
        if (last[0] == lsn) {
            last[1]++;
        } else {
            last[0] = lsn;
            last[1] = 0;
        }
        if (tx == 0) {
            lastRecord.remove(0); // a non-transactional message is a record of its own
        }
        return ev.lsn() + ":" + last[1];
    }

    /**
     * The id of the {@code n}th row (from 0, in the snapshot's table and row order) of the initial snapshot taken at
     * {@code consistentPoint}: the {@code r} keeps it apart from a streamed record at that very LSN. A snapshot is
     * never redelivered in part: one abandoned is taken again at a new consistent point, with new ids.
     */
    static String ofSnapshotRow(Lsn consistentPoint, long n) {
        return consistentPoint + ":r" + n;
    }

    /** The id of a transaction event sent as {@code type} with {@code lsn} as its LSN header. */
    static String ofTransactionEvent(Lsn lsn, String type) {
        return lsn + ":" + type;
    }

    /** Called with every event: forgets a transaction once it committed, prepared or aborted. */
    void observe(ChangeEvent ev) {
        if (ev.tx() != null && (ev.ackLsn().isValid() || ev instanceof ChangeEvent.StreamAborted a && a.topLevel())) {
            lastRecord.remove(ev.tx().xid());
        }
    }
}
