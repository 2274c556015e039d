package io.camelpgrepl.pgoutput;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.camelpgrepl.client.Lsn;
import io.camelpgrepl.client.StreamingMode;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PgOutputDecoderTest {

    static final Instant T1 = Instant.parse("2024-01-02T03:04:05.123456Z");
    static final Instant T2 = Instant.parse("2024-01-02T03:04:06Z");

    private final PgOutputDecoder v1 = new PgOutputDecoder(1, StreamingMode.OFF);

    private static PgOutputMessage decode(PgOutputDecoder d, PgBytes b) {
        return d.decode(b.buffer());
    }

    @Test
    void beginCarriesFinalLsnCommitTimeAndXid() {
        PgOutputMessage m = decode(v1, PgBytes.msg('B').i64(0x16_B374D848L).time(T1).i32(742));
        assertThat(m).as("Begin").isEqualTo(new PgOutputMessage.Begin(Lsn.parse("16/B374D848"), T1, 742));
    }

    @Test
    void commitCarriesFlagsCommitLsnEndLsnAndTime() {
        PgOutputMessage m = decode(v1, PgBytes.msg('C').u8(0).i64(0x100).i64(0x130).time(T2));
        assertThat(m).as("Commit").isEqualTo(new PgOutputMessage.Commit(0, Lsn.of(0x100), Lsn.of(0x130), T2));
    }

    @Test
    void originCarriesLsnAndName() {
        PgOutputMessage m = decode(v1, PgBytes.msg('O').i64(0x55).cstr("node_a"));
        assertThat(m).as("Origin").isEqualTo(new PgOutputMessage.Origin(Lsn.of(0x55), "node_a"));
    }

    static PgBytes relation(PgBytes b) {
        return b.i32(16384).cstr("public").cstr("orders").u8('d').i16(2)
                .u8(1).cstr("id").i32(20).i32(-1)
                .u8(0).cstr("note").i32(1043).i32(104);
    }

    @Test
    void relationDescribesColumnsKeyFlagsAndReplicaIdentity() {
        PgOutputMessage m = decode(v1, relation(PgBytes.msg('R')));
        assertThat(m).as("Relation").isEqualTo(new PgOutputMessage.Relation(0, 16384, "public", "orders", 'd',
                List.of(new PgOutputMessage.Column(1, "id", 20, -1), new PgOutputMessage.Column(0, "note", 1043, 104))));
        assertThat(((PgOutputMessage.Relation) m).columns().get(0).isKey()).as("id is a key column").isTrue();
        assertThat(((PgOutputMessage.Relation) m).columns().get(1).isKey()).as("note is not a key column").isFalse();
    }

    @Test
    void relationWithEmptyNamespaceMeansPgCatalog() {
        PgOutputMessage m = decode(v1, PgBytes.msg('R').i32(1).cstr("").cstr("pg_t").u8('n').i16(0));
        assertThat(((PgOutputMessage.Relation) m).namespace()).as("namespace of ''").isEqualTo("pg_catalog");
    }

    @Test
    void typeCarriesOidNamespaceAndName() {
        PgOutputMessage m = decode(v1, PgBytes.msg('Y').i32(99999).cstr("public").cstr("mood"));
        assertThat(m).as("Type").isEqualTo(new PgOutputMessage.Type(0, 99999, "public", "mood"));
    }

    @Test
    void insertCarriesNewTupleWithAllColumnKinds() {
        PgOutputMessage m = decode(v1, PgBytes.msg('I').i32(16384).u8('N').i16(4)
                .text("42").nul().toast().binary(new byte[] {1, 2}));
        PgOutputMessage.Insert ins = (PgOutputMessage.Insert) m;
        assertThat(ins.relationId()).as("relation id").isEqualTo(16384);
        assertThat(ins.xid()).as("xid outside a stream").isZero();
        TupleData t = ins.newTuple();
        assertThat(t.size()).as("column count").isEqualTo(4);
        assertThat(t.kind(0)).as("kind 0").isEqualTo('t');
        assertThat(t.rawValue(0)).as("text value").isEqualTo("42");
        assertThat(t.rawValue(1)).as("null column").isNull();
        assertThat(t.rawValue(2)).as("unchanged toast is a marker, not null").isSameAs(UnchangedToast.INSTANCE);
        assertThat(t.isUnchangedToast(2)).as("isUnchangedToast").isTrue();
        assertThat(t.isNull(2)).as("unchanged toast is not null").isFalse();
        assertThat((byte[]) t.rawValue(3)).as("binary value").containsExactly(1, 2);
    }

    @Test
    void updateWithoutOldTuple() {
        PgOutputMessage.Update u = (PgOutputMessage.Update) decode(v1,
                PgBytes.msg('U').i32(7).u8('N').i16(1).text("x"));
        assertThat(u.oldKind()).as("old kind").isEqualTo((char) 0);
        assertThat(u.oldTuple()).as("old tuple").isNull();
        assertThat(u.newTuple().text(0)).as("new value").isEqualTo("x");
    }

    @Test
    void updateWithOldKey() {
        PgOutputMessage.Update u = (PgOutputMessage.Update) decode(v1,
                PgBytes.msg('U').i32(7).u8('K').i16(2).text("1").nul().u8('N').i16(2).text("2").text("b"));
        assertThat(u.oldKind()).as("old kind").isEqualTo('K');
        assertThat(u.oldTuple().text(0)).as("old key").isEqualTo("1");
        assertThat(u.newTuple().text(1)).as("new value").isEqualTo("b");
    }

    @Test
    void updateWithOldTuple() {
        PgOutputMessage.Update u = (PgOutputMessage.Update) decode(v1,
                PgBytes.msg('U').i32(7).u8('O').i16(1).text("a").u8('N').i16(1).text("b"));
        assertThat(u.oldKind()).as("old kind").isEqualTo('O');
        assertThat(u.oldTuple().text(0)).as("old row").isEqualTo("a");
    }

    @Test
    void deleteWithKeyOrOldTuple() {
        PgOutputMessage.Delete k = (PgOutputMessage.Delete) decode(v1, PgBytes.msg('D').i32(7).u8('K').i16(1).text("1"));
        PgOutputMessage.Delete o = (PgOutputMessage.Delete) decode(v1, PgBytes.msg('D').i32(7).u8('O').i16(1).text("1"));
        assertThat(k.oldKind()).as("key delete").isEqualTo('K');
        assertThat(o.oldKind()).as("full delete").isEqualTo('O');
        assertThat(o.oldTuple().text(0)).as("old value").isEqualTo("1");
    }

    @Test
    void deleteWithoutOldTupleMarkerIsAnError() {
        assertThatThrownBy(() -> decode(v1, PgBytes.msg('D').i32(7).u8('N').i16(1).text("1")))
                .as("delete with N").isInstanceOf(PgOutputException.class).hasMessageContaining("Delete ('D')");
    }

    @Test
    void truncateListsRelationsAndFlags() {
        PgOutputMessage.Truncate t = (PgOutputMessage.Truncate) decode(v1,
                PgBytes.msg('T').i32(2).u8(3).i32(10).i32(11));
        assertThat(t.relationIds()).as("relation ids").containsExactly(10, 11);
        assertThat(t.cascade()).as("cascade").isTrue();
        assertThat(t.restartIdentity()).as("restart identity").isTrue();
        PgOutputMessage.Truncate plain = (PgOutputMessage.Truncate) decode(v1, PgBytes.msg('T').i32(1).u8(0).i32(10));
        assertThat(plain.cascade() || plain.restartIdentity()).as("no flags").isFalse();
    }

    @Test
    void messageCarriesFlagsLsnPrefixAndContent() {
        PgOutputMessage.Message m = (PgOutputMessage.Message) decode(v1,
                PgBytes.msg('M').u8(1).i64(0x99).cstr("audit").i32(3).raw(new byte[] {'a', 'b', 'c'}));
        assertThat(m.transactional()).as("transactional").isTrue();
        assertThat(m.lsn()).as("lsn").isEqualTo(Lsn.of(0x99));
        assertThat(m.prefix()).as("prefix").isEqualTo("audit");
        assertThat(m.content()).as("content").containsExactly('a', 'b', 'c');
    }

    @Test
    void streamedBlockChangesCarryLeadingXid() {
        PgOutputDecoder v2 = new PgOutputDecoder(2, StreamingMode.ON);
        assertThat(decode(v2, PgBytes.msg('S').i32(900).u8(1)))
                .as("Stream Start").isEqualTo(new PgOutputMessage.StreamStart(900, true));
        assertThat(v2.inStreamBlock()).as("in stream block").isTrue();
        PgOutputMessage.Relation r = (PgOutputMessage.Relation) decode(v2, relation(PgBytes.msg('R').i32(900)));
        assertThat(r.xid()).as("relation xid").isEqualTo(900);
        PgOutputMessage.Type y = (PgOutputMessage.Type) decode(v2, PgBytes.msg('Y').i32(900).i32(5).cstr("s").cstr("t"));
        assertThat(y.xid()).as("type xid").isEqualTo(900);
        PgOutputMessage.Insert i = (PgOutputMessage.Insert) decode(v2, PgBytes.msg('I').i32(901).i32(16384).u8('N')
                .i16(1).text("1"));
        assertThat(i.xid()).as("insert xid (a subtransaction)").isEqualTo(901);
        PgOutputMessage.Update u = (PgOutputMessage.Update) decode(v2, PgBytes.msg('U').i32(900).i32(16384).u8('N')
                .i16(1).text("1"));
        assertThat(u.xid()).as("update xid").isEqualTo(900);
        PgOutputMessage.Delete d = (PgOutputMessage.Delete) decode(v2, PgBytes.msg('D').i32(900).i32(16384).u8('K')
                .i16(1).text("1"));
        assertThat(d.xid()).as("delete xid").isEqualTo(900);
        PgOutputMessage.Truncate t = (PgOutputMessage.Truncate) decode(v2, PgBytes.msg('T').i32(900).i32(1).u8(0).i32(5));
        assertThat(t.xid()).as("truncate xid").isEqualTo(900);
        PgOutputMessage.Message m = (PgOutputMessage.Message) decode(v2, PgBytes.msg('M').i32(900).u8(1).i64(1)
                .cstr("p").i32(0));
        assertThat(m.xid()).as("message xid").isEqualTo(900);
        assertThat(decode(v2, PgBytes.msg('E'))).as("Stream Stop").isEqualTo(new PgOutputMessage.StreamStop());
        assertThat(v2.inStreamBlock()).as("after stream stop").isFalse();
        PgOutputMessage.Insert after = (PgOutputMessage.Insert) decode(v2, PgBytes.msg('I').i32(16384).u8('N')
                .i16(1).text("1"));
        assertThat(after.xid()).as("insert after the block has no xid").isZero();
    }

    @Test
    void streamCommitCarriesXidFlagsLsnsAndTime() {
        PgOutputMessage m = decode(new PgOutputDecoder(2, StreamingMode.ON),
                PgBytes.msg('c').i32(900).u8(0).i64(0x200).i64(0x240).time(T1));
        assertThat(m).as("Stream Commit")
                .isEqualTo(new PgOutputMessage.StreamCommit(900, 0, Lsn.of(0x200), Lsn.of(0x240), T1));
    }

    @Test
    void streamAbortBeforeV4HasNoLsn() {
        PgOutputMessage.StreamAbort a = (PgOutputMessage.StreamAbort) decode(new PgOutputDecoder(2, StreamingMode.ON),
                PgBytes.msg('A').i32(900).i32(901));
        assertThat(a).as("v2 abort").isEqualTo(new PgOutputMessage.StreamAbort(900, 901, Lsn.INVALID, null));
        assertThat(a.topLevel()).as("subtransaction abort").isFalse();
    }

    @Test
    void streamAbortV4ParallelCarriesAbortLsnAndTime() {
        PgOutputMessage.StreamAbort a = (PgOutputMessage.StreamAbort) decode(
                new PgOutputDecoder(4, StreamingMode.PARALLEL),
                PgBytes.msg('A').i32(900).i32(900).i64(0x300).time(T2));
        assertThat(a).as("v4 parallel abort").isEqualTo(new PgOutputMessage.StreamAbort(900, 900, Lsn.of(0x300), T2));
        assertThat(a.topLevel()).as("top-level abort").isTrue();
    }

    @Test
    void streamAbortV4WithoutParallelHasNoLsn() {
        PgOutputMessage.StreamAbort a = (PgOutputMessage.StreamAbort) decode(new PgOutputDecoder(4, StreamingMode.ON),
                PgBytes.msg('A').i32(900).i32(900));
        assertThat(a.abortLsn()).as("abort lsn").isEqualTo(Lsn.INVALID);
    }

    @Test
    void streamAbortV4ParallelTruncatedIsAnError() {
        assertThatThrownBy(() -> decode(new PgOutputDecoder(4, StreamingMode.PARALLEL),
                PgBytes.msg('A').i32(900).i32(900)))
                .as("missing abort lsn").isInstanceOf(PgOutputException.class)
                .hasMessageContaining("Stream Abort ('A')").hasMessageContaining("abort lsn");
    }

    @Test
    void twoPhaseMessages() {
        PgOutputDecoder v3 = new PgOutputDecoder(3, StreamingMode.OFF);
        assertThat(decode(v3, PgBytes.msg('b').i64(0x10).i64(0x20).time(T1).i32(5).cstr("gid-1")))
                .as("Begin Prepare")
                .isEqualTo(new PgOutputMessage.BeginPrepare(Lsn.of(0x10), Lsn.of(0x20), T1, 5, "gid-1"));
        assertThat(decode(v3, PgBytes.msg('P').u8(0).i64(0x10).i64(0x20).time(T1).i32(5).cstr("gid-1")))
                .as("Prepare")
                .isEqualTo(new PgOutputMessage.Prepare(0, Lsn.of(0x10), Lsn.of(0x20), T1, 5, "gid-1"));
        assertThat(decode(v3, PgBytes.msg('K').u8(0).i64(0x30).i64(0x40).time(T2).i32(5).cstr("gid-1")))
                .as("Commit Prepared")
                .isEqualTo(new PgOutputMessage.CommitPrepared(0, Lsn.of(0x30), Lsn.of(0x40), T2, 5, "gid-1"));
        assertThat(decode(v3, PgBytes.msg('r').u8(0).i64(0x20).i64(0x50).time(T1).time(T2).i32(5).cstr("gid-1")))
                .as("Rollback Prepared")
                .isEqualTo(new PgOutputMessage.RollbackPrepared(0, Lsn.of(0x20), Lsn.of(0x50), T1, T2, 5, "gid-1"));
        assertThat(decode(v3, PgBytes.msg('p').u8(0).i64(0x10).i64(0x20).time(T1).i32(5).cstr("gid-1")))
                .as("Stream Prepare")
                .isEqualTo(new PgOutputMessage.StreamPrepare(0, Lsn.of(0x10), Lsn.of(0x20), T1, 5, "gid-1"));
    }

    @Test
    void timesBeforeThePostgresEpochDecode() {
        PgOutputMessage.Begin b = (PgOutputMessage.Begin) decode(v1, PgBytes.msg('B').i64(1).i64(-1).i32(1));
        assertThat(b.commitTime()).as("one microsecond before 2000-01-01")
                .isEqualTo(Instant.parse("1999-12-31T23:59:59.999999Z"));
    }

    @Test
    void oversizedColumnLengthNamesMessageColumnAndOffset() {
        ByteBuffer b = PgBytes.msg('I').i32(1).u8('N').i16(3).text("a").text("b").u8('t').i32(Integer.MAX_VALUE)
                .raw(new byte[12]).buffer();
        assertThatThrownBy(() -> v1.decode(b)).as("column 3 length")
                .isInstanceOf(PgOutputException.class)
                .hasMessage("pgoutput Insert ('I'): column 3 length 2147483647 exceeds the 12 bytes left at offset 21");
        // offset 21: type 1 + relation id 4 + 'N' 1 + count 2 + two 6-byte columns + kind 1
    }

    @Test
    void unknownMessageTypeIsAnError() {
        assertThatThrownBy(() -> v1.decode(PgBytes.msg('Z').buffer())).as("unknown type")
                .isInstanceOf(PgOutputException.class).hasMessageContaining("unknown message type 0x5a ('Z')");
    }

    @Test
    void emptyMessageIsAnError() {
        assertThatThrownBy(() -> v1.decode(ByteBuffer.allocate(0))).as("empty")
                .isInstanceOf(PgOutputException.class).hasMessageContaining("empty message");
    }

    @Test
    void unterminatedStringIsAnError() {
        assertThatThrownBy(() -> v1.decode(PgBytes.msg('O').i64(1).raw(new byte[] {'a', 'b'}).buffer()))
                .as("no NUL").isInstanceOf(PgOutputException.class)
                .hasMessageContaining("Origin ('O')").hasMessageContaining("unterminated string origin name");
    }

    @Test
    void hugeColumnCountDoesNotAllocate() {
        assertThatThrownBy(() -> v1.decode(PgBytes.msg('R').i32(1).cstr("s").cstr("t").u8('d').i16(0xFFFF).buffer()))
                .as("65535 columns in no bytes").isInstanceOf(PgOutputException.class)
                .hasMessageContaining("65535 columns length 655350 exceeds the 0 bytes left");
        assertThatThrownBy(() -> v1.decode(PgBytes.msg('T').i32(Integer.MAX_VALUE).u8(0).buffer()))
                .as("2^31 relations").isInstanceOf(PgOutputException.class).hasMessageContaining("Truncate ('T')");
    }

    @Test
    void streamStartNeedsProtocol2() {
        assertThatThrownBy(() -> v1.decode(PgBytes.msg('S').i32(1).u8(1).buffer())).as("v1 stream start")
                .isInstanceOf(PgOutputException.class).hasMessageContaining("protocol version 2");
    }

    @Test
    void twoPhaseMessagesNeedProtocol3() {
        PgOutputDecoder v2 = new PgOutputDecoder(2, StreamingMode.ON);
        assertThatThrownBy(() -> v2.decode(PgBytes.msg('P').u8(0).i64(1).i64(2).i64(0).i32(5).cstr("g").buffer()))
                .as("v2 prepare").isInstanceOf(PgOutputException.class).hasMessageContaining("protocol version 3");
    }

    @Test
    void decodingDoesNotMoveTheBufferPosition() {
        ByteBuffer b = PgBytes.msg('B').i64(1).i64(0).i32(1).buffer();
        v1.decode(b);
        assertThat(b.position()).as("position").isZero();
    }
}
