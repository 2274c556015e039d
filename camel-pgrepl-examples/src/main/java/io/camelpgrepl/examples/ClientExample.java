package io.camelpgrepl.examples;

import java.time.Duration;

import io.camelpgrepl.client.Lsn;
import io.camelpgrepl.client.ReplicationClient;
import io.camelpgrepl.client.ReplicationConfig;
import io.camelpgrepl.client.ReplicationEvent;
import io.camelpgrepl.client.SslMode;

/**
 * The replication client on its own, without Camel: bounded replay of what a writer committed, printed as
 * pgoutput message types, acknowledged at every commit.
 *
 * <pre>./mvnw -q -pl camel-pgrepl-examples -am -DskipTests package exec:exec -Dexec.mainClass=io.camelpgrepl.examples.ClientExample</pre>
 */
public final class ClientExample {

    private ClientExample() {
    }

    public static void main(String[] args) throws Exception {
        try (DemoDatabase db = DemoDatabase.open()) {
            db.execute("CREATE TABLE IF NOT EXISTS client_example (id int PRIMARY KEY, note text)",
                    "DROP PUBLICATION IF EXISTS client_example_pub",
                    "CREATE PUBLICATION client_example_pub FOR TABLE client_example",
                    "SELECT pg_create_logical_replication_slot('client_example_slot', 'pgoutput') WHERE NOT EXISTS "
                            + "(SELECT 1 FROM pg_replication_slots WHERE slot_name = 'client_example_slot')");
            db.execute("INSERT INTO client_example VALUES (1, 'one'), (2, 'two') ON CONFLICT DO NOTHING",
                    "UPDATE client_example SET note = note || '!'");
            Lsn bound;
            try (var c = db.connect(); var st = c.createStatement(); var rs = st.executeQuery("SELECT pg_current_wal_lsn()")) {
                rs.next();
                bound = Lsn.parse(rs.getString(1));
            }
            ReplicationConfig config = ReplicationConfig.builder().host(db.host).port(db.port).database(db.database)
                    .user(db.user).password(db.password).sslMode(SslMode.PREFER)
                    .slot("client_example_slot").publication("client_example_pub").stopAtLsn(bound).build();
            try (ReplicationClient client = ReplicationClient.connect(config)) {
                System.out.println("Connected: " + client.serverInfo());
                ReplicationEvent e;
                while ((e = client.poll(Duration.ofSeconds(30))) != null) {
                    if (e instanceof ReplicationEvent.Commit commit) {
                        System.out.println("COMMIT  end " + commit.endLsn() + " at " + commit.commitTime());
                        client.updateAppliedLsn(commit.endLsn());
                    } else if (e instanceof ReplicationEvent.Begin begin) {
                        System.out.println("BEGIN   xid " + begin.xid() + ", commits at " + begin.finalLsn());
                    } else if (e instanceof ReplicationEvent.WalMessage m) {
                        System.out.println("  '" + (char) m.messageType() + "'    " + m.data().remaining() + " bytes at "
                                + m.walStart());
                    } else if (e instanceof ReplicationEvent.StoppedAt s) {
                        System.out.println("Replay reached " + s.reached() + " (bound " + bound + ")");
                    }
                }
            }
        }
    }
}
