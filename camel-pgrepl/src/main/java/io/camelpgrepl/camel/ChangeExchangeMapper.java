package io.camelpgrepl.camel;

import java.util.List;
import java.util.Map;

import io.camelpgrepl.client.Lsn;
import io.camelpgrepl.client.ReplicationEvent;
import io.camelpgrepl.client.StreamingMode;
import io.camelpgrepl.pgoutput.ChangeEvent;
import io.camelpgrepl.pgoutput.ChangeStream;
import io.camelpgrepl.pgoutput.DebeziumEnvelope;
import io.camelpgrepl.pgoutput.RelationInfo;
import io.camelpgrepl.pgoutput.Row;
import io.camelpgrepl.pgoutput.RowChange;
import io.camelpgrepl.pgoutput.TxInfo;
import org.apache.camel.Exchange;

/**
 * {@code outputFormat=change}: decoded row changes, Begin/Commit with includeTransactionEvents, Relation with
 * includeRelationEvents, and the outcome of every streamed or prepared transaction whenever the stream can carry
 * them: their rows reach the route before the server knows whether they commit, so the route must hear of a
 * commit or an abort. Also {@code outputFormat=debezium}: the same events, with row changes, truncates and messages
 * in Debezium's envelope ({@link DebeziumEnvelope}). Every exchange gets its {@link EventIds event id}, every row
 * change its {@link RowKeys key}.
 */
final class ChangeExchangeMapper implements ExchangeMapper {

    private final String slot;
    private final boolean transactionEvents;
    private final boolean relationEvents;
    /** Whether the stream can carry rows of undecided (streamed or prepared) transactions, whose outcome must follow. */
    private final boolean outcomeEvents;
    private final ChangeStream changes;
    private final RowKeys keys;
    private final EventIds eventIds = new EventIds();
    /** For outputFormat=debezium: source.db; null for outputFormat=change. */
    private final String debeziumDatabase;

    /**
     * @param primaryKeys      primary key columns by relation OID ({@link RowKeys})
     * @param debeziumDatabase the database name for Debezium envelopes, or null for plain row changes
     */
    ChangeExchangeMapper(PgReplConfiguration cfg, int protoVersion, StreamingMode streaming,
                         Map<Integer, List<String>> primaryKeys, String debeziumDatabase) {
        this.slot = cfg.getSlot();
        this.transactionEvents = cfg.isIncludeTransactionEvents();
        this.relationEvents = cfg.isIncludeRelationEvents();
        this.outcomeEvents = transactionEvents || cfg.isTwoPhase() || streaming != StreamingMode.OFF;
        this.changes = new ChangeStream(protoVersion, streaming);
        this.keys = new RowKeys(primaryKeys);
        this.debeziumDatabase = debeziumDatabase;
    }

    @Override
    public boolean map(ReplicationEvent event, Sink sink) {
        if (!(event instanceof ReplicationEvent.WalMessage wal)) {
            return false;
        }
        ChangeEvent ev = changes.accept(wal);
        boolean sent = true;
        if (ev instanceof RowChange rc) {
            send(sink, ev, rc.operation().name(), rc, rc.schema(), rc.table(), rc.xid());
        } else if (ev instanceof ChangeEvent.TruncateChange tc) {
            String schema = tc.relations().isEmpty() ? null : tc.relations().get(0).schema();
            String table = tc.relations().isEmpty() ? null : tc.relations().get(0).table();
            send(sink, ev, "TRUNCATE", tc, schema, table, tc.xid());
        } else if (ev instanceof ChangeEvent.LogicalMessage m) {
            send(sink, ev, "MESSAGE", m, null, null, m.xid());
        } else if (ev instanceof ChangeEvent.RelationChange r && relationEvents) {
            send(sink, ev, "RELATION", r.relation(), r.relation().schema(), r.relation().table(), 0);
        } else if (transactionEvents && isBoundary(ev) || outcomeEvents && isOutcome(ev)) {
            send(sink, ev, typeName(ev), ev, null, null, ev.tx() != null ? ev.tx().xid() : 0);
        } else {
            sent = false;
        }
        eventIds.observe(ev);
        if (ev.ackLsn().isValid()) {
            sink.endOfTransaction(ev.ackLsn());
        } else if (ev instanceof ChangeEvent.LogicalMessage m && !m.transactional()) {
            // a non-transactional message stands alone: once handled it is acknowledged, so it does not hold idle
            // advancement back until the next transaction (the server sends it again from its own LSN on)
            sink.endOfTransaction(m.messageLsn());
        }
        return sent;
    }

