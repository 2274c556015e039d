package io.camelpgrepl.camel;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.camelpgrepl.client.Lsn;
import io.camelpgrepl.fixture.SlotFixture;
import io.camelpgrepl.pgoutput.RowChange;
import io.camelpgrepl.testing.PostgresExtension;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The consumer against a real PostgreSQL: row changes, headers, acknowledgement, redelivery, raw output, stopAtLsn. */
@SuppressWarnings("unchecked")
class PgReplConsumerIT extends CamelTestSupport {

    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.create();

    private String db;
    private String slot;
    private SlotFixture fixture;

    /** A fresh database with table items, a publication for it and a slot. */
    private String prepare() {
        fixture = SlotFixture.builder(PG.server(), "consumer_it").columns("id int PRIMARY KEY, name text, price numeric(10,2)")
                .create();
        db = fixture.database;
        slot = fixture.slot;
        return fixture.uri() + "&statusInterval=1s&reconnectDelay=200ms";
    }

    private Lsn confirmedFlush() {
        return fixture.confirmedFlush();
    }

    private String currentWal() {
        return PG.server().queryString(db, "SELECT pg_current_wal_lsn()::text");
    }

    @Test
    void insertUpdateDeleteArriveInOrderWithHeadersAndMapBodies() throws Exception {
        String uri = prepare();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId("changes").to("mock:changes");
            }
        });
        MockEndpoint mock = getMockEndpoint("mock:changes");
        mock.expectedMessageCount(3);
        mock.expectedHeaderValuesReceivedInAnyOrder(PgReplConstants.OPERATION, "INSERT", "UPDATE", "DELETE");
        await().atMost(Duration.ofSeconds(20)).until(() -> PG.server().queryLong("postgres",
                "SELECT count(*) FROM pg_replication_slots WHERE slot_name = ? AND active", slot) == 1);

        PG.server().execute(db, "INSERT INTO items VALUES (1, 'apple', 1.50)",
                "UPDATE items SET name = 'pear' WHERE id = 1", "DELETE FROM items WHERE id = 1");

        mock.assertIsSatisfied(20_000);
        List<Exchange> received = mock.getReceivedExchanges();
        assertThat(received).extracting(e -> e.getMessage().getHeader(PgReplConstants.OPERATION))
                .as("stream order").containsExactly("INSERT", "UPDATE", "DELETE");
        Exchange insert = received.get(0);
        assertThat(insert.getMessage().getBody()).isInstanceOf(RowChange.class);
        assertThat(insert.getMessage().getHeader(PgReplConstants.SCHEMA)).isEqualTo("public");
        assertThat(insert.getMessage().getHeader(PgReplConstants.TABLE)).isEqualTo("items");
        assertThat(insert.getMessage().getHeader(PgReplConstants.SLOT)).isEqualTo(slot);
        assertThat(insert.getMessage().getHeader(PgReplConstants.MESSAGE_TYPE)).isEqualTo("INSERT");
        assertThat(insert.getMessage().getHeader(PgReplConstants.LSN)).isInstanceOf(Lsn.class);
        assertThat(insert.getMessage().getHeader(PgReplConstants.COMMIT_LSN)).isInstanceOf(Lsn.class);
        assertThat(insert.getMessage().getHeader(PgReplConstants.XID, Long.class)).isNotNull();
        assertThat(insert.getMessage().getHeader(PgReplConstants.COMMIT_TIMESTAMP)).isNotNull();
        assertThat(insert.getMessage().getHeader(PgReplConstants.LSN, String.class)).matches("[0-9A-F]+/[0-9A-F]+");

        Map<Object, Object> map = insert.getMessage().getBody(Map.class);
        assertThat(map).containsEntry("schema", "public").containsEntry("table", "items")
                .containsEntry("operation", "INSERT").containsEntry("before", null);
        assertThat((Map<Object, Object>) map.get("after")).containsEntry("id", 1).containsEntry("name", "apple")
                .containsEntry("price", new java.math.BigDecimal("1.50"));
        Map<Object, Object> update = received.get(1).getMessage().getBody(Map.class);
        assertThat((Map<Object, Object>) update.get("after")).containsEntry("name", "pear");
        Map<Object, Object> delete = received.get(2).getMessage().getBody(Map.class);
        assertThat(delete.get("after")).isNull();
        assertThat((Map<Object, Object>) delete.get("before")).containsEntry("id", 1);
    }

    @Test
    void completedTransactionsAreAcknowledgedToTheSlot() throws Exception {
        String uri = prepare();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId("ack").to("mock:ack");
            }
        });
        MockEndpoint mock = getMockEndpoint("mock:ack");
        mock.expectedMessageCount(2);
        PG.server().execute(db, "INSERT INTO items VALUES (1, 'a', 1)", "INSERT INTO items VALUES (2, 'b', 2)");
        Lsn afterWrites = Lsn.parse(currentWal());

        mock.assertIsSatisfied(20_000);
        Lsn lastCommit = mock.getReceivedExchanges().get(1).getMessage().getHeader(PgReplConstants.COMMIT_LSN, Lsn.class);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(confirmedFlush())
                .as("slot confirmed past the last commit (%s); WAL after writes %s", lastCommit, afterWrites)
                .isGreaterThan(lastCommit));
    }

    @Test
    void aFailedExchangeIsRedeliveredFromTheLastAcknowledgedPosition() throws Exception {
        String uri = prepare();
        AtomicInteger attempts = new AtomicInteger();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId("redeliver")
                        .process(e -> {
                            if (e.getMessage().getBody(Map.class).get("after").toString().contains("flaky")
                                    && attempts.incrementAndGet() == 1) {
                                throw new IllegalStateException("first attempt fails");
                            }
                        })
                        .to("mock:redeliver");
            }
        });
        MockEndpoint mock = getMockEndpoint("mock:redeliver");
        PG.server().execute(db, "INSERT INTO items VALUES (1, 'ok', 1)");
        PG.server().execute(db, "INSERT INTO items VALUES (2, 'flaky', 2)");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(mock.getReceivedExchanges())
                .extracting(e -> (Object) ((Map<?, ?>) e.getMessage().getBody(Map.class).get("after")).get("name"))
                .as("the flaky row arrives after its failure; the row before it is not replayed")
                .containsExactly("ok", "flaky"));
        assertThat(attempts.get()).as("processed twice").isEqualTo(2);
    }

    @Test
    void rawOutputDeliversEveryPgoutputMessageAsBytes() throws Exception {
        String uri = prepare() + "&outputFormat=raw";
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId("raw").to("mock:raw");
            }
        });
        MockEndpoint mock = getMockEndpoint("mock:raw");
        mock.expectedMessageCount(4);
        PG.server().execute(db, "INSERT INTO items VALUES (1, 'a', 1)");

        mock.assertIsSatisfied(20_000);
        assertThat(mock.getReceivedExchanges()).extracting(e -> e.getMessage().getHeader(PgReplConstants.MESSAGE_TYPE))
                .containsExactly("BEGIN", "RELATION", "INSERT", "COMMIT");
        assertThat(mock.getReceivedExchanges()).allSatisfy(e -> assertThat(e.getMessage().getBody()).isInstanceOf(byte[].class));
        byte[] insert = mock.getReceivedExchanges().get(2).getMessage().getBody(byte[].class);
        assertThat(insert[0]).isEqualTo((byte) 'I');
        assertThat(mock.getReceivedExchanges().get(2).getMessage().getHeader(PgReplConstants.TABLE)).isEqualTo("items");
    }

    @Test
    void stopAtLsnDeliversWholeTransactionsThenAStoppedExchange() throws Exception {
        String base = prepare();
        PG.server().execute(db, "INSERT INTO items VALUES (1, 'before', 1)");
        String bound = currentWal();
        PG.server().execute(db, "INSERT INTO items VALUES (2, 'after', 2)");
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(base + "&stopAtLsn=" + bound).routeId("bounded").to("mock:bounded");
            }
        });
        MockEndpoint mock = getMockEndpoint("mock:bounded");
        mock.expectedMessageCount(2);

        mock.assertIsSatisfied(20_000);
        assertThat(mock.getReceivedExchanges()).extracting(e -> e.getMessage().getHeader(PgReplConstants.MESSAGE_TYPE))
                .containsExactly("INSERT", PgReplConstants.STOPPED);
        assertThat(mock.getReceivedExchanges().get(1).getMessage().getHeader(PgReplConstants.STOPPED_AT)).isInstanceOf(Lsn.class);
    }

    @Test
    void aRouteCanStopItselfWithControlbusOnTheStoppedExchange() throws Exception {
        String base = prepare();
        PG.server().execute(db, "BEGIN", "INSERT INTO items VALUES (1, 'a', 1)", "INSERT INTO items VALUES (2, 'b', 2)",
                "COMMIT", "INSERT INTO items VALUES (3, 'c', 3)");
        String bound = currentWal();
        PG.server().execute(db, "BEGIN", "INSERT INTO items VALUES (4, 'd', 4)", "INSERT INTO items VALUES (5, 'e', 5)",
                "COMMIT", "INSERT INTO items VALUES (6, 'f', 6)");
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(base + "&stopAtLsn=" + bound).routeId("replay")
                        .choice()
                            .when(header(PgReplConstants.MESSAGE_TYPE).isEqualTo(PgReplConstants.STOPPED))
                                .to("controlbus:route?routeId=current&action=stop&async=true")
                            .otherwise()
                                .to("mock:replay");
            }
        });
        MockEndpoint mock = getMockEndpoint("mock:replay");

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                context.getRouteController().getRouteStatus("replay").isStopped()).as("route stopped itself").isTrue());
        assertThat(mock.getReceivedExchanges()).as("exactly the transactions committed up to the bound, whole")
                .extracting(e -> (Object) ((Map<?, ?>) e.getMessage().getBody(Map.class).get("after")).get("id"))
                .containsExactly(1, 2, 3);
    }

    @Test
    void transactionEventsAndTruncateAreDeliveredWhenAsked() throws Exception {
        String uri = prepare() + "&includeTransactionEvents=true";
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId("tx").to("mock:tx");
            }
        });
        MockEndpoint mock = getMockEndpoint("mock:tx");
        mock.expectedMessageCount(6);
        PG.server().execute(db, "INSERT INTO items VALUES (1, 'a', 1)", "TRUNCATE items");

        mock.assertIsSatisfied(20_000);
        List<Exchange> received = mock.getReceivedExchanges();
        assertThat(received).extracting(e -> e.getMessage().getHeader(PgReplConstants.MESSAGE_TYPE))
                .containsExactly("BEGIN", "INSERT", "COMMIT", "BEGIN", "TRUNCATE", "COMMIT");
        Object xid = received.get(0).getMessage().getHeader(PgReplConstants.XID);
        assertThat(received.get(1).getMessage().getHeader(PgReplConstants.XID)).as("same transaction").isEqualTo(xid);
        Lsn commitLsn = received.get(1).getMessage().getHeader(PgReplConstants.COMMIT_LSN, Lsn.class);
        assertThat(received.get(2).getMessage().getHeader(PgReplConstants.COMMIT_LSN)).isEqualTo(commitLsn);
        assertThat(received.get(2).getMessage().getHeader(PgReplConstants.LSN, Lsn.class))
                .as("a Commit's LSN header is the end LSN acknowledged for it").isGreaterThan(commitLsn);
        Map<Object, Object> truncate = received.get(4).getMessage().getBody(Map.class);
        assertThat(truncate).containsEntry("operation", "TRUNCATE");
        assertThat(truncate.get("tables").toString()).contains("public.items");
        assertThat(received.get(4).getMessage().getHeader(PgReplConstants.OPERATION)).isEqualTo("TRUNCATE");
    }

    @Test
    void relationEventsShowTheTableShapeBeforeItsRowsAndAfterAlterTable() throws Exception {
        String uri = prepare() + "&includeRelationEvents=true";
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId("relations").to("mock:relations");
            }
        });
        MockEndpoint mock = getMockEndpoint("mock:relations");
        mock.expectedMessageCount(4);
        PG.server().execute(db, "INSERT INTO items VALUES (1, 'a', 1)");
        // The first row is decoded before the ALTER commits: decoded afterwards, the walsender has been seen to
        // describe the first row's table with the altered shape on a loaded machine.
        await().atMost(Duration.ofSeconds(20)).until(() -> mock.getReceivedCounter() >= 2);
        PG.server().execute(db, "ALTER TABLE items ADD COLUMN sku text, DROP COLUMN price",
                "INSERT INTO items VALUES (2, 'b', 'SKU-2')");

        mock.assertIsSatisfied(20_000);
        List<Exchange> received = mock.getReceivedExchanges();
        assertThat(received).extracting(e -> e.getMessage().getHeader(PgReplConstants.MESSAGE_TYPE))
                .containsExactly("RELATION", "INSERT", "RELATION", "INSERT");
        Map<Object, Object> before = received.get(0).getMessage().getBody(Map.class);
        Map<Object, Object> after = received.get(2).getMessage().getBody(Map.class);
        assertThat(before).containsEntry("schema", "public").containsEntry("table", "items")
                .containsEntry("replicaIdentity", "default").containsEntry("keyColumns", List.of("id"));
        assertThat(((List<Map<String, Object>>) before.get("columns"))).extracting(c -> c.get("name"))
                .containsExactly("id", "name", "price");
        assertThat(((List<Map<String, Object>>) after.get("columns"))).extracting(c -> c.get("name"))
                .containsExactly("id", "name", "sku");
        assertThat(received.get(2).getMessage().getHeader(PgReplConstants.TABLE)).isEqualTo("items");
        Map<String, Object> row = (Map<String, Object>) received.get(3).getMessage().getBody(Map.class).get("after");
        assertThat(row).containsEntry("sku", "SKU-2").doesNotContainKey("price");
    }
}
