package io.camelpgrepl.camel;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.camelpgrepl.client.Lsn;
import io.camelpgrepl.fixture.SlotFixture;
import io.camelpgrepl.pgoutput.RowChange;
import io.camelpgrepl.testing.PostgresExtension;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The consumer while the server misbehaves: walsenders killed over and over during a large stream, the server
 * restarted mid-stream. Nothing is lost, commit order holds, and the slot ends where the stream ended. A server of
 * its own, since it is restarted.
 */
class PgReplChaosIT extends CamelTestSupport {

    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.create().dedicated();

    /** Rows per transaction: every transaction inserts the next {@code BATCH} ids in order. */
    private static final int BATCH = 5_000;

    /** What the route saw, in arrival order: row ids (repeats included) and Commit end LSNs; never the exchanges. */
    static final class Arrivals {
        private int[] ids = new int[1 << 16];
        private int size;
        private int highest;
        private final Set<Lsn> commits = new HashSet<>();
        private Lsn lastCommitEnd = Lsn.INVALID;

        synchronized void record(Exchange exchange) {
            Message m = exchange.getMessage();
            if (m.getBody() instanceof RowChange row) {
                int id = (Integer) row.after().get("id");
                if (size == ids.length) {
                    ids = Arrays.copyOf(ids, size * 2);
                }
                ids[size++] = id;
                highest = Math.max(highest, id);
            } else if ("COMMIT".equals(m.getHeader(PgReplConstants.MESSAGE_TYPE))) {
                Lsn end = m.getHeader(PgReplConstants.LSN, Lsn.class);
                commits.add(end);
                lastCommitEnd = Lsn.max(lastCommitEnd, end);
            }
        }

        synchronized int highest() {
            return highest;
        }

        synchronized int received() {
            return size;
        }

        synchronized int distinctCommits() {
            return commits.size();
        }

        synchronized Lsn lastCommitEnd() {
            return lastCommitEnd;
        }

        /**
         * Checks the arrival order against the commit order (ids ascending, {@link #BATCH} per transaction): every
         * run of arrivals counts up by one; a run may only start over at the first row of a transaction not beyond
         * the highest id seen + 1 (a redelivered suffix, never a gap). Returns a description of the first
         * violation, or null; with no violation every id from 1 to the highest arrived at least once, in order.
         */
        synchronized String orderViolation() {
            int previous = 0;
            int seen = 0;
            for (int i = 0; i < size; i++) {
                int id = ids[i];
                if (id != previous + 1 && ((id - 1) % BATCH != 0 || id > seen + 1)) {
                    return "arrival " + i + ": id " + id + " after " + previous + " (highest so far " + seen
                           + "): neither the next row nor the start of a redelivered transaction";
                }
                previous = id;
                seen = Math.max(seen, id);
            }
            return null;
        }

        /** How many times the stream started over (a redelivered suffix began). */
        synchronized int restarts() {
            int n = 0;
            for (int i = 1; i < size; i++) {
                if (ids[i] != ids[i - 1] + 1) {
                    n++;
                }
            }
            return n;
        }
    }

    private PgReplConsumerState state(String routeId) {
        return ((PgReplConsumer) context.getRoute(routeId).getConsumer()).snapshot();
    }

