package io.camelpgrepl.camel;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelpgrepl.fixture.SlotFixture;
import io.camelpgrepl.testing.PostgresExtension;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.apache.camel.builder.Builder.simple;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The transactional outbox with Camel's own EIPs, as the component page shows it: route by {@code aggregatetype},
 * key by {@code aggregateid}, drop redelivered duplicates by {@code id}, body from the jsonb {@code payload}; once
 * from an outbox table, once from {@code pg_logical_emit_message} (no table at all). The third event of the
 * transaction fails once, so the whole transaction is redelivered and the idempotent consumer must drop the first
 * two.
 */
class PgReplOutboxIT extends CamelTestSupport {

    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.create();

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String OUTBOX_COLUMNS = "id uuid PRIMARY KEY, aggregatetype text NOT NULL,"
            + " aggregateid text NOT NULL, type text NOT NULL, payload jsonb NOT NULL";
    private static final String[][] EVENTS = {
        {"6f1f4a8e-0000-4000-8000-000000000001", "Order", "o-1", "OrderCreated", "{\"total\": 3}"},
        {"6f1f4a8e-0000-4000-8000-000000000002", "Customer", "c-7", "CustomerUpdated", "{\"email\": \"a@b.c\"}"},
        {"6f1f4a8e-0000-4000-8000-000000000003", "Order", "o-1", "OrderPaid", "{\"paid\": true}"},
    };

    private final AtomicBoolean failedOnce = new AtomicBoolean();

    /** Fails the first delivery of the transaction's last event, as a broken broker connection would. */
    private void failOnceOnTheLastEvent(Exchange e) {
        if ("OrderPaid".equals(e.getMessage().getHeader("eventType")) && failedOnce.compareAndSet(false, true)) {
            throw new IllegalStateException("broker unavailable");
        }
    }

    /**
     * The outbox steps for a body that is the outbox record as a Map: dedupe by id, key by aggregateid, body from
     * payload (a String from jsonb; a Map, marshalled back to JSON, from a message), route by aggregatetype.
     */
    private void publish(RouteDefinition route, boolean marshalPayload) {
        ProcessorDefinition<?> steps = route
                .idempotentConsumer(simple("${body[id]}"), MemoryIdempotentRepository.memoryIdempotentRepository(10_000))
                .setHeader("kafka.KEY", simple("${body[aggregateid]}"))
                .setHeader("eventType", simple("${body[type]}"))
                .setHeader("aggregateType", simple("${body[aggregatetype]}"))
                .setBody(simple("${body[payload]}"));
        if (marshalPayload) {
            steps = steps.marshal().json();
        }
        steps.process(this::failOnceOnTheLastEvent)
                // in production: .toD("kafka:outbox.event.${header.aggregateType}")
                .toD("mock:outbox.event.${header.aggregateType}");
    }

    @Test
    void outboxTableRowsAreRoutedKeyedAndDeduplicated() throws Exception {
        SlotFixture f = SlotFixture.builder(PG.server(), "outbox").columns(OUTBOX_COLUMNS).create();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(f.uri() + "&reconnectDelay=100ms")
                        .filter(simple("${header.CamelPgReplOperation} == 'INSERT'"))
                        .convertBodyTo(Map.class)
                        .setBody(simple("${body[after]}"))   // the outbox row
                        .to("direct:publish");
                publish(from("direct:publish"), false);
            }
        });
        await().atMost(Duration.ofSeconds(20)).until(f::isActive);
        MockEndpoint orders = expect("Order", 2);
        MockEndpoint customers = expect("Customer", 1);

        StringBuilder tx = new StringBuilder("BEGIN;");
        for (String[] e : EVENTS) {
            tx.append("INSERT INTO items VALUES ('").append(String.join("', '", e)).append("');");
        }
        f.server.execute(f.database, tx.append("COMMIT").toString());

        assertDelivered(orders, customers);
    }

    @Test
    void logicalMessagesAreRoutedKeyedAndDeduplicatedLikeOutboxRows() throws Exception {
        SlotFixture f = SlotFixture.create(PG.server(), "outbox_msg");
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(f.uri() + "&messages=true&reconnectDelay=100ms")
                        .filter(simple("${header.CamelPgReplMessageType} == 'MESSAGE'"))
                        .convertBodyTo(Map.class)
                        .filter(simple("${body[prefix]} == 'outbox'"))
                        .setBody(simple("${body[content]}"))
                        .unmarshal().json(Map.class)        // the outbox record the message carries
                        .to("direct:publish");
                publish(from("direct:publish"), true);
            }
        });
        await().atMost(Duration.ofSeconds(20)).until(f::isActive);
        MockEndpoint orders = expect("Order", 2);
        MockEndpoint customers = expect("Customer", 1);

        StringBuilder tx = new StringBuilder("BEGIN;");
        for (String[] e : EVENTS) {
            String content = "{\"id\": \"" + e[0] + "\", \"aggregatetype\": \"" + e[1] + "\", \"aggregateid\": \""
                    + e[2] + "\", \"type\": \"" + e[3] + "\", \"payload\": " + e[4] + "}";
            tx.append("SELECT pg_logical_emit_message(true, 'outbox', '").append(content).append("');");
        }
        f.server.execute(f.database, tx.append("COMMIT").toString());

        assertDelivered(orders, customers);
    }

    private MockEndpoint expect(String aggregateType, int count) {
        MockEndpoint mock = getMockEndpoint("mock:outbox.event." + aggregateType);
        mock.expectedMessageCount(count);
        return mock;
    }

    private void assertDelivered(MockEndpoint orders, MockEndpoint customers) throws Exception {
        await().atMost(Duration.ofSeconds(20)).untilTrue(failedOnce);
        MockEndpoint.assertIsSatisfied(context, 20, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(orders.getExchanges()).extracting(e -> e.getMessage().getHeader("eventType"))
                .as("Order events once each, in order, despite the redelivery").containsExactly("OrderCreated", "OrderPaid");
        assertThat(orders.getExchanges()).extracting(e -> e.getMessage().getHeader("kafka.KEY"))
                .as("keyed by aggregateid").containsExactly("o-1", "o-1");
        assertThat(JSON.readTree(orders.getExchanges().get(1).getMessage().getBody(String.class)))
                .as("the body is the payload").isEqualTo(JSON.readTree("{\"paid\": true}"));
        assertThat(customers.getExchanges()).extracting(e -> e.getMessage().getHeader("kafka.KEY"))
                .containsExactly("c-7");
        assertThat(JSON.readTree(customers.getExchanges().get(0).getMessage().getBody(String.class)))
                .isEqualTo(JSON.readTree("{\"email\": \"a@b.c\"}"));
    }
}
