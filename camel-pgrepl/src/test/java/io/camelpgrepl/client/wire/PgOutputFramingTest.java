package io.camelpgrepl.client.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.camelpgrepl.client.Lsn;
import io.camelpgrepl.client.ProtocolException;

class PgOutputFramingTest {

    static final Instant T = Instant.parse("2024-01-02T03:04:05Z");

    private final PgOutputFraming framing = new PgOutputFraming();

    /** A pgoutput message, big-endian, as the server writes it. */
    static final class Msg {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final DataOutputStream out = new DataOutputStream(bytes);

        static Msg of(char type) {
            return new Msg().u8(type);
        }

        Msg u8(int v) {
            return write(() -> out.writeByte(v));
        }

        Msg i32(int v) {
            return write(() -> out.writeInt(v));
        }

        Msg i64(long v) {
            return write(() -> out.writeLong(v));
        }

        Msg time(Instant t) {
            return i64(PgTime.fromInstant(t));
        }

        Msg cstr(String s) {
            return write(() -> {
                out.write(s.getBytes(StandardCharsets.UTF_8));
                out.writeByte(0);
            });
        }

        ByteBuffer buffer() {
            return ByteBuffer.wrap(bytes.toByteArray());
        }

        private Msg write(IoAction a) {
            try {
                a.run();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        private interface IoAction {
            void run() throws IOException;
        }
    }

    private PgOutputFrame frame(Msg m) {
        return framing.frame(m.buffer(), Lsn.of(0x100));
    }

    private static Msg insert(Integer streamXid) {
        Msg m = Msg.of('I');
        if (streamXid != null) {
            m.i32(streamXid);
        }
        return m.i32(16384).u8('N').i32(0);
    }

    @Test
    void regularTransactionFramesEveryMessageWithItsBeginAndAcknowledgesAtCommit() {
        PgOutputFrame begin = frame(Msg.of('B').i64(0x500).time(T).i32(77));
        PgOutputFrame row = frame(insert(null));
        assertThat(framing.transactionOpen()).as("open between Begin and Commit").isTrue();
        PgOutputFrame commit = frame(Msg.of('C').u8(0).i64(0x500).i64(0x530).time(T));

        PgOutputFrame.Transaction tx = new PgOutputFrame.Transaction(77, Lsn.of(0x500), T,
                PgOutputFrame.Kind.REGULAR);
        assertThat(begin.transaction()).as("Begin opens the transaction").isEqualTo(tx);
        assertThat(begin.lsn()).as("final LSN").isEqualTo(Lsn.of(0x500));
        assertThat(begin.xid()).as("Begin's xid").isEqualTo(77);
        assertThat(row.transaction()).as("a row belongs to it").isSameAs(begin.transaction());
        assertThat(row.xid()).as("a row outside a block carries no xid").isZero();
        assertThat(row.transactionXid()).as("but belongs to xid 77").isEqualTo(77);
        assertThat(row.relationId()).as("relation id").isEqualTo(16384);
        assertThat(row.isRowChange()).as("row change").isTrue();
        assertThat(row.endsTransaction()).as("nothing to acknowledge at a row").isFalse();
        assertThat(commit.transaction()).as("Commit closes Begin's transaction").isSameAs(begin.transaction());
        assertThat(commit.lsn()).as("commit LSN").isEqualTo(Lsn.of(0x500));
        assertThat(commit.time()).as("commit time").isEqualTo(T);
        assertThat(commit.ackLsn()).as("acknowledge the end LSN").isEqualTo(Lsn.of(0x530));
        assertThat(framing.idle()).as("idle after Commit").isTrue();
    }

    @Test
    void streamedBlockMessagesCarryTheirXidFirstAndTheTransactionStaysOpenUntilStreamCommit() {
        PgOutputFrame start = frame(Msg.of('S').i32(900).u8(1));
        PgOutputFrame sub = frame(insert(901));
        PgOutputFrame truncate = frame(Msg.of('T').i32(900).i32(1).u8(0).i32(16385));
        PgOutputFrame stop = frame(Msg.of('E'));
        PgOutputFrame after = frame(insert(null));
        assertThat(framing.idle()).as("a streamed transaction is open between blocks").isFalse();
        PgOutputFrame commit = frame(Msg.of('c').i32(900).u8(0).i64(0x600).i64(0x640).time(T));

        assertThat(start.inStreamBlock()).as("Stream Start opens the block").isTrue();
        assertThat(start.openStreamedXids()).as("open streamed").containsExactly(900);
        assertThat(sub.inStreamBlock()).as("in the block").isTrue();
        assertThat(sub.xid()).as("the row's own (sub)xid").isEqualTo(901);
        assertThat(sub.transaction().xid()).as("the block's top-level xid").isEqualTo(900);
        assertThat(sub.relationId()).as("relation id after the xid").isEqualTo(16384);
        assertThat(truncate.relationId()).as("first truncated relation").isEqualTo(16385);
        assertThat(stop.transaction().xid()).as("Stream Stop closes the block of 900").isEqualTo(900);
        assertThat(after.inStreamBlock()).as("after the block").isFalse();
        assertThat(after.xid()).as("no leading xid after the block").isZero();
        assertThat(after.relationId()).as("relation id read without the xid").isEqualTo(16384);
        assertThat(commit.ackLsn()).as("Stream Commit's end LSN").isEqualTo(Lsn.of(0x640));
        assertThat(commit.lsn()).as("Stream Commit's commit LSN").isEqualTo(Lsn.of(0x600));
        assertThat(commit.openStreamedXids()).as("none open").isEmpty();
        assertThat(framing.idle()).as("idle").isTrue();
    }

    @Test
    void onlyATopLevelStreamAbortClosesTheStreamedTransaction() {
        frame(Msg.of('S').i32(900).u8(1));
        frame(Msg.of('E'));
        PgOutputFrame subAbort = frame(Msg.of('A').i32(900).i32(901));
        PgOutputFrame topAbort = frame(Msg.of('A').i32(900).i32(900));
        assertThat(subAbort.openStreamedXids()).as("a subtransaction's abort").containsExactly(900);
        assertThat(subAbort.endsTransaction()).as("an abort acknowledges nothing").isFalse();
        assertThat(topAbort.openStreamedXids()).as("the top-level abort").isEmpty();
    }

    @Test
    void aStreamStartFloodIsRefusedAtTheOpenStreamedTransactionLimit() {
        for (int xid = 1; xid <= PgOutputFraming.MAX_OPEN_STREAMED_TRANSACTIONS; xid++) {
            frame(Msg.of('S').i32(xid).u8(1));
            frame(Msg.of('E'));
        }
        assertThat(framing.openStreamedXids()).as("open up to the limit")
                .hasSize(PgOutputFraming.MAX_OPEN_STREAMED_TRANSACTIONS);
        frame(Msg.of('S').i32(1).u8(0)); // a later block of a transaction already open is fine
        frame(Msg.of('E'));

        assertThatThrownBy(() -> frame(Msg.of('S').i32(PgOutputFraming.MAX_OPEN_STREAMED_TRANSACTIONS + 1).u8(1)))
                .as("one more transaction").isInstanceOf(ProtocolException.class)
                .hasMessageContaining("MAX_OPEN_STREAMED_TRANSACTIONS").hasMessageContaining("16384 are open");
    }

    @Test
    void twoPhaseMessagesEndTransactionsAtTheirEndLsn() {
        PgOutputFrame begin = frame(Msg.of('b').i64(0x400).i64(0x420).time(T).i32(5).cstr("g1"));
        assertThat(framing.transactionOpen()).as("open after Begin Prepare").isTrue();
        PgOutputFrame prepare = frame(Msg.of('P').u8(0).i64(0x400).i64(0x420).time(T).i32(5).cstr("g1"));
        PgOutputFrame commit = frame(Msg.of('K').u8(0).i64(0x500).i64(0x520).time(T).i32(5).cstr("g1"));
        PgOutputFrame rollback = frame(Msg.of('r').u8(0).i64(0x420).i64(0x620).time(T).time(T).i32(6).cstr("g2"));
        frame(Msg.of('S').i32(7).u8(1));
        frame(Msg.of('E'));
        PgOutputFrame streamPrepare = frame(Msg.of('p').u8(0).i64(0x700).i64(0x720).time(T).i32(7).cstr("g3"));

        assertThat(begin.transaction().kind()).as("prepared").isEqualTo(PgOutputFrame.Kind.PREPARED);
        assertThat(begin.transaction().commitLsn()).as("prepare LSN").isEqualTo(Lsn.of(0x400));
        assertThat(prepare.ackLsn()).as("Prepare").isEqualTo(Lsn.of(0x420));
        assertThat(prepare.transaction()).as("Prepare closes Begin Prepare's").isSameAs(begin.transaction());
        assertThat(commit.ackLsn()).as("Commit Prepared").isEqualTo(Lsn.of(0x520));
        assertThat(commit.xid()).as("Commit Prepared xid").isEqualTo(5);
        assertThat(rollback.ackLsn()).as("Rollback Prepared").isEqualTo(Lsn.of(0x620));
        assertThat(rollback.xid()).as("Rollback Prepared xid").isEqualTo(6);
        assertThat(streamPrepare.ackLsn()).as("Stream Prepare").isEqualTo(Lsn.of(0x720));
        assertThat(streamPrepare.openStreamedXids()).as("Stream Prepare closes the streamed transaction").isEmpty();
        assertThat(framing.idle()).as("idle").isTrue();
    }

    @Test
    void messageFlagsLsnAndBodyAreRead() {
        ByteBuffer data = Msg.of('M').u8(0).i64(0x99).cstr("audit").i32(3).u8('a').u8('b').u8('c').buffer();
        PgOutputFrame m = framing.frame(data, Lsn.of(0x99));
        PgOutputFraming.MessageBody body = PgOutputFraming.messageBody(data, m, Lsn.of(0x99));
        assertThat(m.transactional()).as("non-transactional").isFalse();
        assertThat(m.lsn()).as("message LSN").isEqualTo(Lsn.of(0x99));
        assertThat(m.endsTransaction()).as("a message ends no transaction").isFalse();
        assertThat(body.prefix()).as("prefix").isEqualTo("audit");
        assertThat(body.content()).as("content").containsExactly('a', 'b', 'c');
        assertThat(data.position()).as("position untouched").isZero();
    }

    @Test
    void truncatedFramingIsAProtocolErrorNamingTheMessageAndLsn() {
        assertThatThrownBy(() -> framing.frame(Msg.of('C').u8(0).i64(0x500).buffer(), Lsn.of(0x1234)))
                .as("Commit cut after its commit LSN").isInstanceOf(ProtocolException.class)
                .hasMessage("pgoutput Commit ('C') at 0/1234 is truncated: 10 bytes, its framing needs 26");
        assertThatThrownBy(() -> framing.frame(ByteBuffer.allocate(0), Lsn.of(0x1234)))
                .as("empty").isInstanceOf(ProtocolException.class).hasMessageContaining("0/1234");
        frame(Msg.of('S').i32(900).u8(1));
        assertThatThrownBy(() -> framing.frame(Msg.of('I').i32(900).buffer(), Lsn.of(0x1234)))
                .as("Insert in a block without its relation id").isInstanceOf(ProtocolException.class)
                .hasMessageContaining("Insert ('I') at 0/1234");
    }

    @Test
    void malformedMessageBodyIsAProtocolError() {
        ByteBuffer unterminated = Msg.of('M').u8(0).i64(1).u8('x').buffer();
        PgOutputFrame f = framing.frame(unterminated, Lsn.of(0x10));
        assertThatThrownBy(() -> PgOutputFraming.messageBody(unterminated, f, Lsn.of(0x10)))
                .as("no NUL").isInstanceOf(ProtocolException.class).hasMessageContaining("unterminated prefix");
        ByteBuffer overlong = Msg.of('M').u8(0).i64(1).cstr("p").i32(99).buffer();
        PgOutputFrame g = framing.frame(overlong, Lsn.of(0x10));
        assertThatThrownBy(() -> PgOutputFraming.messageBody(overlong, g, Lsn.of(0x10)))
                .as("content longer than the message").isInstanceOf(ProtocolException.class)
                .hasMessageContaining("declares 99 content bytes but 0 remain");
    }

    @Test
    void typeNamesAreThoseOfTheHeaders() {
        assertThat(PgOutputFraming.typeName((byte) 'c')).as("c").isEqualTo("STREAM_COMMIT");
        assertThat(PgOutputFraming.typeName((byte) 'r')).as("r").isEqualTo("ROLLBACK_PREPARED");
        assertThat(PgOutputFraming.typeName((byte) 'Z')).as("unknown").isEqualTo("UNKNOWN");
        assertThat(frame(Msg.of('Z')).typeName()).as("an unknown type is framed, the decoder rejects it")
                .isEqualTo("UNKNOWN");
    }
}
