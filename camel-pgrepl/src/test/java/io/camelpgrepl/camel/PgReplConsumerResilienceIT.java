package io.camelpgrepl.camel;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.camelpgrepl.client.Lsn;
import io.camelpgrepl.fixture.SlotFixture;
import io.camelpgrepl.testing.PostgresExtension;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Standby, reconnect, out-of-order completion, failure policies, suspend/resume, graceful stop, YAML DSL. */
class PgReplConsumerResilienceIT extends CamelTestSupport {

    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.create();

    private String db;
    private String slot;
    private SlotFixture fixture;

    private String prepare() {
        fixture = SlotFixture.create(PG.server(), "resilience_it");
        db = fixture.database;
        slot = fixture.slot;
        return fixture.uri() + "&statusInterval=1s&reconnectDelay=100ms&reconnectMaxDelay=500ms";
    }

    private void insert(int id, String name) {
        fixture.insert(id, name);
    }

    private Lsn confirmedFlush() {
        return fixture.confirmedFlush();
    }

    private PgReplConsumerState state(String routeId) {
        return ((PgReplConsumer) context.getRoute(routeId).getConsumer()).snapshot();
    }

    private void awaitState(String routeId, PgReplConsumerState.State expected) {
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(state(routeId).state()).as(routeId).isEqualTo(expected));
    }

    private void addRoute(String routeId, String uri, String mock) throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId(routeId).to(mock);
            }
        });
    }

    @Test
    void aSecondConsumerOnTheSameSlotStandsByAndTakesOverWhenTheFirstStops() throws Exception {
        String uri = prepare();
        addRoute("first", uri, "mock:first");
        awaitState("first", PgReplConsumerState.State.STREAMING);
        // a second application (same endpoint twice in one context is refused by Camel itself)
        addRoute("second", uri + "&applicationName=standby", "mock:second");

        awaitState("second", PgReplConsumerState.State.STANDBY);
        assertThat(state("second").lastError()).contains("55006").contains(slot);

        context.getRouteController().stopRoute("first");
        awaitState("second", PgReplConsumerState.State.STREAMING);
        MockEndpoint second = getMockEndpoint("mock:second");
        second.expectedMessageCount(1);
        insert(1, "after-takeover");
        second.assertIsSatisfied(20_000);
    }

    @Test
    void reconnectsAfterTheServerKillsTheWalsender() throws Exception {
        String uri = prepare();
        addRoute("reconnect", uri, "mock:reconnect");
        MockEndpoint mock = getMockEndpoint("mock:reconnect");
        awaitState("reconnect", PgReplConsumerState.State.STREAMING);
        insert(1, "before");
        await().atMost(Duration.ofSeconds(20)).until(() -> mock.getReceivedCounter() == 1);

        assertThat(PG.server().terminateWalSenders(slot)).isEqualTo(1);
        insert(2, "after");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(mock.getReceivedExchanges())
                .extracting(e -> (Object) ((Map<?, ?>) e.getMessage().getBody(Map.class).get("after")).get("name"))
                .contains("before", "after"));
        assertThat(state("reconnect").reconnects()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void outOfOrderCompletionWithManyInFlightStillAcknowledgesEverything() throws Exception {
        String uri = prepare() + "&maxInflight=8";
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId("parallel").threads(4)
                        .process(e -> Thread.sleep(ThreadLocalRandom.current().nextInt(20)))
                        .to("mock:parallel");
            }
        });
        MockEndpoint mock = getMockEndpoint("mock:parallel");
        mock.expectedMessageCount(30);
        for (int i = 1; i <= 30; i++) {
            insert(i, "row" + i);
        }

        mock.assertIsSatisfied(30_000);
        Lsn maxCommit = mock.getReceivedExchanges().stream()
                .map(e -> e.getMessage().getHeader(PgReplConstants.COMMIT_LSN, Lsn.class))
                .max(Lsn::compareTo).orElseThrow();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(
                () -> assertThat(confirmedFlush()).as("acknowledged past the last commit").isGreaterThan(maxCommit));
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(state("parallel").inflight()).isZero());
    }

    @Test
    void skipPolicyAcknowledgesAFailedChangeAndGoesOn() throws Exception {
        String uri = prepare() + "&failurePolicy=skip";
        AtomicInteger badAttempts = new AtomicInteger();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId("skip")
                        .process(e -> {
                            if (e.getMessage().getBody(Map.class).get("after").toString().contains("bad")) {
                                badAttempts.incrementAndGet();
                                throw new IllegalStateException("cannot process");
                            }
                        })
                        .to("mock:skip");
            }
        });
        MockEndpoint mock = getMockEndpoint("mock:skip");
        mock.expectedMessageCount(2);
        insert(1, "good1");
        insert(2, "bad");
        insert(3, "good2");

        mock.assertIsSatisfied(20_000);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(state("skip").acknowledgedLsn())
                .isGreaterThan(mock.getReceivedExchanges().get(1).getMessage().getHeader(PgReplConstants.COMMIT_LSN, Lsn.class)));
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).untilAsserted(() -> assertThat(
                mock.getReceivedExchanges()).extracting(e -> (Object) ((Map<?, ?>) e.getMessage().getBody(Map.class).get("after"))
                        .get("id")).as("the good rows, once each, and nothing more").containsExactly(1, 3));
        assertThat(badAttempts.get()).as("skipped, not redelivered").isEqualTo(1);
    }

    @Test
    void stopPolicyEndsTheConsumerAtTheFailure() throws Exception {
        String uri = prepare() + "&failurePolicy=stop";
        AtomicReference<Lsn> failedCommit = new AtomicReference<>();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId("stop")
                        .process(e -> {
                            if (e.getMessage().getBody(Map.class).get("after").toString().contains("bad")) {
                                failedCommit.set(e.getMessage().getHeader(PgReplConstants.COMMIT_LSN, Lsn.class));
                                throw new IllegalStateException("cannot process");
                            }
                        })
                        .to("mock:stop");
            }
        });
        insert(1, "bad");

        awaitState("stop", PgReplConsumerState.State.FAILED);
        assertThat(state("stop").lastError()).contains("cannot process");
        assertThat(confirmedFlush()).as("the failed transaction is not acknowledged: the slot stays before its commit")
                .isLessThanOrEqualTo(failedCommit.get());
        assertThat(state("stop").acknowledgedLsn()).as("nor does the consumer count it")
                .isLessThanOrEqualTo(failedCommit.get());
    }

    @Test
    void suspendPausesDeliveryAndResumeContinues() throws Exception {
        String uri = prepare();
        addRoute("suspend", uri, "mock:suspend");
        awaitState("suspend", PgReplConsumerState.State.STREAMING);
        MockEndpoint mock = getMockEndpoint("mock:suspend");

        context.getRouteController().suspendRoute("suspend");
        insert(1, "while-suspended");
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
                .until(() -> mock.getReceivedCounter() == 0);

        context.getRouteController().resumeRoute("suspend");
        await().atMost(Duration.ofSeconds(20)).until(() -> mock.getReceivedCounter() == 1);
    }

    @Test
    void gracefulStopSendsTheFinalAcknowledgement() throws Exception {
        String uri = prepare().replace("statusInterval=1s", "statusInterval=1h");
        addRoute("graceful", uri, "mock:graceful");
        MockEndpoint mock = getMockEndpoint("mock:graceful");
        mock.expectedMessageCount(1);
        insert(1, "x");
        mock.assertIsSatisfied(20_000);
        Lsn commit = mock.getReceivedExchanges().get(0).getMessage().getHeader(PgReplConstants.COMMIT_LSN, Lsn.class);

        context.getRouteController().stopRoute("graceful");

        assertThat(confirmedFlush()).as("final status update before CopyDone carries the acknowledgement")
                .isGreaterThan(commit);
    }

    @Test
    void aYamlRouteStreamsChanges() throws Exception {
        String uri = prepare();
        String yaml = """
                - route:
                    id: yaml-route
                    from:
                      uri: "%s"
                      steps:
                        - convertBodyTo:
                            type: java.util.Map
                        - to: mock:yaml
                """.formatted(uri);
        PluginHelper.getRoutesLoader(context).loadRoutes(ResourceHelper.fromString("routes.yaml", yaml));
        MockEndpoint mock = getMockEndpoint("mock:yaml");
        mock.expectedMessageCount(1);
        insert(7, "yaml");

        mock.assertIsSatisfied(20_000);
        assertThat(mock.getReceivedExchanges().get(0).getMessage().getBody()).isInstanceOf(Map.class);
    }

    @Test
    void anExchangeHandledByAnErrorHandlerCountsAsCompleted() throws Exception {
        String uri = prepare();
        AtomicInteger attempts = new AtomicInteger();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId("handled")
                        .onException(IllegalStateException.class).handled(true).to("mock:dead").end()
                        .process(e -> {
                            attempts.incrementAndGet();
                            throw new IllegalStateException("handled by the route");
                        });
            }
        });
        MockEndpoint dead = getMockEndpoint("mock:dead");
        dead.expectedMessageCount(1);
        insert(1, "poison");

        dead.assertIsSatisfied(20_000);
        Lsn commit = dead.getReceivedExchanges().get(0).getMessage().getHeader(PgReplConstants.COMMIT_LSN, Lsn.class);
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(confirmedFlush()).as("acknowledged").isGreaterThan(commit));
        assertThat(attempts.get()).as("not redelivered").isEqualTo(1);
    }
}
