package io.camelpgrepl.camel;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import io.camelpgrepl.client.Lsn;
import io.camelpgrepl.fixture.SlotFixture;
import io.camelpgrepl.testing.PostgresExtension;
import io.camelpgrepl.testing.PostgresServer;
import io.camelpgrepl.testing.TestUsers;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.console.DevConsole;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Slot and publication management through endpoint options, and what JMX and the dev console report about a
 * consumer that is really streaming.
 */
class PgReplManagementIT extends CamelTestSupport {

    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.create();

    private static final AtomicInteger COUNTER = new AtomicInteger();

    @Override
    protected boolean useJmx() {
        return true;
    }

    private String slotCount(String slot) {
        return PG.server().queryString("postgres", "SELECT count(*) FROM pg_replication_slots WHERE slot_name = ?", slot);
    }

    private static Object attribute(MBeanServer mbs, ObjectName name, String attribute) {
        try {
            return mbs.getAttribute(name, attribute);
        } catch (javax.management.JMException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void theConsumerCreatesSlotAndPublicationAndDropsTheSlotOnStop() throws Exception {
        PostgresServer server = PG.server();
        String db = "management_it_" + COUNTER.incrementAndGet();
        String slot = db + "_slot";
        String pub = db + "_pub";
        server.createDatabase(db);
        server.execute(db, "CREATE TABLE items(id int PRIMARY KEY, name text)", "CREATE TABLE other(id int PRIMARY KEY)");
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("pgrepl:" + slot + "?publication=" + pub + "&host=" + server.host() + "&port=" + server.port()
                     + "&database=" + db + "&user=" + TestUsers.SUPERUSER + "&sslMode=disable"
                     + "&createSlot=true&createPublication=true&publicationTables=public.items&dropSlotOnStop=true")
                        .routeId("managed").to("mock:managed");
            }
        });
        PgReplConsumer consumer = (PgReplConsumer) context.getRoute("managed").getConsumer();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> consumer.snapshot().state() == PgReplConsumerState.State.STREAMING);

        assertThat(slotCount(slot)).as("slot created").isEqualTo("1");
        assertThat(server.queryString(db, "SELECT string_agg(schemaname || '.' || tablename, ',') FROM "
                + "pg_publication_tables WHERE pubname = ?", pub)).as("publication of exactly the listed table")
                .isEqualTo("public.items");
        MockEndpoint mock = getMockEndpoint("mock:managed");
        mock.expectedMessageCount(1);
        server.execute(db, "INSERT INTO other VALUES (1)", "INSERT INTO items VALUES (1, 'published')");
        mock.assertIsSatisfied(20_000);
        assertThat(mock.getReceivedExchanges().get(0).getMessage().getHeader(PgReplConstants.TABLE)).isEqualTo("items");

        context.getRouteController().stopRoute("managed");
        assertThat(slotCount(slot)).as("dropped when the consumer stopped").isEqualTo("0");
    }

    @Test
    void jmxAndTheDevConsoleReportTheLiveStream() throws Exception {
        SlotFixture f = SlotFixture.create(PG.server(), "management_jmx");
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(f.uri() + "&statusInterval=200ms").routeId("observed").to("mock:observed");
            }
        });
        MockEndpoint mock = getMockEndpoint("mock:observed");
        mock.expectedMessageCount(3);
        for (int i = 1; i <= 3; i++) {
            f.insert(i, "row" + i);
        }
        mock.assertIsSatisfied(20_000);
        Lsn lastCommit = mock.getReceivedExchanges().get(2).getMessage().getHeader(PgReplConstants.COMMIT_LSN, Lsn.class);
        await().atMost(Duration.ofSeconds(20)).until(() -> f.confirmedFlush().isAfter(lastCommit));

        MBeanServer mbs = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = mbs.queryNames(new ObjectName("org.apache.camel:type=consumers,*"), null).stream()
                .filter(n -> n.toString().contains("PgReplConsumer") && f.slot.equals(attribute(mbs, n, "Slot")))
                .findFirst().orElseThrow();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(mbs.getAttribute(name, "ReplicationState")).isEqualTo("streaming");
            assertThat((Long) mbs.getAttribute(name, "Events")).as("Begin, Insert, Commit each").isGreaterThanOrEqualTo(9);
            assertThat((Long) mbs.getAttribute(name, "Bytes")).isPositive();
            // the slot may be further on: idle keepalives are confirmed too
            assertThat(Lsn.parse((String) mbs.getAttribute(name, "AcknowledgedLsn"))).as("acknowledged past the last "
                    + "commit, and not past what the slot confirmed").isGreaterThan(lastCommit)
                    .isLessThanOrEqualTo(f.confirmedFlush());
            assertThat(Lsn.parse((String) mbs.getAttribute(name, "ReceivedLsn"))).isGreaterThan(lastCommit);
            assertThat((Integer) mbs.getAttribute(name, "Inflight")).isZero();
        });

        PgReplDevConsole console = new PgReplDevConsole();
        console.setCamelContext(context);
        String text = (String) console.call(DevConsole.MediaType.TEXT);
        @SuppressWarnings("unchecked")
        Map<String, Object> json = (Map<String, Object>) console.call(DevConsole.MediaType.JSON);
        assertThat(text).contains("Slot: " + f.slot).contains("State: streaming")
                .contains("Acknowledged LSN: " + mbs.getAttribute(name, "AcknowledgedLsn"));
        assertThat(json.get("consumers").toString()).contains(f.slot).contains("streaming");
    }
}
