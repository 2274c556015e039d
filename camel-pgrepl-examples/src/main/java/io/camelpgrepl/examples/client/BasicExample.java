package io.camelpgrepl.examples.client;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

import io.camelpgrepl.client.Lsn;
import io.camelpgrepl.client.ReplicationClient;
import io.camelpgrepl.client.ReplicationConfig;
import io.camelpgrepl.client.ReplicationEvent;

/**
 * The seed's {@code basic} example: the replication plane only. Streams slot {@code PGSLOT} of publication
 * {@code PGPUBLICATION} from {@code START_LSN} (unset: the slot's confirmed position), prints every event and
 * acknowledges each transaction at its commit. Runs until Ctrl-C, {@code STOP_LSN}, or {@code MAX_TRANSACTIONS}
 * commits. Without {@code PGHOST} it starts an embedded PostgreSQL and commits three transactions to show.
 *
 * <pre>PGHOST=db PGUSER=repl PGPASSWORD=... PGSLOT=my_slot PGPUBLICATION=my_pub START_LSN=0/16B6C50 \
 * ./mvnw -q -pl camel-pgrepl-examples -am -DskipTests package exec:exec -Dexec.mainClass=io.camelpgrepl.examples.client.BasicExample</pre>
 */
public final class BasicExample {

    private BasicExample() {
    }

    public static void main(String[] args) throws Exception {
        PgEnvironment env = PgEnvironment.fromSystem();
        if (env.has("PGHOST")) {
            stream(env.replicationConfig().build(), maxTransactions(env), System.out);
            return;
        }
        try (Playground playground = Playground.start(false)) {
            playground.insert(3);
            stream(playground.environment().replicationConfig().build(), 3, System.out);
        }
    }

    /** {@code MAX_TRANSACTIONS}, or 0 (no limit). */
    static int maxTransactions(PgEnvironment env) {
        return Integer.parseInt(env.get("MAX_TRANSACTIONS", "0"));
    }

    /**
     * Streams with {@code config}, printing each event to {@code out} and acknowledging at every commit, until the
     * stream ends (stop LSN) or {@code maxTransactions} commits (0 = no limit) were seen; a graceful stop then
     * sends the last acknowledgement.
     *
     * @return the commit end LSNs acknowledged, in order
     */
    public static List<Lsn> stream(ReplicationConfig config, int maxTransactions, PrintStream out)
            throws InterruptedException {
        List<Lsn> commits = new ArrayList<>();
        try (ReplicationClient client = ReplicationClient.connect(config)) {
            out.println("Connected to " + config.endpoint() + ": " + client.serverInfo());
            ReplicationEvent event;
            while ((event = client.recv()) != null) { // null: the stream ended (stop LSN reached)
                if (event instanceof ReplicationEvent.Begin begin) {
                    out.println("BEGIN     xid " + begin.xid() + ", commits at " + begin.finalLsn());
                } else if (event instanceof ReplicationEvent.XLogData data) {
                    out.println("XLogData  '" + (char) data.messageType() + "' " + data.data().remaining()
                            + " bytes at " + data.walStart());
                } else if (event instanceof ReplicationEvent.Commit commit) {
                    out.println("COMMIT    end " + commit.endLsn() + " at " + commit.commitTime());
                    client.updateAppliedLsn(commit.endLsn());
                    commits.add(commit.endLsn());
                    if (commits.size() == maxTransactions) {
                        break;
                    }
                } else if (event instanceof ReplicationEvent.StoppedAt stopped) {
                    out.println("StoppedAt " + stopped.reached());
                }
            }
        }
        return commits;
    }
}