    @Override
    public boolean sendsExchangeFor(ReplicationEvent event) {
        // a regular Commit is an exchange only with includeTransactionEvents (it is never an outcome)
        return !(event instanceof ReplicationEvent.Commit) || transactionEvents;
    }

    private static boolean isBoundary(ChangeEvent ev) {
        return ev instanceof ChangeEvent.TransactionBegin || ev instanceof ChangeEvent.PrepareBegin
               || ev instanceof ChangeEvent.TransactionCommit;
    }

    /** Whether {@code ev} decides a streamed or prepared transaction whose rows the route may already have seen. */
    private static boolean isOutcome(ChangeEvent ev) {
        return ev instanceof ChangeEvent.TransactionCommit c && c.tx().kind() == TxInfo.Kind.STREAMED
               || ev instanceof ChangeEvent.StreamAborted || ev instanceof ChangeEvent.TransactionPrepared
               || ev instanceof ChangeEvent.PreparedCommitted || ev instanceof ChangeEvent.PreparedRolledBack;
    }

    /** The message type header of a transaction boundary or outcome, named after the pgoutput message it came from. */
    private static String typeName(ChangeEvent ev) {
        if (ev instanceof ChangeEvent.TransactionCommit c) {
            return c.tx().kind() == TxInfo.Kind.STREAMED ? "STREAM_COMMIT" : "COMMIT";
        }
        if (ev instanceof ChangeEvent.TransactionPrepared p) {
            return p.streamed() ? "STREAM_PREPARE" : "PREPARE";
        }
        if (ev instanceof ChangeEvent.TransactionBegin) {
            return "BEGIN";
        }
        if (ev instanceof ChangeEvent.PrepareBegin) {
            return "BEGIN_PREPARE";
        }
        if (ev instanceof ChangeEvent.StreamAborted) {
            return "STREAM_ABORT";
        }
        if (ev instanceof ChangeEvent.PreparedCommitted) {
            return "COMMIT_PREPARED";
        }
        if (ev instanceof ChangeEvent.PreparedRolledBack) {
            return "ROLLBACK_PREPARED";
        }
        throw new IllegalStateException("no exchange type for " + ev.getClass().getSimpleName());
    }

    private void send(Sink sink, ChangeEvent ev, String type, Object body, String schema, String table, int xid) {
        // xids are unsigned 32-bit: carried as a long so those above 2^31 stay positive
        Exchange exchange = sink.newExchange();
        Lsn lsn = ev.ackLsn().isValid() ? ev.ackLsn() : ev.lsn();
        TxInfo tx = ev.tx();
        boolean hasXid = xid != 0 || tx != null;
        String operation = body instanceof RowChange || body instanceof ChangeEvent.TruncateChange ? type : null;
        boolean data = operation != null || body instanceof ChangeEvent.LogicalMessage;
        // rows of a streamed or prepared transaction arrive before it commits (or aborts)
        Boolean uncommitted = data ? tx != null && tx.kind() != TxInfo.Kind.REGULAR : null;
        String eventId = data ? eventIds.of(ev)
                : body instanceof RelationInfo ? null : EventIds.ofTransactionEvent(lsn, type);
        Row key = null;
        Row oldKey = null;
        if (body instanceof RowChange rc) {
            key = keys.key(rc);
            oldKey = keys.oldKey(rc, key);
        }
        if (data && debeziumDatabase != null) {
            body = DebeziumEnvelope.of(ev, slot, debeziumDatabase, System.currentTimeMillis());
        }
        exchange.setIn(new PgReplMessage(exchange, body, lsn, type, slot,
                tx != null && tx.commitLsn().isValid() ? tx.commitLsn() : null, tx != null ? tx.commitTime() : null,
                hasXid, Integer.toUnsignedLong(xid != 0 ? xid : hasXid ? tx.xid() : 0), operation, schema, table,
                uncommitted, new PgReplMessage.Identity(eventId, key, oldKey)));
        sink.send(exchange, lsn);
    }
}
