package io.camelpgrepl.camel;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.camelpgrepl.client.Lsn;
import io.camelpgrepl.client.ReplicationEvent;
import io.camelpgrepl.client.StreamingMode;
import io.camelpgrepl.client.wire.PgOutputFrame;
import io.camelpgrepl.client.wire.PgOutputFraming;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** outputFormat=raw: headers from the client's framing, relation names from Relation messages. */
class RawExchangeMapperTest {

    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    private final PgOutputFraming framing = new PgOutputFraming();
    private final RawExchangeMapper mapper = new RawExchangeMapper("s", 4, StreamingMode.ON);
    private final DefaultCamelContext context = new DefaultCamelContext();
    private final List<Exchange> sent = new ArrayList<>();
    private final List<Lsn> acks = new ArrayList<>();
    private final ExchangeMapper.Sink sink = new ExchangeMapper.Sink() {
        @Override
        public Exchange newExchange() {
            return new DefaultExchange(context);
        }

        @Override
        public void send(Exchange exchange, Lsn lsn) {
            sent.add(exchange);
        }

        @Override
        public void endOfTransaction(Lsn ackLsn) {
            acks.add(ackLsn);
        }
    };

    private Message map(long walStart, ByteBuffer data) {
        PgOutputFrame frame = framing.frame(data, Lsn.of(walStart));
        ReplicationEvent.WalMessage event = switch (frame.type()) {
            case 'B' -> new ReplicationEvent.Begin(Lsn.of(walStart), Lsn.of(0x900), T, data, frame);
            case 'C' -> new ReplicationEvent.Commit(Lsn.of(walStart), Lsn.of(0x900), T, data, frame);
            default -> new ReplicationEvent.XLogData(Lsn.of(walStart), Lsn.of(0x900), T, data, frame);
        };
        assertThat(mapper.map(event, sink)).as("every pgoutput message is an exchange in raw mode").isTrue();
        return sent.get(sent.size() - 1).getMessage();
    }

    private static ByteBuffer relation(int relid, String schema, String table) {
        byte[] s = schema.getBytes(StandardCharsets.UTF_8);
        byte[] t = table.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(1 + 4 + s.length + 1 + t.length + 1 + 1 + 2);
        b.put((byte) 'R').putInt(relid).put(s).put((byte) 0).put(t).put((byte) 0).put((byte) 'd').putShort((short) 0);
        return b.flip();
    }

    private static ByteBuffer insert(int relid) {
        return ByteBuffer.allocate(8).put((byte) 'I').putInt(relid).put((byte) 'N').putShort((short) 0).flip();
    }

    @Test
    void aRegularTransactionsMessagesCarryItsXidCommitLsnAndTheirRelation() {
        Message begin = map(0x100, ByteBuffer.allocate(21).put((byte) 'B').putLong(0x200).putLong(0).putInt(42).flip());
        map(0, relation(16384, "public", "items"));
        Message row = map(0x180, insert(16384));
        Message commit = map(0x200, ByteBuffer.allocate(26).put((byte) 'C').put((byte) 0).putLong(0x200)
                .putLong(0x280).putLong(0).flip());

        assertThat(begin.getHeader(PgReplConstants.MESSAGE_TYPE)).isEqualTo("BEGIN");
        assertThat(row.getHeader(PgReplConstants.MESSAGE_TYPE)).isEqualTo("INSERT");
        assertThat(row.getHeader(PgReplConstants.OPERATION)).isEqualTo("INSERT");
        assertThat(row.getHeader(PgReplConstants.SCHEMA)).isEqualTo("public");
        assertThat(row.getHeader(PgReplConstants.TABLE)).isEqualTo("items");
        assertThat(row.getHeader(PgReplConstants.COMMIT_LSN)).isEqualTo(Lsn.of(0x200));
        assertThat(((Number) row.getHeader(PgReplConstants.XID)).longValue()).isEqualTo(42);
        assertThat(row.getBody(byte[].class)).hasSize(8).startsWith('I');
        assertThat(commit.getHeader(PgReplConstants.LSN)).as("a Commit's exchange is at its end LSN")
                .isEqualTo(Lsn.of(0x280));
        assertThat(acks).as("acknowledged at the Commit's end LSN only").containsExactly(Lsn.of(0x280));
    }

    @Test
    void streamedMessagesCarryTheXidWrittenInThemAndStreamCommitEndsTheTransaction() {
        map(0, ByteBuffer.allocate(6).put((byte) 'S').putInt(7).put((byte) 1).flip());
        Message row = map(0x180, ByteBuffer.allocate(12).put((byte) 'I').putInt(9).putInt(16384).put((byte) 'N')
                .putShort((short) 0).flip());
        map(0, ByteBuffer.allocate(1).put((byte) 'E').flip());
        Message streamCommit = map(0x300, ByteBuffer.allocate(30).put((byte) 'c').putInt(7).put((byte) 0)
                .putLong(0x300).putLong(0x380).putLong(0).flip());

        assertThat(((Number) row.getHeader(PgReplConstants.XID)).longValue()).as("a subtransaction's xid")
                .isEqualTo(9);
        assertThat(row.getHeader(PgReplConstants.TABLE)).as("no Relation seen: no table").isNull();
        assertThat(streamCommit.getHeader(PgReplConstants.MESSAGE_TYPE)).isEqualTo("STREAM_COMMIT");
        assertThat(((Number) streamCommit.getHeader(PgReplConstants.XID)).longValue()).isEqualTo(7);
        assertThat(acks).containsExactly(Lsn.of(0x380));
    }

    @Test
    void aRelationThatCannotBeDecodedStillReachesTheRouteWithoutHeaders() {
        Message rel = map(0, ByteBuffer.wrap(new byte[] { 'R', 0, 0, 0, 1, 'x' }));
        Message row = map(0x180, insert(1));

        assertThat(rel.getHeader(PgReplConstants.MESSAGE_TYPE)).isEqualTo("RELATION");
        assertThat(row.getHeader(PgReplConstants.TABLE)).isNull();
        assertThat(acks).isEmpty();
    }
}
