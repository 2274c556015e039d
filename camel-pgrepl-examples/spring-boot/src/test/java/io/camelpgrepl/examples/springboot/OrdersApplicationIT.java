package io.camelpgrepl.examples.springboot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import io.camelpgrepl.testing.PostgresServer;
import io.camelpgrepl.testing.TestUsers;
import org.apache.camel.CamelContext;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The Spring Boot application on a real PostgreSQL: it streams a row, and the actuator shows the pgrepl check. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "orders.target=mock:orders")
class OrdersApplicationIT {

    private static final PostgresServer PG = PostgresServer.start(PostgresServer.Options.builder().tls(false).build());

    static {
        PG.execute("postgres", OrdersApplication.ORDERS_TABLE,
                "GRANT CREATE ON DATABASE postgres TO " + TestUsers.SCRAM_USER,
                "ALTER TABLE orders OWNER TO " + TestUsers.SCRAM_USER);
    }

    /** What the environment variables would say in production: application.yaml reads PG* placeholders. */
    @DynamicPropertySource
    static void postgres(DynamicPropertyRegistry registry) {
        registry.add("PGHOST", PG::host);
        registry.add("PGPORT", PG::port);
        registry.add("PGUSER", () -> TestUsers.SCRAM_USER);
        registry.add("PGPASSWORD", () -> TestUsers.SCRAM_USER_PASSWORD);
    }

    @AfterAll
    static void stop() {
        PG.close();
    }

    @LocalServerPort
    int port;

    @Autowired
    CamelContext camel;

    @Test
    void streamsARowAndTheActuatorShowsThePgreplCheck() throws Exception {
        MockEndpoint orders = camel.getEndpoint("mock:orders", MockEndpoint.class);
        await().atMost(Duration.ofSeconds(30)).until(() -> health().contains("\"state\":\"streaming\""));

        PG.execute("postgres", "INSERT INTO orders VALUES (1, 'Ada', 12.50)");

        await().atMost(Duration.ofSeconds(20)).until(() -> orders.getReceivedCounter() == 1);
        assertThat(orders.getReceivedExchanges().get(0).getMessage().getBody(Map.class))
                .containsEntry("table", "orders").containsEntry("operation", "INSERT");
        String health = health();
        assertThat(health).as("/actuator/health: the application, and in it the pgrepl consumer's check")
                .endsWith(",\"status\":\"UP\"}").contains("\"consumer:orders-feed\":\"UP\"")
                .contains("\"state\":\"streaming\"").contains("\"slot\":\"orders_boot_slot\"");
    }

    private String health() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        return response.body();
    }
}