    private void countingRoute(String routeId, String uri, Arrivals arrivals) throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId(routeId).process(arrivals::record);
            }
        });
    }

    /** Inserts ids {@code from} .. {@code from + transactions * BATCH - 1}, one transaction of BATCH rows at a time. */
    private static void writeRows(SlotFixture f, int from, int transactions) {
        try (Connection c = f.server.connect(f.database); Statement s = c.createStatement()) {
            for (int t = 0; t < transactions; t++) {
                int first = from + t * BATCH;
                s.execute("INSERT INTO items SELECT g, 'row' FROM generate_series(" + first + ", " + (first + BATCH - 1)
                          + ") g");
            }
        } catch (Exception e) {
            throw new IllegalStateException("writing rows from " + from + " failed: " + e.getMessage(), e);
        }
    }

    @Test
    void tenWalsenderKillsDuringA200kRowStreamLoseNothingAndKeepCommitOrder() throws Exception {
        SlotFixture f = SlotFixture.create(PG.server(), "chaos_kill");
        // no idle-keepalive acknowledgement: the slot must end exactly at the last commit's end LSN
        String uri = f.uri() + "&includeTransactionEvents=true&ackIdleKeepalive=false&statusInterval=100ms"
                     + "&reconnectDelay=50ms&reconnectMaxDelay=200ms";
        Arrivals arrivals = new Arrivals();
        countingRoute("kill", uri, arrivals);
        await().atMost(Duration.ofSeconds(20)).until(f::isActive);

        int transactions = 40;
        CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> writeRows(f, 1, transactions));
        int kills = 0;
        for (int k = 1; k <= 10; k++) {
            int progress = k * 15_000;
            await().atMost(Duration.ofSeconds(60)).until(() -> arrivals.highest() >= progress);
            // right after a kill the consumer may still be reconnecting: kill its next walsender
            await().atMost(Duration.ofSeconds(20)).until(() -> f.server.terminateWalSenders(f.slot) == 1);
            kills++;
        }
        writer.get(60, TimeUnit.SECONDS);
        int rows = transactions * BATCH;

        await().atMost(Duration.ofSeconds(120))
                .until(() -> arrivals.highest() == rows && arrivals.distinctCommits() == transactions);
        Lsn lastCommitEnd = arrivals.lastCommitEnd();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(f.confirmedFlush())
                .as("the slot ends at the last commit's end LSN").isEqualTo(lastCommitEnd));

        assertThat(kills).isEqualTo(10);
        assertThat(arrivals.orderViolation()).as("at least once, in commit order (%d arrivals for %d rows, %d restarts)",
                arrivals.received(), rows, arrivals.restarts()).isNull();
        assertThat(state("kill").reconnects()).as("one reconnect per kill at least").isGreaterThanOrEqualTo(10);
        assertThat(arrivals.received() - rows).as("redelivered rows: at most the open transaction per kill")
                .isLessThanOrEqualTo(kills * BATCH);
    }

    @Test
    void restartingTheServerMidStreamLosesNothing() throws Exception {
        SlotFixture f = SlotFixture.create(PG.server(), "chaos_restart");
        // ackIdleKeepalive stays on (the default): a fast shutdown waits for the client to confirm everything the
        // walsender sent, the shutdown checkpoint included, which only an idle keepalive acknowledgement does
        String uri = f.uri() + "&includeTransactionEvents=true&statusInterval=100ms&reconnectDelay=100ms"
                     + "&reconnectMaxDelay=500ms&reconnectMaxAttempts=0";
        Arrivals arrivals = new Arrivals();
        countingRoute("restart", uri, arrivals);
        await().atMost(Duration.ofSeconds(20)).until(f::isActive);
        writeRows(f, 1, 8);

        await().atMost(Duration.ofSeconds(60)).until(() -> arrivals.highest() >= 10_000);
        f.server.restart();
        writeRows(f, 8 * BATCH + 1, 2);

        int rows = 10 * BATCH;
        await().atMost(Duration.ofSeconds(60)).until(() -> arrivals.highest() == rows && arrivals.distinctCommits() == 10);
        Lsn lastCommitEnd = arrivals.lastCommitEnd();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(f.confirmedFlush())
                .as("acknowledged through the last commit").isGreaterThanOrEqualTo(lastCommitEnd));

        assertThat(arrivals.orderViolation()).as("at least once, in commit order (%d arrivals for %d rows, %d restarts)",
                arrivals.received(), rows, arrivals.restarts()).isNull();
        assertThat(state("restart").reconnects()).as("reconnected after the restart").isGreaterThanOrEqualTo(1);
        assertThat(state("restart").state()).isEqualTo(PgReplConsumerState.State.STREAMING);
    }

    @Test
    void aServerCrashMidTransactionLosesNothingAndDeliversNothingUncommitted() throws Exception {
        SlotFixture f = SlotFixture.create(PG.server(), "chaos_crash");
        String uri = f.uri() + "&includeTransactionEvents=true&statusInterval=100ms&reconnectDelay=100ms"
                     + "&reconnectMaxDelay=500ms&reconnectMaxAttempts=0";
        Arrivals arrivals = new Arrivals();
        int heldRow = 2 * BATCH + 1234; // inside the third transaction
        java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch crashed = new java.util.concurrent.CountDownLatch(1);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId("crash").process(e -> {
                    arrivals.record(e);
                    if (e.getMessage().getBody() instanceof RowChange row && (Integer) row.after().get("id") == heldRow
                        && held.getCount() == 1) {
                        held.countDown();
                        crashed.await(60, TimeUnit.SECONDS); // the route is mid-transaction when the server dies
                    }
                });
            }
        });
        await().atMost(Duration.ofSeconds(20)).until(f::isActive);
        writeRows(f, 1, 8);
        assertThat(held.await(60, TimeUnit.SECONDS)).as("the route reached row %d", heldRow).isTrue();

        // A transaction is also open on the server when it crashes: it never committed, so none of its rows
        // (ids far beyond the others) may ever arrive.
        try (Connection open = f.server.connect(f.database); Statement st = open.createStatement()) {
            open.setAutoCommit(false);
            st.execute("INSERT INTO items SELECT g, 'never committed' FROM generate_series(900001, 905000) g");
            f.server.crash();
        } catch (java.sql.SQLException cutOff) {
            // the crash ends the session under the open transaction
        }
        crashed.countDown();
        f.server.start();
        writeRows(f, 8 * BATCH + 1, 2);

        int rows = 10 * BATCH;
        await().atMost(Duration.ofSeconds(90)).until(() -> arrivals.highest() == rows && arrivals.distinctCommits() == 10);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5))
                .until(() -> arrivals.highest() == rows && arrivals.distinctCommits() == 10);

        assertThat(arrivals.orderViolation()).as("at least once, in commit order, nothing lost, nothing uncommitted"
                + " (%d arrivals for %d rows)", arrivals.received(), rows).isNull();
        // Whether a suffix is redelivered depends on how much the client had buffered before the crash: the consumer
        // resumes from what it acknowledged itself, so a fully buffered stream continues without repeats.
        assertThat(state("crash").reconnects()).as("reconnected after the crash").isGreaterThanOrEqualTo(1);
    }
}
