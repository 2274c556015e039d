package io.camelpgrepl.client.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import io.camelpgrepl.client.ReplicationClient;
import io.camelpgrepl.client.ReplicationEvent;

/** Reading and summarising what a {@link ReplicationClient} delivers, for the client's integration tests. */
final class ClientEvents {

    private ClientEvents() {
    }

    /** Reads events until {@code commits} Commits have arrived; returns the pgoutput events (no keepalives). */
    static List<ReplicationEvent> readTransactions(ReplicationClient client, int commits) throws InterruptedException {
        List<ReplicationEvent> out = new ArrayList<>();
        int seen = 0;
        while (seen < commits) {
            ReplicationEvent e = client.poll(Duration.ofSeconds(30));
            if (e == null) {
                throw new AssertionError("stream ended or stalled after " + out.size() + " events (" + seen + " of "
                        + commits + " commits)");
            }
            if (e instanceof ReplicationEvent.KeepAlive) {
                continue;
            }
            out.add(e);
            if (e instanceof ReplicationEvent.Commit) {
                seen++;
            }
        }
        return out;
    }

    /** pgoutput message type letters of the events, e.g. "BRIC". */
    static String types(List<ReplicationEvent> events) {
        return events.stream().filter(e -> e instanceof ReplicationEvent.WalMessage)
                .map(e -> String.valueOf((char) ((ReplicationEvent.WalMessage) e).messageType()))
                .collect(Collectors.joining());
    }

    /** Names of live threads started by the client. */
    static Set<String> clientThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(n -> n.startsWith("pgrepl-") && !n.equals("pgrepl-connect-watchdog"))
                .collect(Collectors.toSet());
    }
}
