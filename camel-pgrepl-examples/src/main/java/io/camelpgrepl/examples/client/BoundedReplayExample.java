package io.camelpgrepl.examples.client;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import io.camelpgrepl.client.Lsn;
import io.camelpgrepl.client.ReplicationClient;
import io.camelpgrepl.client.ReplicationConfig;
import io.camelpgrepl.pgoutput.RowChange;

/**
 * The seed's {@code bounded_replay} example: every transaction committed between {@code START_LSN} (unset: the
 * slot's confirmed position) and {@code STOP_LSN} (unset: the server's WAL position when the example starts), whole,
 * then {@code StoppedAt} and a clean end. Nothing is acknowledged, so the slot does not move and the same replay can
 * run again.
 *
 * <pre>PGHOST=db PGUSER=repl PGPASSWORD=... PGSLOT=my_slot PGPUBLICATION=my_pub STOP_LSN=0/1A2B3C8 \
 * ./mvnw -q -pl camel-pgrepl-examples -am -DskipTests package exec:exec -Dexec.mainClass=io.camelpgrepl.examples.client.BoundedReplayExample</pre>
 */
public final class BoundedReplayExample {

    private BoundedReplayExample() {
    }

    public static void main(String[] args) throws Exception {
        PgEnvironment env = PgEnvironment.fromSystem();
        if (env.has("PGHOST")) {
            replay(env);
            return;
        }
        try (Playground playground = Playground.start(false)) {
            playground.insert(3);
            replay(playground.environment());
        }
    }

    /** Replays the bounded range, printing each row; returns the rows in stream order. */
    public static List<RowChange> replay(PgEnvironment env) throws Exception {
        Lsn stop = env.has("STOP_LSN") ? env.lsn("STOP_LSN") : currentWalLsn(env);
        ReplicationConfig config = env.replicationConfig().stopAtLsn(stop).build();
        System.out.println("Replaying " + env.slot() + " up to " + stop);
        List<RowChange> rows = new ArrayList<>();
        try (ReplicationClient client = ReplicationClient.connect(config)) {
            DecodedRows.stream(client, new DecodedRows.Handler() {
                @Override
                public void row(RowChange row) {
                    System.out.println(DecodedRows.describe(row));
                    rows.add(row);
                }

                @Override
                public boolean commit(Lsn commitEnd) {
                    System.out.println("commit " + commitEnd + " (not acknowledged: the replay can be repeated)");
                    return true;
                }
            });
        }
        return rows;
    }

    private static Lsn currentWalLsn(PgEnvironment env) throws Exception {
        try (Connection sql = env.sqlConnection(); Statement st = sql.createStatement();
             ResultSet rs = st.executeQuery("SELECT pg_current_wal_lsn()::text")) {
            rs.next();
            return Lsn.parse(rs.getString(1));
        }
    }
}
