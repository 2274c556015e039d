package io.camelpgrepl.camel;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Queue;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntPredicate;

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
 * Where the slot's confirmed_flush_lsn is, read from the server while exchanges complete out of order and fail:
 * it never passes a transaction whose exchanges have not all completed, and each failure policy leaves it where
 * it should.
 */
class PgReplAcknowledgementIT extends CamelTestSupport {

    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.create();

    /** Per transaction, as the route's last step saw it: end LSN, commit LSN, exchanges, last completion stamp. */
    static final class TransactionLog {

        static final class Tx {
            volatile Lsn endLsn;
            volatile Lsn commitLsn;
            final AtomicInteger exchanges = new AtomicInteger();
            final AtomicLong lastCompletion = new AtomicLong(Long.MIN_VALUE);
        }

        final Map<Long, Tx> byXid = new ConcurrentHashMap<>();
        final Queue<Object> rowIds = new ConcurrentLinkedQueue<>();
        final Map<Integer, Long> xidOfRow = new ConcurrentHashMap<>();

        /** The route's last step: stamps the exchange before its completion callbacks acknowledge anything. */
        void record(Exchange exchange) {
            Message m = exchange.getMessage();
            Tx tx = byXid.computeIfAbsent(m.getHeader(PgReplConstants.XID, Long.class), xid -> new Tx());
            String type = m.getHeader(PgReplConstants.MESSAGE_TYPE, String.class);
            if ("COMMIT".equals(type)) {
                tx.endLsn = m.getHeader(PgReplConstants.LSN, Lsn.class);
                tx.commitLsn = m.getHeader(PgReplConstants.COMMIT_LSN, Lsn.class);
            } else if ("INSERT".equals(type)) {
                rowIds.add(m.getBody(RowChange.class).after().get("id"));
            }
            tx.exchanges.incrementAndGet();
            tx.lastCompletion.accumulateAndGet(System.nanoTime(), Math::max);
        }

        long committed() {
            return byXid.values().stream().filter(t -> t.endLsn != null).count();
        }

        int exchanges() {
            return byXid.values().stream().mapToInt(t -> t.exchanges.get()).sum();
        }

        /** End LSN -> stamp of the transaction's last completed exchange, for every transaction whose Commit arrived. */
        NavigableMap<Lsn, Long> completionByEndLsn() {
            NavigableMap<Lsn, Long> m = new TreeMap<>();
            byXid.values().stream().filter(t -> t.endLsn != null).forEach(t -> m.put(t.endLsn, t.lastCompletion.get()));
            return m;
        }

        Lsn lastEndLsn() {
            return completionByEndLsn().lastKey();
        }

        /** The transaction that row {@code id} belongs to (as recorded by {@link #failingRoute}). */
        Tx txOfRow(int id) {
            return byXid.get(xidOfRow.get(id));
        }
    }

    private PgReplConsumerState state(String routeId) {
        return ((PgReplConsumer) context.getRoute(routeId).getConsumer()).snapshot();
    }

