package io.camelpgrepl.camel;

import java.nio.ByteBuffer;
import java.time.Instant;

import io.camelpgrepl.client.Lsn;
import io.camelpgrepl.client.ReplicationEvent;
import org.apache.camel.Exchange;

/**
 * {@code outputFormat=raw}: every pgoutput message as its bytes, one exchange each, with the headers the
 * transport knows (LSNs, xid, commit time, type, relation). Reads message framing with {@link PgOutputPeek}.
 */
final class RawExchangeMapper implements ExchangeMapper {

    private final String slot;
    private final PgOutputPeek peek = new PgOutputPeek();
    /** The open regular transaction, from its Begin until its Commit; null outside one. */
    private Integer xid;
    private Lsn commitLsn;
    private Instant commitTime;

    RawExchangeMapper(String slot) {
        this.slot = slot;
    }

    @Override
    public boolean map(ReplicationEvent event, Sink sink) {
        if (event instanceof ReplicationEvent.Begin b) {
            xid = b.xid();
            commitLsn = b.finalLsn();
            commitTime = b.commitTime();
            send(sink, b, "BEGIN", bytes(b.data()), null);
            return true;
        }
        if (event instanceof ReplicationEvent.Commit c) {
            send(sink, c, "COMMIT", bytes(c.data()), null);
            sink.endOfTransaction(c.endLsn());
            xid = null;
            commitLsn = null;
            commitTime = null;
            return true;
        }
        if (event instanceof ReplicationEvent.WalMessage w) {
            ByteBuffer data = w.data();
            if (!data.hasRemaining()) {
                return false;
            }
            byte type = data.get(0);
            peek.observe(data);
            send(sink, w, PgOutputPeek.typeName(type), bytes(data), peek.relationOf(data));
            Lsn end = PgOutputPeek.transactionEndLsn(data);
            if (end != null) {
                sink.endOfTransaction(end);
            } else if (type == 'M' && !w.frame().transactional()) {
                sink.endOfTransaction(w.frame().lsn()); // stands alone: acknowledged once handled
            }
            return true;
        }
        return false;
    }

    private void send(Sink sink, ReplicationEvent.WalMessage wal, String type, Object body, PgOutputPeek.Relation rel) {
        Exchange exchange = sink.newExchange();
        Lsn lsn = wal instanceof ReplicationEvent.Commit c ? c.endLsn() : wal.walStart();
        Lsn txCommitLsn = null;
        Instant txCommitTime = null;
        if (wal instanceof ReplicationEvent.Commit c) {
            txCommitLsn = c.commitLsn();
            txCommitTime = c.commitTime();
        } else if (commitLsn != null) {
            txCommitLsn = commitLsn;
            txCommitTime = commitTime;
        }
        Integer txid = xid != null ? xid : peek.xidOf(wal.data());
        exchange.setIn(new PgReplMessage(exchange, body, lsn, type, slot, txCommitLsn, txCommitTime, txid != null,
                txid != null ? Integer.toUnsignedLong(txid) : 0, PgOutputPeek.isRowChange(wal.data().get(0)) ? type : null,
                rel != null ? rel.schema() : null, rel != null ? rel.table() : null, null));
        sink.send(exchange, lsn);
    }

    private static byte[] bytes(ByteBuffer data) {
        ByteBuffer d = data.duplicate();
        d.position(0);
        byte[] b = new byte[d.remaining()];
        d.get(b);
        return b;
    }
}
