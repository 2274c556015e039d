package io.camelpgrepl.pgoutput;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.camelpgrepl.client.Lsn;
import io.camelpgrepl.client.ReplicationEvent;
import io.camelpgrepl.client.StreamingMode;
import io.camelpgrepl.client.wire.PgOutputFrame;
import io.camelpgrepl.client.wire.PgOutputFraming;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ChangeStreamTest {

    static final Instant T = Instant.parse("2024-01-02T03:04:05Z");
    static final int REL = 16384;

    static PgBytes ordersRelation(PgBytes b) {
        return b.i32(REL).cstr("public").cstr("orders").u8('d').i16(4)
                .u8(1).cstr("id").i32(PgTypes.INT8).i32(-1)
                .u8(0).cstr("amount").i32(PgTypes.NUMERIC).i32(-1)
                .u8(0).cstr("placed").i32(PgTypes.TIMESTAMPTZ).i32(-1)
                .u8(0).cstr("doc").i32(PgTypes.TEXT).i32(-1);
    }

    private final ChangeStream stream = new ChangeStream(4, StreamingMode.PARALLEL);

    private ChangeEvent feed(PgBytes b, long lsn) {
        return stream.accept(b.buffer(), Lsn.of(lsn));
    }

    @Test
    void regularTransactionEventsKnowTheirTransactionAndCommitIsTheAckPoint() {
        ChangeEvent begin = feed(PgBytes.msg('B').i64(0x500).time(T).i32(77), 0x100);
        feed(ordersRelation(PgBytes.msg('R')), 0);
        ChangeEvent ins = feed(PgBytes.msg('I').i32(REL).u8('N').i16(4).text("1").text("9.90")
                .text("2024-01-02 03:04:05+00").text("héllo"), 0x120);
        ChangeEvent commit = feed(PgBytes.msg('C').u8(0).i64(0x500).i64(0x530).time(T), 0x500);

        assertThat(begin).as("begin").isInstanceOf(ChangeEvent.TransactionBegin.class);
        assertThat(begin.ackLsn()).as("nothing to ack at begin").isEqualTo(Lsn.INVALID);
        RowChange row = (RowChange) ins;
        assertThat(row.tx()).as("row's transaction")
                .isEqualTo(new TxInfo(77, Lsn.of(0x500), T, TxInfo.Kind.REGULAR, null));
        assertThat(row.xid()).as("row xid").isEqualTo(77);
        assertThat(row.lsn()).as("row lsn").isEqualTo(Lsn.of(0x120));
        assertThat(row.ackLsn()).as("nothing to ack at a row").isEqualTo(Lsn.INVALID);
        assertThat(row.operation()).as("operation").isEqualTo(RowChange.Operation.INSERT);
        assertThat(row.after()).as("typed row in column order").containsExactly(
                Map.entry("id", 1L), Map.entry("amount", new BigDecimal("9.90")),
                Map.entry("placed", OffsetDateTime.of(2024, 1, 2, 3, 4, 5, 0, ZoneOffset.UTC)),
                Map.entry("doc", "héllo"));
        assertThat(row.before()).as("insert has no before").isNull();
        assertThat(row.keyColumns()).as("key columns").containsExactly("id");
        assertThat(commit.ackLsn()).as("ack at commit end lsn").isEqualTo(Lsn.of(0x530));
        assertThat(commit.tx().commitLsn()).as("commit's transaction").isEqualTo(Lsn.of(0x500));
        assertThat(stream.currentTransaction()).as("closed").isNull();
    }

    @Test
    void acceptsTheClientsWalMessages() {
        ByteBufferEvent e = new ByteBufferEvent(PgBytes.msg('B').i64(0x500).time(T).i32(77));
        java.nio.ByteBuffer data = e.data();
        PgOutputFrame frame = new PgOutputFraming().frame(data, Lsn.of(0x100));
        ChangeEvent ev = stream.accept(new ReplicationEvent.Begin(Lsn.of(0x100), Lsn.of(0x900), T, data, frame));
        assertThat(ev.lsn()).as("header LSN").isEqualTo(Lsn.of(0x100));
        assertThat(ev.tx().xid()).as("xid").isEqualTo(77);
    }

    record ByteBufferEvent(PgBytes b) {
        java.nio.ByteBuffer data() {
            return b.buffer();
        }
    }

    @Test
    void updateWithOldKeyHasKeyOnlyBeforeAndToastMarker() {
        feed(PgBytes.msg('B').i64(0x500).time(T).i32(77), 0x100);
        feed(ordersRelation(PgBytes.msg('R')), 0);
        RowChange u = (RowChange) feed(PgBytes.msg('U').i32(REL).u8('K').i16(4).text("1").nul().nul().nul()
                .u8('N').i16(4).text("2").text("1").nul().toast(), 0x130);
        assertThat(u.before()).as("old key only").containsExactly(Map.entry("id", 1L));
        assertThat(u.after().get("doc")).as("unchanged toast marker").isSameAs(UnchangedToast.INSTANCE);
        assertThat(u.after()).as("null column present").containsEntry("placed", null);
        assertThat(u.toMap()).as("map form").containsEntry("schema", "public").containsEntry("table", "orders")
                .containsEntry("operation", "UPDATE").containsEntry("before", u.before())
                .containsEntry("after", u.after());
    }

    @Test
    void deleteHasBeforeAndNoAfter() {
        feed(ordersRelation(PgBytes.msg('R')), 0);
        RowChange d = (RowChange) feed(PgBytes.msg('D').i32(REL).u8('O').i16(4).text("1").text("2").nul()
                .text("x"), 0x130);
        assertThat(d.operation()).as("op").isEqualTo(RowChange.Operation.DELETE);
        assertThat(d.before()).as("full old row").hasSize(4);
        assertThat(d.after()).as("no after").isNull();
        assertThat(d.toMap()).as("map").containsEntry("after", null);
    }

    @Test
    void newRelationMessageReplacesTheOldDescription() {
        feed(ordersRelation(PgBytes.msg('R')), 0);
        feed(PgBytes.msg('R').i32(REL).cstr("public").cstr("orders").u8('f').i16(1)
                .u8(1).cstr("renamed").i32(PgTypes.INT4).i32(-1), 0);
        RowChange ins = (RowChange) feed(PgBytes.msg('I').i32(REL).u8('N').i16(1).text("5"), 0x140);
        assertThat(ins.after()).as("row after ALTER TABLE").containsExactly(Map.entry("renamed", 5));
        assertThat(stream.relations().get(REL).replicaIdentity()).as("replica identity").isEqualTo('f');
        assertThat(stream.relations().size()).as("one entry").isEqualTo(1);
    }

    @Test
    void rowForUnknownRelationIsATypedError() {
        assertThatThrownBy(() -> feed(PgBytes.msg('I').i32(999).u8('N').i16(1).text("5"), 0x140))
                .as("unknown relation").isInstanceOf(PgOutputException.class)
                .hasMessageContaining("Insert ('I'): unknown relation id 999");
    }

    @Test
    void columnCountMismatchAndBadValueAreTypedErrors() {
        feed(ordersRelation(PgBytes.msg('R')), 0);
        assertThatThrownBy(() -> feed(PgBytes.msg('I').i32(REL).u8('N').i16(1).text("5"), 0x140))
                .as("1 of 4 columns").isInstanceOf(PgOutputException.class).hasMessageContaining("tuple has 1 columns");
        assertThatThrownBy(() -> feed(PgBytes.msg('I').i32(REL).u8('N').i16(4).text("x").nul().nul().nul(), 0x140))
                .as("bad int8").isInstanceOf(PgOutputException.class)
                .hasMessageContaining("column 1 'id' (type oid 20) of public.orders: invalid int8 value 'x'");
    }

    @Test
    void truncateListsTablesAndFlags() {
        feed(ordersRelation(PgBytes.msg('R')), 0);
        ChangeEvent.TruncateChange t = (ChangeEvent.TruncateChange) feed(PgBytes.msg('T').i32(1).u8(1).i32(REL), 0x150);
        assertThat(t.cascade()).as("cascade").isTrue();
        assertThat(t.restartIdentity()).as("restart identity").isFalse();
        assertThat(t.toMap()).as("map").containsEntry("tables", java.util.List.of("public.orders"))
                .containsEntry("operation", "TRUNCATE");
    }

    @Test
    void streamedTransactionIsGroupedByTopXidAndAcknowledgedOnlyAtStreamCommit() {
        feed(ordersRelation(PgBytes.msg('R')), 0);
        ChangeEvent start = feed(PgBytes.msg('S').i32(900).u8(1), 0x200);
        RowChange a = (RowChange) feed(PgBytes.msg('I').i32(900).i32(REL).u8('N').i16(4).text("1").nul().nul().nul(),
                0x210);
        RowChange b = (RowChange) feed(PgBytes.msg('I').i32(901).i32(REL).u8('N').i16(4).text("2").nul().nul().nul(),
                0x220);
        ChangeEvent stop = feed(PgBytes.msg('E'), 0x230);
        // another, regular transaction in between the blocks
        feed(PgBytes.msg('B').i64(0x260).time(T).i32(950), 0x240);
        RowChange other = (RowChange) feed(PgBytes.msg('I').i32(REL).u8('N').i16(4).text("3").nul().nul().nul(), 0x250);
        feed(PgBytes.msg('C').u8(0).i64(0x260).i64(0x270).time(T), 0x260);
        ChangeEvent abortSub = feed(PgBytes.msg('A').i32(900).i32(901).i64(0x280).time(T), 0x280);
        ChangeEvent commit = feed(PgBytes.msg('c').i32(900).u8(0).i64(0x300).i64(0x340).time(T), 0x300);

        assertThat(start.tx().kind()).as("streamed").isEqualTo(TxInfo.Kind.STREAMED);
        assertThat(a.tx().xid()).as("grouped under top xid").isEqualTo(900);
        assertThat(b.tx().xid()).as("subtransaction grouped under top xid").isEqualTo(900);
        assertThat(b.xid()).as("change keeps its subxid").isEqualTo(901);
        assertThat(a.tx().commitLsn()).as("commit lsn unknown while streaming").isEqualTo(Lsn.INVALID);
        assertThat(a.ackLsn()).as("no ack in a stream block").isEqualTo(Lsn.INVALID);
        assertThat(stop.ackLsn()).as("no ack at stream stop").isEqualTo(Lsn.INVALID);
        assertThat(other.tx().xid()).as("regular tx between blocks").isEqualTo(950);
        ChangeEvent.StreamAborted ab = (ChangeEvent.StreamAborted) abortSub;
        assertThat(ab.topLevel()).as("subtransaction abort").isFalse();
        assertThat(ab.subxid()).as("subxid").isEqualTo(901);
        assertThat(ab.abortLsn()).as("v4 parallel abort lsn").isEqualTo(Lsn.of(0x280));
        assertThat(ab.ackLsn()).as("no ack at abort").isEqualTo(Lsn.INVALID);
        assertThat(commit.ackLsn()).as("ack at stream commit end").isEqualTo(Lsn.of(0x340));
        assertThat(commit.tx()).as("committed tx").isEqualTo(new TxInfo(900, Lsn.of(0x300), T, TxInfo.Kind.STREAMED, null));
        assertThat(stream.openStreamedTransactions()).as("none open").isEmpty();
    }

    @Test
    void topLevelStreamAbortClosesTheTransaction() {
        feed(PgBytes.msg('S').i32(900).u8(1), 0x200);
        feed(PgBytes.msg('E'), 0x230);
        ChangeEvent.StreamAborted ab = (ChangeEvent.StreamAborted) feed(PgBytes.msg('A').i32(900).i32(900).i64(0x280)
                .time(T), 0x280);
        assertThat(ab.topLevel()).as("top-level").isTrue();
        assertThat(stream.openStreamedTransactions()).as("discarded").isEmpty();
    }

    @Test
    void twoPhaseIsAcknowledgedAtPrepareAndAtCommitPrepared() {
        ChangeEvent bp = feed(PgBytes.msg('b').i64(0x400).i64(0x420).time(T).i32(5).cstr("g1"), 0x300);
        ChangeEvent prep = feed(PgBytes.msg('P').u8(0).i64(0x400).i64(0x420).time(T).i32(5).cstr("g1"), 0x400);
        ChangeEvent cp = feed(PgBytes.msg('K').u8(0).i64(0x500).i64(0x520).time(T).i32(5).cstr("g1"), 0x500);
        ChangeEvent rp = feed(PgBytes.msg('r').u8(0).i64(0x420).i64(0x620).time(T).time(T).i32(6).cstr("g2"), 0x600);
        assertThat(bp.tx().gid()).as("gid").isEqualTo("g1");
        assertThat(bp.tx().kind()).as("kind").isEqualTo(TxInfo.Kind.PREPARED);
        assertThat(prep.ackLsn()).as("ack at prepare end").isEqualTo(Lsn.of(0x420));
        assertThat(cp.ackLsn()).as("ack at commit prepared end").isEqualTo(Lsn.of(0x520));
        assertThat(cp.tx().gid()).as("commit prepared gid").isEqualTo("g1");
        assertThat(rp).as("rollback").isInstanceOf(ChangeEvent.PreparedRolledBack.class);
        assertThat(rp.ackLsn()).as("ack at rollback prepared end").isEqualTo(Lsn.of(0x620));
    }

    @Test
    void nonTransactionalMessageHasNoTransaction() {
        ChangeEvent.LogicalMessage m = (ChangeEvent.LogicalMessage) feed(PgBytes.msg('M').u8(0).i64(0x10).cstr("p")
                .i32(1).u8('x'), 0x10);
        assertThat(m.tx()).as("no tx").isNull();
        assertThat(m.transactional()).as("flag").isFalse();
        assertThat(m.content()).as("content").containsExactly('x');
    }
}
