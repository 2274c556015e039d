package io.camelpgrepl.camel;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import io.camelpgrepl.client.Lsn;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PgOutputPeekTest {

    private static ByteBuffer relation(int relid, String schema, String table) {
        byte[] s = schema.getBytes(StandardCharsets.UTF_8);
        byte[] t = table.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(1 + 4 + s.length + 1 + t.length + 1 + 1 + 2);
        b.put((byte) 'R').putInt(relid).put(s).put((byte) 0).put(t).put((byte) 0).put((byte) 'd').putShort((short) 0);
        return b.flip();
    }

    @Test
    void rowChangesAreNamedAfterTheRelationTheyReferTo() {
        PgOutputPeek peek = new PgOutputPeek();
        peek.observe(relation(16384, "public", "items"));
        ByteBuffer insert = ByteBuffer.allocate(16).put((byte) 'I').putInt(16384).put((byte) 'N').putShort((short) 0).flip();

        assertThat(peek.relationOf(insert)).isEqualTo(new PgOutputPeek.Relation("public", "items"));
        assertThat(PgOutputPeek.typeName((byte) 'I')).isEqualTo("INSERT");
        assertThat(PgOutputPeek.typeName((byte) 'K')).isEqualTo("COMMIT_PREPARED");
    }

    @Test
    void streamCommitAndPrepareCarryTheirEndLsn() {
        ByteBuffer streamCommit = ByteBuffer.allocate(1 + 4 + 1 + 8 + 8 + 8)
                .put((byte) 'c').putInt(7).put((byte) 0).putLong(0x100).putLong(0x180).putLong(0).flip();
        ByteBuffer prepare = ByteBuffer.allocate(1 + 1 + 8 + 8 + 8 + 4 + 2)
                .put((byte) 'P').put((byte) 0).putLong(0x200).putLong(0x280).putLong(0).putInt(9).put((byte) 'g')
                .put((byte) 0).flip();

        assertThat(PgOutputPeek.transactionEndLsn(streamCommit)).isEqualTo(Lsn.of(0x180));
        assertThat(PgOutputPeek.transactionEndLsn(prepare)).isEqualTo(Lsn.of(0x280));
        assertThat(PgOutputPeek.transactionEndLsn(relation(1, "a", "b"))).isNull();
    }

    @Test
    void malformedMessagesYieldNoHeadersInsteadOfExceptions() {
        PgOutputPeek peek = new PgOutputPeek();
        peek.observe(ByteBuffer.wrap(new byte[] { 'R', 0, 0 }));
        peek.observe(ByteBuffer.wrap(new byte[] { 'R', 0, 0, 0, 1, 'x' }));

        assertThat(peek.relationOf(ByteBuffer.wrap(new byte[] { 'I', 0 }))).isNull();
        assertThat(PgOutputPeek.transactionEndLsn(ByteBuffer.wrap(new byte[] { 'c', 0 }))).isNull();
        assertThat(peek.xidOf(ByteBuffer.wrap(new byte[] { 'S' }))).isNull();
    }
}