    /** Mostly quick, sometimes slow, now and then very slow: exchanges overtake each other all the time. */
    private static long randomDelayNanos() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        int p = r.nextInt(100);
        if (p == 0) {
            return TimeUnit.MILLISECONDS.toNanos(20);
        }
        if (p < 10) {
            return TimeUnit.MICROSECONDS.toNanos(500 + r.nextInt(2500));
        }
        return TimeUnit.MICROSECONDS.toNanos(r.nextInt(200));
    }

    @Test
    void outOfOrderCompletionNeverLetsTheSlotPassAnIncompleteTransaction() throws Exception {
        SlotFixture f = SlotFixture.create(PG.server(), "ack_order");
        // statusInterval=20ms: a premature acknowledgement reaches the server within a few sampling periods
        String uri = f.uri() + "&maxInflight=64&includeTransactionEvents=true&statusInterval=20ms&ackIdleKeepalive=false"
                     + "&reconnectDelay=100ms";
        TransactionLog transactions = new TransactionLog();
        try (ConfirmedFlushSampler sampler = ConfirmedFlushSampler.start(f.server, f.slot)) {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(uri).routeId("out-of-order").threads(8)
                            .process(e -> LockSupport.parkNanos(randomDelayNanos()))
                            .process(transactions::record);
                }
            });
            await().atMost(Duration.ofSeconds(20)).until(f::isActive);

            // 2,080 transactions, every 26th with 100 rows, the others with one: 10,000 rows in commit order
            f.server.execute(f.database, """
                    DO $$
                    DECLARE next_id int := 1; n int;
                    BEGIN
                      FOR t IN 0..2079 LOOP
                        n := CASE WHEN t % 26 = 25 THEN 100 ELSE 1 END;
                        INSERT INTO items SELECT g, 'row' FROM generate_series(next_id, next_id + n - 1) g;
                        next_id := next_id + n;
                        COMMIT;
                      END LOOP;
                    END $$""");

            await().atMost(Duration.ofSeconds(60))
                    .until(() -> transactions.committed() == 2080 && transactions.rowIds.size() == 10_000);
            Lsn last = transactions.lastEndLsn();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(f.confirmedFlush())
                    .as("the slot ends at the last commit's end LSN").isEqualTo(last));
            List<ConfirmedFlushSampler.Sample> samples = sampler.stop();

            assertThat(transactions.exchanges()).as("every exchange once: Begin, rows, Commit").isEqualTo(10_000 + 2 * 2080);
            assertThat(transactions.rowIds).doesNotHaveDuplicates();
            assertThat(ConfirmedFlushSampler.advances(samples)).as("the slot was seen advancing while streaming")
                    .isGreaterThanOrEqualTo(10);
            assertThat(ConfirmedFlushSampler.passedIncomplete(samples, transactions.completionByEndLsn()))
                    .as("%d samples of confirmed_flush_lsn against %d transactions", samples.size(), 2080).isEmpty();
            assertThat(state("out-of-order").inflight()).isZero();
        }
    }

    // ------------------------------------------------------------------ failure policies, seen from the slot

    /**
     * Rows 1 ('ok'), 2 (the row named {@code failing}) and 3 ('after'), one transaction each, through
     * {@code threads(4)} with up to 16 exchanges in flight. Row 2 fails on the attempts {@code failOnAttempt}
     * accepts, and only once row 3's transaction completed: the transaction after the failed one overtakes it, so a
     * consumer that counted the failure as done would acknowledge past it.
     */
    private void failingRoute(String routeId, String uri, String failing, IntPredicate failOnAttempt,
                              AtomicInteger attempts, AtomicReference<Lsn> failedCommitLsn, TransactionLog transactions)
            throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri + "&maxInflight=16").routeId(routeId).threads(4)
                        .process(e -> {
                            if (!(e.getMessage().getBody() instanceof RowChange row)) {
                                return;
                            }
                            Integer id = (Integer) row.after().get("id");
                            transactions.xidOfRow.put(id, e.getMessage().getHeader(PgReplConstants.XID, Long.class));
                            if (failing.equals(row.after().get("name")) && failOnAttempt.test(attempts.incrementAndGet())) {
                                failedCommitLsn.set(e.getMessage().getHeader(PgReplConstants.COMMIT_LSN, Lsn.class));
                                await().atMost(Duration.ofSeconds(20)).until(() -> transactions.xidOfRow.containsKey(3)
                                        && transactions.txOfRow(3).endLsn != null);
                                throw new IllegalStateException("cannot process row '" + failing + "'");
                            }
                        })
                        .process(transactions::record);
            }
        });
    }

    @Test
    void redeliverKeepsTheSlotBeforeTheFailedTransactionUntilItsRedeliveryCompleted() throws Exception {
        SlotFixture f = SlotFixture.create(PG.server(), "ack_redeliver");
        // reconnectDelay=300ms with statusInterval=50ms: time for a wrong acknowledgement to reach the server
        String uri = f.uri() + "&includeTransactionEvents=true&statusInterval=50ms&reconnectDelay=300ms";
        TransactionLog transactions = new TransactionLog();
        AtomicInteger attempts = new AtomicInteger();
        AtomicReference<Lsn> failedCommit = new AtomicReference<>();
        try (ConfirmedFlushSampler sampler = ConfirmedFlushSampler.start(f.server, f.slot)) {
            failingRoute("redeliver", uri, "flaky", attempt -> attempt == 1, attempts, failedCommit, transactions);
            await().atMost(Duration.ofSeconds(20)).until(f::isActive);
            f.insert(1, "ok");
            f.insert(2, "flaky");
            f.insert(3, "after");

            await().atMost(Duration.ofSeconds(30)).until(() -> transactions.rowIds.size() == 4);
            Lsn last = transactions.txOfRow(3).endLsn;
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(f.confirmedFlush())
                    .as("acknowledged through the last transaction").isGreaterThanOrEqualTo(last));
            List<ConfirmedFlushSampler.Sample> samples = sampler.stop();

            List<Object> rows = List.copyOf(transactions.rowIds);
            assertThat(rows.subList(0, 2)).as("row 3 overtook the failing row 2").containsExactly(1, 3);
            assertThat(rows.subList(2, 4)).as("the stream restarted at the failed transaction: rows 2 and 3 again,"
                    + " row 1 (acknowledged) not").containsExactlyInAnyOrder(2, 3);
            assertThat(attempts.get()).as("the flaky row was processed twice").isEqualTo(2);
            assertThat(state("redeliver").reconnects()).as("redelivery restarts the stream").isGreaterThanOrEqualTo(1);
            Lsn okEnd = transactions.txOfRow(1).endLsn;
            Lsn failedEnd = transactions.txOfRow(2).endLsn;
            assertThat(samples).as("the slot was read while the failed transaction waited for its redelivery")
                    .anySatisfy(s -> assertThat(s.confirmed()).isGreaterThanOrEqualTo(okEnd).isLessThan(failedEnd));
            assertThat(ConfirmedFlushSampler.passedIncomplete(samples, transactions.completionByEndLsn()))
                    .as("confirmed_flush_lsn never passed the failed transaction before its redelivery completed")
                    .isEmpty();
        }
    }

    @Test
    void stopLeavesTheSlotBeforeTheFailedTransaction() throws Exception {
        SlotFixture f = SlotFixture.create(PG.server(), "ack_stop");
        String uri = f.uri() + "&includeTransactionEvents=true&statusInterval=50ms&reconnectDelay=100ms&failurePolicy=stop";
        TransactionLog transactions = new TransactionLog();
        AtomicReference<Lsn> failedCommit = new AtomicReference<>();
        try (ConfirmedFlushSampler sampler = ConfirmedFlushSampler.start(f.server, f.slot)) {
            failingRoute("stop", uri, "bad", attempt -> true, new AtomicInteger(), failedCommit, transactions);
            await().atMost(Duration.ofSeconds(20)).until(f::isActive);
            f.insert(1, "ok");
            await().atMost(Duration.ofSeconds(20)).until(() -> transactions.committed() == 1);
            Lsn okEnd = transactions.lastEndLsn();
            await().atMost(Duration.ofSeconds(20)).until(() -> f.confirmedFlush().compareTo(okEnd) >= 0);
            f.insert(2, "bad");
            f.insert(3, "after");

            await().atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(state("stop").state()).isEqualTo(PgReplConsumerState.State.FAILED));
            await().atMost(Duration.ofSeconds(20)).until(() -> !f.isActive());
            List<ConfirmedFlushSampler.Sample> samples = sampler.stop();

            assertThat(state("stop").lastError()).contains("cannot process row 'bad'");
            assertThat(transactions.rowIds).as("row 3 overtook the failed row; row 2 never completed")
                    .containsExactly(1, 3);
            Lsn failedCommitLsn = failedCommit.get();
            assertThat(f.confirmedFlush()).as("the slot, now that nobody streams it: the transaction before is"
                    + " acknowledged, the failed one and the one after it are not").isGreaterThanOrEqualTo(okEnd)
                    .isLessThanOrEqualTo(failedCommitLsn);
            assertThat(samples).as("the slot never passed the failed transaction's commit")
                    .allSatisfy(s -> assertThat(s.confirmed()).isLessThanOrEqualTo(failedCommitLsn));
        }
    }

    @Test
    void skipAdvancesTheSlotPastTheFailedTransaction() throws Exception {
        SlotFixture f = SlotFixture.create(PG.server(), "ack_skip");
        String uri = f.uri() + "&includeTransactionEvents=true&statusInterval=50ms&reconnectDelay=100ms&failurePolicy=skip";
        TransactionLog transactions = new TransactionLog();
        AtomicInteger attempts = new AtomicInteger();
        failingRoute("skip", uri, "bad", attempt -> true, attempts, new AtomicReference<>(), transactions);
        await().atMost(Duration.ofSeconds(20)).until(f::isActive);
        f.insert(1, "ok");
        f.insert(2, "bad");
        f.insert(3, "after");

        await().atMost(Duration.ofSeconds(20)).until(() -> transactions.committed() == 3);
        Lsn failedEnd = transactions.txOfRow(2).endLsn;
        Lsn last = transactions.lastEndLsn();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(f.confirmedFlush())
                .as("the slot is past the skipped transaction (ending %s) and the one after it", failedEnd)
                .isGreaterThanOrEqualTo(last));
        assertThat(transactions.rowIds).as("the failed row is not delivered again").containsExactly(1, 3);
        assertThat(attempts.get()).isEqualTo(1);
        assertThat(state("skip").reconnects()).as("skipping needs no restart").isZero();
    }
}
