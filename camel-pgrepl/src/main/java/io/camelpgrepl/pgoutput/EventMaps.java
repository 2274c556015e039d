package io.camelpgrepl.pgoutput;

import io.camelpgrepl.client.Lsn;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The map form of the events that have no shape of their own (transaction, stream and two-phase events, Origin,
 * Type): {@code type} (the name the consumer puts in {@code CamelPgReplMessageType}), the transaction's {@code xid}
 * (unsigned), {@code gid}, {@code commitLsn} and {@code commitTime} (null when not known), then what the event
 * adds ({@code endLsn}: the LSN it acknowledges).
 */
final class EventMaps {

    private EventMaps() {
    }

    static Map<String, Object> of(ChangeEvent e) {
        if (e instanceof ChangeEvent.RelationChange) {
            return ((ChangeEvent.RelationChange) e).relation().toMap();
        }
        Map<String, Object> m = new LinkedHashMap<>(16);
        m.put("type", typeName(e));
        TxInfo tx = e.tx();
        m.put("xid", tx != null ? tx.xidUnsigned() : null);
        m.put("gid", tx != null ? tx.gid() : null);
        m.put("commitLsn", tx != null && tx.commitLsn().isValid() ? tx.commitLsn() : null);
        m.put("commitTime", tx != null ? tx.commitTime() : null);
        if (e instanceof ChangeEvent.StreamAborted) {
            ChangeEvent.StreamAborted a = (ChangeEvent.StreamAborted) e;
            m.put("subxid", Integer.toUnsignedLong(a.subxid()));
            m.put("topLevel", a.topLevel());
            m.put("abortLsn", a.abortLsn() != null && a.abortLsn().isValid() ? a.abortLsn() : null);
            m.put("abortTime", a.abortTime());
        } else if (e instanceof ChangeEvent.PreparedRolledBack) {
            ChangeEvent.PreparedRolledBack r = (ChangeEvent.PreparedRolledBack) e;
            m.put("prepareEndLsn", r.prepareEndLsn());
            m.put("prepareTime", r.prepareTime());
        } else if (e instanceof ChangeEvent.StreamBlockStart) {
            m.put("firstSegment", ((ChangeEvent.StreamBlockStart) e).firstSegment());
        } else if (e instanceof ChangeEvent.OriginInfo) {
            ChangeEvent.OriginInfo o = (ChangeEvent.OriginInfo) e;
            m.put("name", o.name());
            m.put("originCommitLsn", o.originCommitLsn());
        } else if (e instanceof ChangeEvent.TypeInfo) {
            ChangeEvent.TypeInfo t = (ChangeEvent.TypeInfo) e;
            m.put("typeOid", Integer.toUnsignedLong(t.typeOid()));
            m.put("namespace", t.namespace());
            m.put("name", t.name());
        }
        Lsn ack = e.ackLsn();
        if (ack.isValid()) {
            m.put("endLsn", ack);
        }
        return m;
    }

    /** The pgoutput message name of an event, as the consumer's CamelPgReplMessageType header spells it. */
    static String typeName(ChangeEvent e) {
        if (e instanceof ChangeEvent.TransactionBegin) {
            return "BEGIN";
        } else if (e instanceof ChangeEvent.TransactionCommit) {
            return e.tx() != null && e.tx().kind() == TxInfo.Kind.STREAMED ? "STREAM_COMMIT" : "COMMIT";
        } else if (e instanceof ChangeEvent.PrepareBegin) {
            return "BEGIN_PREPARE";
        } else if (e instanceof ChangeEvent.TransactionPrepared) {
            return ((ChangeEvent.TransactionPrepared) e).streamed() ? "STREAM_PREPARE" : "PREPARE";
        } else if (e instanceof ChangeEvent.PreparedCommitted) {
            return "COMMIT_PREPARED";
        } else if (e instanceof ChangeEvent.PreparedRolledBack) {
            return "ROLLBACK_PREPARED";
        } else if (e instanceof ChangeEvent.StreamAborted) {
            return "STREAM_ABORT";
        } else if (e instanceof ChangeEvent.StreamBlockStart) {
            return "STREAM_START";
        } else if (e instanceof ChangeEvent.StreamBlockStop) {
            return "STREAM_STOP";
        } else if (e instanceof ChangeEvent.OriginInfo) {
            return "ORIGIN";
        } else if (e instanceof ChangeEvent.TypeInfo) {
            return "TYPE";
        } else if (e instanceof ChangeEvent.RelationChange) {
            return "RELATION";
        } else if (e instanceof ChangeEvent.TruncateChange) {
            return "TRUNCATE";
        } else if (e instanceof ChangeEvent.LogicalMessage) {
            return "MESSAGE";
        }
        return ((RowChange) e).operation().name();
    }
}
