package io.camelpgrepl.camel;

import java.nio.ByteBuffer;
import java.time.Instant;

import io.camelpgrepl.client.Lsn;
import io.camelpgrepl.client.ReplicationEvent;
import io.camelpgrepl.client.StreamingMode;
import io.camelpgrepl.client.wire.PgOutputFrame;
import io.camelpgrepl.pgoutput.ChangeStream;
import io.camelpgrepl.pgoutput.PgOutputException;
import io.camelpgrepl.pgoutput.RelationInfo;
import org.apache.camel.Exchange;

/**
 * {@code outputFormat=raw}: every pgoutput message as its bytes, one exchange each, with the headers the
 * transport knows (LSNs, xid, commit time, type, relation). Everything but the relation names comes from the
 * client's {@link PgOutputFrame}; Relation messages (only those) go through the pgoutput decoder so that row
 * changes can name their table. A body is delivered even when its Relation could not be decoded: raw mode hands
 * the route the server's bytes, and the headers then stay empty.
 */
final class RawExchangeMapper implements ExchangeMapper {

    private final String slot;
    private final ChangeStream relations;

    RawExchangeMapper(String slot, int protoVersion, StreamingMode streaming) {
        this.slot = slot;
        this.relations = new ChangeStream(protoVersion, streaming);
    }

    @Override
    public boolean map(ReplicationEvent event, Sink sink) {
        if (!(event instanceof ReplicationEvent.WalMessage wal) || !wal.data().hasRemaining()) {
            return false;
        }
        PgOutputFrame frame = wal.frame();
        if (frame.type() == 'R') {
            try {
                relations.accept(wal);
            } catch (PgOutputException e) {
                // headers of this relation's rows stay empty; the bytes still reach the route
            }
        }
        Exchange exchange = sink.newExchange();
        Lsn lsn = frame.type() == 'C' ? frame.ackLsn() : wal.walStart();
        PgOutputFrame.Transaction tx = frame.transaction();
        boolean regular = tx != null && tx.kind() == PgOutputFrame.Kind.REGULAR;
        Lsn commitLsn = frame.type() == 'C' ? frame.lsn() : regular ? tx.commitLsn() : null;
        Instant commitTime = frame.type() == 'C' ? frame.time() : regular ? tx.commitTime() : null;
        Integer xid = regular ? Integer.valueOf(tx.xid()) : streamXid(frame);
        RelationInfo rel = frame.isRowChange() ? relations.relations().get(frame.relationId()) : null;
        String type = frame.typeName();
        exchange.setIn(new PgReplMessage(exchange, bytes(wal.data()), lsn, type, slot, commitLsn, commitTime,
                xid != null, xid != null ? xid : 0, frame.isRowChange() ? type : null,
                rel != null ? rel.schema() : null, rel != null ? rel.table() : null, null));
        sink.send(exchange, lsn);
        if (frame.endsTransaction()) {
            sink.endOfTransaction(frame.ackLsn());
        }
        return true;
    }

    /**
     * The xid raw mode reports outside a regular transaction: a streamed transaction's (Stream Start, Stream
     * Commit, Stream Abort) and the one written in front of a message inside a streamed block; none otherwise.
     */
    private static Integer streamXid(PgOutputFrame frame) {
        return switch (frame.type()) {
            case 'S', 'c', 'A' -> frame.xid();
            case 'R', 'Y', 'I', 'U', 'D', 'T', 'M' -> frame.inStreamBlock() ? Integer.valueOf(frame.xid()) : null;
            default -> null;
        };
    }

    private static byte[] bytes(ByteBuffer data) {
        ByteBuffer d = data.duplicate();
        d.position(0);
        byte[] b = new byte[d.remaining()];
        d.get(b);
        return b;
    }
}
