package io.camelpgrepl.camel;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.camelpgrepl.fixture.SlotFixture;
import io.camelpgrepl.testing.PostgresExtension;
import io.camelpgrepl.testing.PostgresServer;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.impl.cluster.ClusteredRoutePolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * High availability with a Camel cluster service: two applications share one slot; only the leader streams, and
 * when it goes away the other resumes from the slot's confirmed position (no acknowledged change is replayed).
 */
class PgReplClusteredIT {

    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.create();

    @TempDir
    Path lockDir;

    private CamelContext node(String name, String uri, List<String> received) throws Exception {
        CamelContext ctx = new DefaultCamelContext();
        ctx.getCamelContextExtension().setName(name);
        FileLockClusterService cluster = new FileLockClusterService();
        cluster.setId(name);
        cluster.setRoot(lockDir.toString());
        cluster.setAcquireLockDelay(Duration.ofMillis(100).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        cluster.setAcquireLockInterval(Duration.ofMillis(200).toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        ctx.addService(cluster);
        ClusteredRoutePolicy policy = ClusteredRoutePolicy.forNamespace("pgrepl-ha");
        ctx.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId("cdc").routePolicy(policy)
                        .process(e -> received.add(name + ":"
                                + ((Map<?, ?>) e.getMessage().getBody(Map.class).get("after")).get("name")));
            }
        });
        ctx.start();
        return ctx;
    }

    @Test
    void onlyTheLeaderStreamsAndTheFollowerResumesWhenItLeaves() throws Exception {
        PostgresServer server = PG.server();
        SlotFixture f = SlotFixture.create(server, "clustered_it");
        String uri = f.uri() + "&statusInterval=1s&reconnectDelay=100ms";
        List<String> received = new CopyOnWriteArrayList<>();

        CamelContext a = node("a", uri, received);
        CamelContext b = node("b", uri, received);
        try {
            await().atMost(Duration.ofSeconds(20)).until(f::isActive);
            f.insert(1, "first");
            await().atMost(Duration.ofSeconds(20)).until(() -> received.size() == 1);
            String leader = received.get(0).substring(0, 1);
            CamelContext leaderCtx = leader.equals("a") ? a : b;
            String follower = leader.equals("a") ? "b" : "a";
            CamelContext followerCtx = leader.equals("a") ? b : a;
            // PostgreSQL's one walsender per slot would keep a follower out too: prove the policy does it
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).untilAsserted(() -> {
                assertThat(followerCtx.getRouteController().getRouteStatus("cdc")).as("the follower's route")
                        .isNotEqualTo(ServiceStatus.Started);
                assertThat(server.queryLong("postgres", "SELECT count(*) FROM pg_stat_activity WHERE backend_type"
                        + " = 'walsender' AND datname = ?", f.database)).as("one connection to the slot").isEqualTo(1);
            });

            leaderCtx.stop();
            f.insert(2, "second");

            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(received)
                    .as("the follower took over and did not replay the acknowledged first row")
                    .containsExactly(leader + ":first", follower + ":second"));
        } finally {
            a.stop();
            b.stop();
        }
    }
}
