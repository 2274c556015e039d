package io.camelpgrepl.pgoutput;

import io.camelpgrepl.client.Lsn;
import io.camelpgrepl.client.ReplicationEvent;
import io.camelpgrepl.client.StreamingMode;
import io.camelpgrepl.client.wire.PgOutputFrame;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the client's pgoutput messages into {@link ChangeEvent}s that each know their transaction, with typed
 * rows from the {@link RelationCache}.
 *
 * <p>Regular transactions: Begin gives xid, commit LSN (its final LSN) and commit time to every event up to
 * Commit, whose {@link ChangeEvent#ackLsn()} is the Commit's end LSN.
 *
 * <p>Streamed transactions (protocol v2+): changes arrive in blocks between Stream Start and Stream Stop,
 * possibly interleaved with other transactions; each belongs to the top-level xid of its Stream Start (the
 * change's own {@code xid} may be a subtransaction). Nothing is acknowledgeable before the Stream Commit (or
 * Stream Prepare); a Stream Abort is reported as {@link ChangeEvent.StreamAborted} so the consumer can discard
 * what it holds: every row of the transaction when {@link ChangeEvent.StreamAborted#topLevel()}, else the rows
 * whose {@link RowChange#xid()} is the aborted subxid (a subtransaction released into an aborted savepoint gets a
 * Stream Abort of its own). The server streams a transaction only while it does not know it aborted, so an abort
 * found before streaming sends nothing at all.
 *
 * <p>Two-phase (protocol v3+): Begin Prepare opens a {@link TxInfo.Kind#PREPARED} transaction with its gid;
 * Prepare is an acknowledgement point (the server keeps the prepared transaction and will not resend it; it
 * sends Commit Prepared or Rollback Prepared later), and so are Commit Prepared and Rollback Prepared.
 *
 * <p>Which transaction a message belongs to comes from its {@link PgOutputFrame} (the client's framing, carried by
 * the event): the stream block and the streamed transactions still open are tracked there, once.
 *
 * <p>One per stream, not thread-safe, no Camel dependency. Every decoding failure is a
 * {@link PgOutputException}.
 */
public final class ChangeStream {

    private final PgOutputDecoder decoder;
    private final RelationCache relations = new RelationCache();
    private TxInfo current;
    /** The last streamed transaction handed out (a block's rows share it rather than each allocating one). */
    private TxInfo streamed;
    private Set<Integer> openStreamed = Set.of();

    public ChangeStream(int protocolVersion, StreamingMode streaming) {
        this.decoder = new PgOutputDecoder(protocolVersion, streaming);
    }

    public RelationCache relations() {
        return relations;
    }

    /** The regular or prepared transaction open now (between Begin/Begin Prepare and its end), or null. */
    public TxInfo currentTransaction() {
        return current;
    }

    /** The streamed transactions started and not yet committed, prepared or aborted. */
    public Map<Integer, TxInfo> openStreamedTransactions() {
        Map<Integer, TxInfo> open = new HashMap<>();
        for (int xid : openStreamed) {
            open.put(xid, streamedTx(xid));
        }
        return Map.copyOf(open);
    }

    /** Decodes one message event from the replication client, with the framing the client read. */
    public ChangeEvent accept(ReplicationEvent.WalMessage event) {
        PgOutputFrame frame = event.frame();
        openStreamed = frame.openStreamedXids();
        if (event instanceof ReplicationEvent.Message m) { // the client has read it whole
            return logicalMessage(m.walStart(), frame, m.prefix(), m.content());
        }
        return toEvent(decoder.decode(event.data(), frame), event.walStart(), frame);
    }

    /**
     * Decodes one pgoutput message ({@code data} from position to limit) whose XLogData header carried
     * {@code walStart}, framing it here: use either this or {@link #accept(ReplicationEvent.WalMessage)} for a
     * stream, not both.
     */
    public ChangeEvent accept(ByteBuffer data, Lsn walStart) {
        PgOutputFrame frame = decoder.frame(data, walStart);
        openStreamed = frame.openStreamedXids();
        return toEvent(decoder.decode(data, frame), walStart, frame);
    }

    private TxInfo txFor(PgOutputFrame frame) {
        // inside a streamed block a change belongs to the block's transaction
        return frame.inStreamBlock() ? streamedTx(frame.transaction().xid()) : current;
    }

    private TxInfo streamedTx(int xid) {
        TxInfo tx = streamed;
        if (tx == null || tx.xid() != xid) {
            tx = new TxInfo(xid, Lsn.INVALID, null, TxInfo.Kind.STREAMED, null);
            streamed = tx;
        }
        return tx;
    }

    private ChangeEvent logicalMessage(Lsn lsn, PgOutputFrame frame, String prefix, byte[] content) {
        TxInfo tx = frame.transactional() ? txFor(frame) : null;
        return new ChangeEvent.LogicalMessage(lsn, tx, xidOf(frame.xid(), tx), frame.transactional(), frame.lsn(),
                prefix, content);
    }

    private ChangeEvent toEvent(PgOutputMessage msg, Lsn lsn, PgOutputFrame frame) {
        if (msg instanceof PgOutputMessage.Insert m) {
            RelationInfo r = relations.require(m.relationId(), "Insert ('I')");
            TxInfo tx = txFor(frame);
            return new RowChange(lsn, tx, xidOf(m.xid(), tx), m.relationId(), r.schema(), r.table(),
                    RowChange.Operation.INSERT, null, r.decodeRow(m.newTuple(), false, "Insert ('I')"),
                    r.keyColumns());
        }
        if (msg instanceof PgOutputMessage.Update m) {
            RelationInfo r = relations.require(m.relationId(), "Update ('U')");
            TxInfo tx = txFor(frame);
            Map<String, Object> before = m.oldTuple() == null ? null
                    : r.decodeRow(m.oldTuple(), m.oldKind() == 'K', "Update ('U')");
            return new RowChange(lsn, tx, xidOf(m.xid(), tx), m.relationId(), r.schema(), r.table(),
                    RowChange.Operation.UPDATE, before, r.decodeRow(m.newTuple(), false, "Update ('U')"),
                    r.keyColumns());
        }
        if (msg instanceof PgOutputMessage.Delete m) {
            RelationInfo r = relations.require(m.relationId(), "Delete ('D')");
            TxInfo tx = txFor(frame);
            return new RowChange(lsn, tx, xidOf(m.xid(), tx), m.relationId(), r.schema(), r.table(),
                    RowChange.Operation.DELETE, r.decodeRow(m.oldTuple(), m.oldKind() == 'K', "Delete ('D')"), null,
                    r.keyColumns());
        }
        if (msg instanceof PgOutputMessage.Begin m) {
            current = new TxInfo(m.xid(), m.finalLsn(), m.commitTime(), TxInfo.Kind.REGULAR, null);
            return new ChangeEvent.TransactionBegin(lsn, current);
        }
        if (msg instanceof PgOutputMessage.Commit m) {
            TxInfo tx = current != null ? current
                    : new TxInfo(0, m.commitLsn(), m.commitTime(), TxInfo.Kind.REGULAR, null);
            current = null;
            return new ChangeEvent.TransactionCommit(lsn, tx, m.flags(), m.endLsn());
        }
        if (msg instanceof PgOutputMessage.Relation m) {
            return new ChangeEvent.RelationChange(lsn, txFor(frame), relations.put(m));
        }
        if (msg instanceof PgOutputMessage.Type m) {
            return new ChangeEvent.TypeInfo(lsn, txFor(frame), m.typeOid(), m.namespace(), m.name());
        }
        if (msg instanceof PgOutputMessage.Origin m) {
            return new ChangeEvent.OriginInfo(lsn, current, m.commitLsn(), m.name());
        }
        if (msg instanceof PgOutputMessage.Truncate m) {
            List<RelationInfo> rels = new ArrayList<>(m.relationIds().size());
            for (int id : m.relationIds()) {
                rels.add(relations.require(id, "Truncate ('T')"));
            }
            TxInfo tx = txFor(frame);
            return new ChangeEvent.TruncateChange(lsn, tx, xidOf(m.xid(), tx), rels, m.cascade(),
                    m.restartIdentity());
        }
        if (msg instanceof PgOutputMessage.Message m) {
            return logicalMessage(lsn, frame, m.prefix(), m.content());
        }
        if (msg instanceof PgOutputMessage.StreamStart m) {
            return new ChangeEvent.StreamBlockStart(lsn, streamedTx(m.xid()), m.firstSegment());
        }
        if (msg instanceof PgOutputMessage.StreamStop) {
            return new ChangeEvent.StreamBlockStop(lsn, frame.transaction() != null
                    ? streamedTx(frame.transaction().xid()) : null);
        }
        if (msg instanceof PgOutputMessage.StreamCommit m) {
            TxInfo tx = new TxInfo(m.xid(), m.commitLsn(), m.commitTime(), TxInfo.Kind.STREAMED, null);
            return new ChangeEvent.TransactionCommit(lsn, tx, m.flags(), m.endLsn());
        }
        if (msg instanceof PgOutputMessage.StreamAbort m) {
            return new ChangeEvent.StreamAborted(lsn, streamedTx(m.xid()), m.subxid(), m.abortLsn(), m.abortTime());
        }
        if (msg instanceof PgOutputMessage.BeginPrepare m) {
            current = new TxInfo(m.xid(), m.prepareLsn(), m.prepareTime(), TxInfo.Kind.PREPARED, m.gid());
            return new ChangeEvent.PrepareBegin(lsn, current);
        }
        if (msg instanceof PgOutputMessage.Prepare m) {
            current = null;
            TxInfo tx = new TxInfo(m.xid(), m.prepareLsn(), m.prepareTime(), TxInfo.Kind.PREPARED, m.gid());
            return new ChangeEvent.TransactionPrepared(lsn, tx, false, m.endLsn());
        }
        if (msg instanceof PgOutputMessage.StreamPrepare m) {
            TxInfo tx = new TxInfo(m.xid(), m.prepareLsn(), m.prepareTime(), TxInfo.Kind.PREPARED, m.gid());
            return new ChangeEvent.TransactionPrepared(lsn, tx, true, m.endLsn());
        }
        if (msg instanceof PgOutputMessage.CommitPrepared m) {
            TxInfo tx = new TxInfo(m.xid(), m.commitLsn(), m.commitTime(), TxInfo.Kind.PREPARED, m.gid());
            return new ChangeEvent.PreparedCommitted(lsn, tx, m.endLsn());
        }
        if (msg instanceof PgOutputMessage.RollbackPrepared m) {
            TxInfo tx = new TxInfo(m.xid(), Lsn.INVALID, m.rollbackTime(), TxInfo.Kind.PREPARED, m.gid());
            return new ChangeEvent.PreparedRolledBack(lsn, tx, m.prepareEndLsn(), m.prepareTime(),
                    m.rollbackEndLsn());
        }
        throw new PgOutputException("pgoutput: no event mapping for message " + msg);
    }

    private static int xidOf(int messageXid, TxInfo tx) {
        return messageXid != 0 ? messageXid : tx != null ? tx.xid() : 0;
    }
}
