package io.camelpgrepl.pgoutput;

import io.camelpgrepl.client.Lsn;
import io.camelpgrepl.client.ReplicationEvent;
import io.camelpgrepl.client.StreamingMode;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

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
 * <p>One per stream, not thread-safe, no Camel dependency. Every decoding failure is a
 * {@link PgOutputException}.
 */
public final class ChangeStream {

    private final PgOutputDecoder decoder;
    private final RelationCache relations = new RelationCache();
    private final Map<Integer, TxInfo> streamed = new HashMap<>();
    private TxInfo current;
    private TxInfo streamBlock;

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
        return Map.copyOf(streamed);
    }

    /** Decodes one message event from the replication client. */
    public ChangeEvent accept(ReplicationEvent.WalMessage event) {
        return accept(event.data(), event.walStart());
    }

    /**
     * Decodes one pgoutput message ({@code data} from position to limit) whose XLogData header carried
     * {@code walStart}.
     */
    public ChangeEvent accept(ByteBuffer data, Lsn walStart) {
        PgOutputMessage msg = decoder.decode(data);
        return toEvent(msg, walStart);
    }

    private TxInfo txFor(int xid) {
        // inside a streamed block a change belongs to the block's transaction
        return xid != 0 && streamBlock != null ? streamBlock : current;
    }

    private ChangeEvent toEvent(PgOutputMessage msg, Lsn lsn) {
        if (msg instanceof PgOutputMessage.Insert m) {
            RelationInfo r = relations.require(m.relationId(), "Insert ('I')");
            TxInfo tx = txFor(m.xid());
            return new RowChange(lsn, tx, xidOf(m.xid(), tx), m.relationId(), r.schema(), r.table(),
                    RowChange.Operation.INSERT, null, r.decodeRow(m.newTuple(), false, "Insert ('I')"),
                    r.keyColumns());
        }
        if (msg instanceof PgOutputMessage.Update m) {
            RelationInfo r = relations.require(m.relationId(), "Update ('U')");
            TxInfo tx = txFor(m.xid());
            Map<String, Object> before = m.oldTuple() == null ? null
                    : r.decodeRow(m.oldTuple(), m.oldKind() == 'K', "Update ('U')");
            return new RowChange(lsn, tx, xidOf(m.xid(), tx), m.relationId(), r.schema(), r.table(),
                    RowChange.Operation.UPDATE, before, r.decodeRow(m.newTuple(), false, "Update ('U')"),
                    r.keyColumns());
        }
        if (msg instanceof PgOutputMessage.Delete m) {
            RelationInfo r = relations.require(m.relationId(), "Delete ('D')");
            TxInfo tx = txFor(m.xid());
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
            return new ChangeEvent.RelationChange(lsn, txFor(m.xid()), relations.put(m));
        }
        if (msg instanceof PgOutputMessage.Type m) {
            return new ChangeEvent.TypeInfo(lsn, txFor(m.xid()), m.typeOid(), m.namespace(), m.name());
        }
        if (msg instanceof PgOutputMessage.Origin m) {
            return new ChangeEvent.OriginInfo(lsn, current, m.commitLsn(), m.name());
        }
        if (msg instanceof PgOutputMessage.Truncate m) {
            List<RelationInfo> rels = new ArrayList<>(m.relationIds().size());
            for (int id : m.relationIds()) {
                rels.add(relations.require(id, "Truncate ('T')"));
            }
            TxInfo tx = txFor(m.xid());
            return new ChangeEvent.TruncateChange(lsn, tx, xidOf(m.xid(), tx), rels, m.cascade(),
                    m.restartIdentity());
        }
        if (msg instanceof PgOutputMessage.Message m) {
            TxInfo tx = m.transactional() ? txFor(m.xid()) : null;
            return new ChangeEvent.LogicalMessage(lsn, tx, xidOf(m.xid(), tx), m.transactional(), m.lsn(),
                    m.prefix(), m.content());
        }
        if (msg instanceof PgOutputMessage.StreamStart m) {
            TxInfo tx = streamed.computeIfAbsent(m.xid(),
                    x -> new TxInfo(x, Lsn.INVALID, null, TxInfo.Kind.STREAMED, null));
            streamBlock = tx;
            return new ChangeEvent.StreamBlockStart(lsn, tx, m.firstSegment());
        }
        if (msg instanceof PgOutputMessage.StreamStop) {
            TxInfo tx = streamBlock;
            streamBlock = null;
            return new ChangeEvent.StreamBlockStop(lsn, tx);
        }
        if (msg instanceof PgOutputMessage.StreamCommit m) {
            streamed.remove(m.xid());
            TxInfo tx = new TxInfo(m.xid(), m.commitLsn(), m.commitTime(), TxInfo.Kind.STREAMED, null);
            return new ChangeEvent.TransactionCommit(lsn, tx, m.flags(), m.endLsn());
        }
        if (msg instanceof PgOutputMessage.StreamAbort m) {
            TxInfo tx = m.topLevel() ? streamed.remove(m.xid()) : streamed.get(m.xid());
            if (tx == null) {
                tx = new TxInfo(m.xid(), Lsn.INVALID, null, TxInfo.Kind.STREAMED, null);
            }
            return new ChangeEvent.StreamAborted(lsn, tx, m.subxid(), m.abortLsn(), m.abortTime());
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
            streamed.remove(m.xid());
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
