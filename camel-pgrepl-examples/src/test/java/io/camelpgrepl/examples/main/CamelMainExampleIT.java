package io.camelpgrepl.examples.main;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.camelpgrepl.testing.PostgresServer;
import io.camelpgrepl.testing.TestUsers;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.main.Main;
import org.junit.jupiter.api.Test;

/** routes.yaml and application.properties on camel-main, as Camel JBang runs them, against a real PostgreSQL. */
class CamelMainExampleIT {

    @Test
    void theYamlRouteStreamsOrdersConfiguredOnlyByApplicationProperties() throws Exception {
        try (PostgresServer server = PostgresServer.start(PostgresServer.Options.builder().tls(false).build())) {
            server.execute("postgres", CamelMainExample.ORDERS_TABLE);
            grantPublicationRights(server, TestUsers.SCRAM_USER);
            Main main = CamelMainExample.camelMain(Map.of(
                    "camel.component.pgrepl.host", server.host(),
                    "camel.component.pgrepl.port", String.valueOf(server.port()),
                    "camel.component.pgrepl.user", TestUsers.SCRAM_USER,
                    "camel.component.pgrepl.password", TestUsers.SCRAM_USER_PASSWORD,
                    "orders.target", "mock:orders"));
            main.start();
            try {
                CamelContext camel = main.getCamelContext();
                MockEndpoint orders = camel.getEndpoint("mock:orders", MockEndpoint.class);
                await().atMost(Duration.ofSeconds(20)).until(() -> readiness(camel).getState() == HealthCheck.State.UP);

                server.execute("postgres", "INSERT INTO orders VALUES (1, 'Ada', 12.50)",
                        "UPDATE orders SET amount = 15.00 WHERE id = 1");

                await().atMost(Duration.ofSeconds(20)).until(() -> orders.getReceivedCounter() == 2);
                List<Exchange> received = orders.getReceivedExchanges();
                assertThat(received.get(0).getMessage().getBody(Map.class))
                        .as("the YAML route's convertBodyTo: java.util.Map")
                        .containsEntry("table", "orders").containsEntry("operation", "INSERT");
                assertThat(received.get(1).getMessage().getHeader("CamelPgReplOperation")).isEqualTo("UPDATE");
                assertThat(readiness(camel).getDetails()).as("the pgrepl check is in Camel's health")
                        .containsEntry("slot", "orders_slot").containsEntry("state", "streaming");
            } finally {
                main.stop();
            }
        }
    }

    /** What createPublication needs of a non-superuser: CREATE on the database, ownership of the table. */
    static void grantPublicationRights(PostgresServer server, String user) {
        server.execute("postgres", "GRANT CREATE ON DATABASE postgres TO " + user, "ALTER TABLE orders OWNER TO " + user);
    }

    /** The consumer's readiness check (Camel names it after the route; the pgrepl check's details name the slot). */
    private static HealthCheck.Result readiness(CamelContext camel) {
        var results = HealthCheckHelper.invokeReadiness(camel);
        return results.stream()
                .filter(r -> r.getCheck().getId().contains("orders-feed") && r.getDetails().containsKey("slot"))
                .findFirst().orElseThrow(() -> new AssertionError("no pgrepl readiness check for route orders-feed in "
                        + results.stream().map(r -> r.getCheck().getId()).toList()));
    }
}
