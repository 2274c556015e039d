package io.camelpgrepl.examples.client;

import io.camelpgrepl.client.Lsn;
import io.camelpgrepl.client.ReplicationClient;
import io.camelpgrepl.client.ReplicationEvent;
import io.camelpgrepl.pgoutput.ChangeEvent;
import io.camelpgrepl.pgoutput.ChangeStream;
import io.camelpgrepl.pgoutput.RowChange;

/**
 * The client's stream decoded into rows by the pgoutput decoder, transaction by transaction: what the checkpointed
 * and bounded-replay examples print (the client alone gives pgoutput bytes; the decoder is the layer above it).
 */
final class DecodedRows {

    /** What an example does with the stream: each row, then its transaction's commit. */
    interface Handler {
        void row(RowChange row) throws Exception;

        /** {@code commitEnd}: the LSN to persist and acknowledge; return false to stop streaming. */
        boolean commit(Lsn commitEnd) throws Exception;
    }

    private DecodedRows() {
    }

    /** Feeds {@code handler} until the stream ends or the handler says stop. */
    static void stream(ReplicationClient client, Handler handler) throws Exception {
        ChangeStream changes = new ChangeStream(client.serverInfo().protoVersion(), client.config().streaming());
        ReplicationEvent event;
        while ((event = client.recv()) != null) {
            if (event instanceof ReplicationEvent.WalMessage message) {
                ChangeEvent change = changes.accept(message);
                if (change instanceof RowChange row) {
                    handler.row(row);
                } else if (change instanceof ChangeEvent.TransactionCommit && !handler.commit(change.ackLsn())) {
                    return;
                }
            } else if (event instanceof ReplicationEvent.StoppedAt stopped) {
                System.out.println("StoppedAt " + stopped.reached());
            }
        }
    }

    /** One line per row: {@code INSERT public.example_items {id=1, name=item 1}}. */
    static String describe(RowChange row) {
        return row.operation() + " " + row.schema() + "." + row.table() + " "
                + (row.after() != null ? row.after() : row.before());
    }
}
