package io.camelpgrepl.camel;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import io.camelpgrepl.client.ConnectionException;
import io.camelpgrepl.client.Lsn;
import io.camelpgrepl.client.ReplicationClient;
import io.camelpgrepl.fixture.SlotFixture;
import io.camelpgrepl.testing.PostgresExtension;
import io.camelpgrepl.testing.PostgresServer;
import org.apache.camel.Exchange;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Edges that used to lose data, hang or die silently (issue 8): connects that stall, internal restarts with
 * dropSlotOnStop, bounded replay acknowledgement, idle advancement, standby and poison exchanges.
 */
class PgReplHardeningIT extends CamelTestSupport {

    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.create().withOptions(PostgresServer.Options.builder()
            .setting("logical_decoding_work_mem", "'64kB'").setting("max_prepared_transactions", "10").build());

    private final List<Exchange> received = new CopyOnWriteArrayList<>();

    private SlotFixture fixture() {
        return SlotFixture.create(PG.server(), "hardening_it");
    }

    private static String fast(SlotFixture f) {
        return f.uri() + "&statusInterval=200ms&reconnectDelay=100ms&reconnectMaxDelay=500ms";
    }

    private void route(String routeId, String uri) throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId(routeId).process(received::add);
            }
        });
    }

    private PgReplConsumerState state(String routeId) {
        return consumer(routeId).snapshot();
    }

    private PgReplConsumer consumer(String routeId) {
        return (PgReplConsumer) context.getRoute(routeId).getConsumer();
    }

    private void awaitState(String routeId, PgReplConsumerState.State expected) {
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(state(routeId).state()).as(routeId).isEqualTo(expected));
    }

    private List<Object> rowIds() {
        return received.stream().filter(e -> e.getMessage().getHeader(PgReplConstants.OPERATION) != null)
                .map(e -> (Object) ((Map<?, ?>) e.getMessage().getBody(Map.class).get("after")).get("id")).toList();
    }

    private static Lsn commitLsn(Exchange e) {
        return e.getMessage().getHeader(PgReplConstants.COMMIT_LSN, Lsn.class);
    }

    /** Writes WAL in another database, so keepalives move while this slot's publication stays idle. */
    private static void writeElsewhere() {
        PG.server().execute("postgres", "CREATE TABLE IF NOT EXISTS hardening_noise (x int)",
                "INSERT INTO hardening_noise SELECT generate_series(1, 100)");
    }

    private static long createSlotWalsenders() {
        return PG.server().queryLong("postgres", "SELECT count(*) FROM pg_stat_activity WHERE backend_type = "
                + "'walsender' AND query LIKE 'CREATE_REPLICATION_SLOT%'");
    }

    // ------------------------------------------------------------------ item 2: stuck after authentication

    @Test
    void createReplicationSlotHeldUpByARunningTransactionFailsAfterCreateSlotTimeout() throws Exception {
        SlotFixture f = fixture();
        String slot = f.slot + "_new";
        try (Connection open = PG.server().connect(f.database)) {
            open.setAutoCommit(false);
            try (Statement st = open.createStatement()) {
                st.execute("INSERT INTO " + f.table + " VALUES (100, 'running')"); // holds an xid
            }

            assertThatThrownBy(() -> ReplicationClient.connect(f.config().slot(slot).createSlot(true)
                    .createSlotTimeout(Duration.ofSeconds(1)).build()))
                    .isInstanceOf(ConnectionException.class).hasMessageContaining("createSlotTimeout=PT1S");
            open.rollback();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> createSlotWalsenders() == 0);
        assertThat(PG.server().queryLong("postgres", "SELECT count(*) FROM pg_replication_slots WHERE slot_name = ?",
                slot)).as("the unfinished slot is gone with its connection").isZero();
    }

    @Test
    void stoppingTheRouteAbortsAConnectWaitingForCreateReplicationSlot() throws Exception {
        SlotFixture f = fixture();
        String slot = f.slot + "_route";
        String uri = fast(f).replace("pgrepl:" + f.slot + "?", "pgrepl:" + slot + "?") + "&createSlot=true";
        try (Connection open = PG.server().connect(f.database)) {
            open.setAutoCommit(false);
            try (Statement st = open.createStatement()) {
                st.execute("INSERT INTO " + f.table + " VALUES (100, 'running')");
            }
            route("creating", uri);
            await().atMost(Duration.ofSeconds(20)).until(() -> createSlotWalsenders() == 1);

            long start = System.nanoTime();
            context.getRouteController().stopRoute("creating");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the stop does not wait for the slot")
                    .isLessThan(Duration.ofSeconds(5));
            assertThat(state("creating").state()).isEqualTo(PgReplConsumerState.State.STOPPED);
            // the server notices the closed connection only once the transaction it waits for ends
            open.commit();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> createSlotWalsenders() == 0);

        context.getRouteController().startRoute("creating");
        awaitState("creating", PgReplConsumerState.State.STREAMING);
        assertThat(PG.server().queryLong("postgres", "SELECT count(*) FROM pg_stat_activity WHERE backend_type = "
                + "'walsender' AND application_name = 'camel-pgrepl' AND datname = ?", f.database))
                .as("one stream on the slot after the restart").isEqualTo(1);
    }

    // ------------------------------------------------------------------ item 3: dropSlotOnStop

    @Test
    void aRedeliveryWithDropSlotOnStopKeepsTheSlotAndLosesNothing() throws Exception {
        SlotFixture f = fixture();
        AtomicBoolean failOnce = new AtomicBoolean(true);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(fast(f) + "&dropSlotOnStop=true&failurePolicy=redeliver").routeId("drop")
                        .process(e -> {
                            if (e.getMessage().getBody(Map.class).toString().contains("second")
                                && failOnce.getAndSet(false)) {
                                throw new IllegalStateException("fails once");
                            }
                        })
                        .process(received::add);
            }
        });
        awaitState("drop", PgReplConsumerState.State.STREAMING);
        f.insert(1, "first");
        f.insert(2, "second");
        f.insert(3, "third");

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(rowIds()).containsExactly(1, 2, 3));
        assertThat(PG.server().queryLong("postgres", "SELECT count(*) FROM pg_replication_slots WHERE slot_name = ?",
                f.slot)).as("the internal restart kept the slot").isEqualTo(1);
        assertThat(state("drop").reconnects()).as("it did restart").isGreaterThanOrEqualTo(1);

        context.getRouteController().stopRoute("drop");
        assertThat(PG.server().queryLong("postgres", "SELECT count(*) FROM pg_replication_slots WHERE slot_name = ?",
                f.slot)).as("the owner's stop drops it").isZero();
    }

    // ------------------------------------------------------------------ item 6: acknowledgement edges

    @Test
    void theFinalAcknowledgementAtStopAtLsnCoversTheLastDeliveredCommit() throws Exception {
        SlotFixture f = fixture();
        for (int id = 1; id <= 3; id++) {
            f.insert(id, "row" + id);
        }
        Lsn bound = f.currentWal();
        f.insert(4, "past the bound");
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                // slow, and no scheduled status update: only the final one can move the slot
                from(f.uri() + "&statusInterval=1h&stopAtLsn=" + bound).routeId("bounded")
                        .process(e -> Thread.sleep(300)).process(received::add);
            }
        });

        awaitState("bounded", PgReplConsumerState.State.STOPPED);
        assertThat(rowIds()).as("up to the bound").containsExactly(1, 2, 3);
        Lsn lastCommit = commitLsn(received.get(2));
        assertThat(f.confirmedFlush()).as("the slot ends at the last delivered commit").isGreaterThan(lastCommit)
                .isLessThanOrEqualTo(bound);
    }

    @Test
    void stopAtLsnWithTwoPhaseDeliversNoPreparedTransactionPastTheBound() throws Exception {
        assumeTrue(PG.server().majorVersion() >= 15, "two-phase decoding needs PostgreSQL 15");
        SlotFixture f = SlotFixture.builder(PG.server(), "hardening_it").twoPhase().create();
        f.insert(1, "before the bound");
        Lsn bound = f.currentWal();
        f.sql("BEGIN", "INSERT INTO " + f.table + " VALUES (2, 'prepared past the bound')",
                "PREPARE TRANSACTION 'hardening'", "COMMIT PREPARED 'hardening'");
        route("bounded2pc", f.uri() + "&twoPhase=true&stopAtLsn=" + bound);

        awaitState("bounded2pc", PgReplConsumerState.State.STOPPED);
        assertThat(rowIds()).as("nothing prepared past the bound").containsExactly(1);
        assertThat(received).extracting(e -> e.getMessage().getHeader(PgReplConstants.MESSAGE_TYPE))
                .as("no outcome of a transaction past the bound").doesNotContain("PREPARE", "COMMIT_PREPARED")
                .endsWith(PgReplConstants.STOPPED);
    }

    @Test
    void strictStartLsnResumesAfterIdleAdvancementMovedTheSlot() throws Exception {
        SlotFixture f = fixture();
        route("strict", fast(f) + "&strictStartLsn=true&receiveTimeout=2s");
        awaitState("strict", PgReplConsumerState.State.STREAMING);
        f.insert(1, "before idle");
        await().atMost(Duration.ofSeconds(20)).until(() -> rowIds().size() == 1);
        Lsn acknowledgedByExchanges = commitLsn(received.get(0));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            writeElsewhere();
            assertThat(f.confirmedFlush()).as("idle advancement moved the slot on")
                    .isGreaterThan(state("strict").acknowledgedLsn()).isGreaterThan(acknowledgedByExchanges);
        });

        PG.server().terminateWalSenders(f.slot);
        f.insert(2, "after the reconnect");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(rowIds()).containsExactly(1, 2));
        assertThat(state("strict").state()).as("not refused by strictStartLsn")
                .isEqualTo(PgReplConsumerState.State.STREAMING);
    }

    @Test
    void aNonTransactionalMessageDoesNotHoldIdleAdvancementBack() throws Exception {
        SlotFixture f = fixture();
        route("messages", fast(f) + "&messages=true&receiveTimeout=2s");
        awaitState("messages", PgReplConsumerState.State.STREAMING);
        Lsn message = Lsn.parse(PG.server().queryString(f.database,
                "SELECT pg_logical_emit_message(false, 'hardening', 'hello')::text"));
        await().atMost(Duration.ofSeconds(20)).until(() -> received.size() == 1);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            writeElsewhere();
            assertThat(f.confirmedFlush()).as("acknowledged past the message while idle").isGreaterThan(message);
        });
    }

    // ------------------------------------------------------------------ item 7: standby and failure policy

    @Test
    void slotInUseRetriesNeverExhaustReconnectMaxAttempts() throws Exception {
        SlotFixture f = fixture();
        route("active", fast(f));
        awaitState("active", PgReplConsumerState.State.STREAMING);
        route("passive", fast(f) + "&applicationName=passive&reconnectMaxAttempts=1");

        await().atMost(Duration.ofSeconds(20)).until(() -> state("passive").reconnects() >= 5);
        assertThat(state("passive").state()).as("still standing by after more retries than reconnectMaxAttempts")
                .isEqualTo(PgReplConsumerState.State.STANDBY);
    }

    @Test
    void aPoisonExchangeUnderRedeliverBacksOffExponentiallyAndShowsItInHealthAndJmx() throws Exception {
        SlotFixture f = fixture();
        AtomicBoolean poisoned = new AtomicBoolean(true);
        List<Long> attempts = new CopyOnWriteArrayList<>();
        List<Exchange> failed = new CopyOnWriteArrayList<>();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(f.uri() + "&statusInterval=200ms&reconnectDelay=100ms&reconnectMaxDelay=800ms").routeId("poison")
                        .process(e -> {
                            if (poisoned.get()) {
                                attempts.add(System.nanoTime());
                                failed.add(e);
                                throw new IllegalStateException("cannot marshal");
                            }
                        })
                        .process(received::add);
            }
        });
        f.insert(1, "poison");

        await().atMost(Duration.ofSeconds(30)).until(() -> attempts.size() >= 6);
        // delays 100, 200, 400, 800, 800 ms: the fifth gap is at least the maximum delay
        assertThat(Duration.ofNanos(attempts.get(5) - attempts.get(4))).as("backed off to reconnectMaxDelay")
                .isGreaterThanOrEqualTo(Duration.ofMillis(800));
        PgReplConsumerState.Redelivery r = state("poison").redelivery();
        assertThat(r).as("redelivery shown").isNotNull();
        assertThat(r.lsn()).as("the failed exchange's LSN").isEqualTo(failed.get(0).getMessage()
                .getHeader(PgReplConstants.LSN, Lsn.class));
        assertThat(r.attempts()).as("attempts counted").isGreaterThanOrEqualTo(5);
        assertThat(r.lastError()).contains("cannot marshal");
        assertThat(consumer("poison").getRedeliveryAttempts()).as("JMX attribute").isGreaterThanOrEqualTo(5);
        assertThat(consumer("poison").getRedeliveryLsn()).isEqualTo(r.lsn().toString());

        poisoned.set(false);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(rowIds()).containsExactly(1);
            assertThat(state("poison").redelivery()).as("reset once the transaction passed").isNull();
        });
    }

    // ------------------------------------------------------------------ item 1: silent death

    @Test
    void anErrorOnTheConsumerThreadFailsTheConsumerVisiblyInsteadOfDyingSilently() throws Exception {
        SlotFixture f = fixture();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(fast(f) + "&shutdownTimeout=1s").routeId("error")
                        .process(e -> {
                            throw new StackOverflowError("simulated");
                        });
            }
        });
        awaitState("error", PgReplConsumerState.State.STREAMING);
        f.insert(1, "boom");

        awaitState("error", PgReplConsumerState.State.FAILED);
        assertThat(state("error").lastError()).as("the error is reported").contains("StackOverflowError")
                .contains("simulated");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(context.getRouteController()
                .getRouteStatus("error")).as("the route no longer reports Started").isEqualTo(ServiceStatus.Stopped));
    }
}
