package io.camelpgrepl.camel;

import java.util.List;

import io.camelpgrepl.client.Lsn;
import io.camelpgrepl.pgoutput.ChangeEvent;
import io.camelpgrepl.pgoutput.RowChange;
import io.camelpgrepl.pgoutput.TxInfo;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EventIdsTest {

    private static final TxInfo STREAMED_A = new TxInfo(700, Lsn.INVALID, null, TxInfo.Kind.STREAMED, null);
    private static final TxInfo STREAMED_B = new TxInfo(701, Lsn.INVALID, null, TxInfo.Kind.STREAMED, null);

    private static RowChange row(TxInfo tx, long lsn) {
        return new RowChange(Lsn.of(lsn), tx, tx.xid(), 1, "public", "items", RowChange.Operation.INSERT, null, null,
                List.of());
    }

    @Test
    void rowsOfOneRecordCountOnPerTransactionAcrossInterleavedStreamBlocks() {
        EventIds ids = new EventIds();
        // a COPY record of transaction A split over two stream blocks, with a block of B in between
        assertThat(ids.of(row(STREAMED_A, 0x100))).isEqualTo("0/100:0");
        assertThat(ids.of(row(STREAMED_A, 0x100))).isEqualTo("0/100:1");
        assertThat(ids.of(row(STREAMED_B, 0x100 + 0x40))).as("B counts on its own").isEqualTo("0/140:0");
        assertThat(ids.of(row(STREAMED_A, 0x100))).as("A resumes its record").isEqualTo("0/100:2");
        assertThat(ids.of(row(STREAMED_A, 0x180))).as("a new record starts at 0").isEqualTo("0/180:0");
    }

    @Test
    void aRedeliveredTransactionGetsTheSameIdsOnANewConnection() {
        TxInfo tx = new TxInfo(42, Lsn.of(0x300), null, TxInfo.Kind.REGULAR, null);
        List<String> first = deliver(new EventIds(), tx);
        assertThat(first).containsExactly("0/200:0", "0/200:1", "0/280:0");
        assertThat(deliver(new EventIds(), tx)).as("after a reconnect").isEqualTo(first);
        EventIds same = new EventIds();
        deliver(same, tx);
        assertThat(deliver(same, tx)).as("again on the same connection after its commit").isEqualTo(first);
    }

    private static List<String> deliver(EventIds ids, TxInfo tx) {
        List<String> out = List.of(ids.of(row(tx, 0x200)), ids.of(row(tx, 0x200)), ids.of(row(tx, 0x280)));
        ids.observe(new ChangeEvent.TransactionCommit(Lsn.of(0x300), tx, 0, Lsn.of(0x330)));
        return out;
    }

    @Test
    void transactionEventsAreNamedByTheirLsnAndType() {
        assertThat(EventIds.ofTransactionEvent(Lsn.of(0x330), "COMMIT")).isEqualTo("0/330:COMMIT");
    }
}
