package io.camelpgrepl.client.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.camelpgrepl.client.Lsn;

class StandbyStatusUpdateTest {

    @Test
    void encodesTheDocumentedLayout() {
        byte[] msg = new StandbyStatusUpdate(Lsn.parse("1/2"), Lsn.parse("0/10"), Lsn.parse("0/10"), 0x0102030405060708L,
                true).encode();
        ByteBuffer b = ByteBuffer.wrap(msg);
        assertThat(b.get()).as("CopyData").isEqualTo((byte) 'd');
        assertThat(b.getInt()).as("length incl. itself").isEqualTo(38);
        assertThat(b.get()).as("standby status update").isEqualTo((byte) 'r');
        assertThat(b.getLong()).as("write").isEqualTo(0x1_00000002L);
        assertThat(b.getLong()).as("flush").isEqualTo(0x10L);
        assertThat(b.getLong()).as("apply").isEqualTo(0x10L);
        assertThat(b.getLong()).as("clock").isEqualTo(0x0102030405060708L);
        assertThat(b.get()).as("reply requested").isEqualTo((byte) 1);
        assertThat(b.hasRemaining()).isFalse();
    }

    @Test
    void decodeInvertsEncode() {
        StandbyStatusUpdate u = new StandbyStatusUpdate(Lsn.parse("A/B"), Lsn.INVALID, Lsn.INVALID, 42, false);
        byte[] msg = u.encode();
        assertThat(StandbyStatusUpdate.decode(ByteBuffer.wrap(msg, 5, msg.length - 5))).isEqualTo(u);
    }

    @Test
    void postgresEpochIs2000() {
        assertThat(PgTime.toInstant(0)).isEqualTo(Instant.parse("2000-01-01T00:00:00Z"));
        assertThat(PgTime.fromInstant(Instant.parse("2000-01-01T00:00:01.000001Z"))).isEqualTo(1_000_001L);
        assertThat(PgTime.toInstant(-1)).isEqualTo(Instant.parse("1999-12-31T23:59:59.999999Z"));
    }
}
