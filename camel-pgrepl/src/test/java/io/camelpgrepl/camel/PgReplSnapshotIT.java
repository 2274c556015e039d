package io.camelpgrepl.camel;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import io.camelpgrepl.client.Lsn;
import io.camelpgrepl.fixture.SlotFixture;
import io.camelpgrepl.pgoutput.RowChange;
import io.camelpgrepl.testing.PostgresExtension;
import io.camelpgrepl.testing.TestUsers;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * snapshotMode on a route against a real PostgreSQL: READ exchanges (headers, body) before the first streamed
 * change, the slot made only once they all completed; initialOnly ends with STOPPED and leaves no slot; a route
 * stopped, or whose connection dies, in the middle of the snapshot takes the whole snapshot again on its next start.
 */
class PgReplSnapshotIT extends CamelTestSupport {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.create();

    private SlotFixture fixture;
    /** The slot the consumer creates (the fixture's own is not used). */
    private String slot;

    private String prepare(int rows, String options) {
        fixture = SlotFixture.create(PG.server(), "snapshot_it");
        fixture.sql("INSERT INTO items SELECT g, 'row ' || g FROM generate_series(1, " + rows + ") g");
        slot = fixture.slot + "_snap";
        return "pgrepl:" + slot + "?" + fixture.connectionOptions() + "&user=" + TestUsers.SUPERUSER + "&sslMode=disable"
                + "&statusInterval=1s&reconnectDelay=200ms&createSlot=true&" + options;
    }

    private long slots() {
        return PG.server().queryLong("postgres", "SELECT count(*) FROM pg_replication_slots WHERE slot_name = ?", slot);
    }

    private long snapshotSlots() {
        return PG.server().queryLong("postgres", "SELECT count(*) FROM pg_replication_slots WHERE database = ?"
                + " AND slot_name LIKE 'pgrepl\\_snapshot\\_%'", fixture.database);
    }

    private PgReplConsumer consumer(String routeId) {
        return (PgReplConsumer) context.getRoute(routeId).getConsumer();
    }

    /** Adds route {@code routeId} from {@code uri} to mock:{@code routeId}, expecting {@code count} exchanges there. */
    private MockEndpoint routeToMock(String uri, String routeId, int count) throws Exception {
        MockEndpoint mock = getMockEndpoint("mock:" + routeId);
        mock.expectedMessageCount(count); // before the route starts: exchanges may come at once
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId(routeId).to("mock:" + routeId);
            }
        });
        return mock;
    }

    /**
     * Adds route {@code routeId} from {@code uri} to mock:{@code routeId}; its 10th exchange waits for {@code release}.
     * Returns the mock once that exchange is waiting.
     */
    private MockEndpoint addRouteHeldAtTheTenthExchange(String uri, String routeId, AtomicInteger reads,
                                                        CountDownLatch release) throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId(routeId).process(e -> {
                    if (reads.incrementAndGet() == 10) {
                        release.await(WAIT.toSeconds(), TimeUnit.SECONDS);
                    }
                }).to("mock:" + routeId);
            }
        });
        await().atMost(WAIT).until(() -> reads.get() == 10);
        return getMockEndpoint("mock:" + routeId);
    }

    private static List<Object> ids(List<Exchange> exchanges, String type) {
        return exchanges.stream().filter(e -> type.equals(e.getMessage().getHeader(PgReplConstants.MESSAGE_TYPE)))
                .map(e -> e.getMessage().getBody(RowChange.class).after().get("id")).collect(Collectors.toList());
    }

    @Test
    void existingRowsArriveAsReadExchangesBeforeStreamedChangesAndTheSlotExistsOnlyOnceTheyCompleted()
            throws Exception {
        String uri = prepare(3, "snapshotMode=initial");
        CountDownLatch release = new CountDownLatch(1);
        MockEndpoint mock = getMockEndpoint("mock:rows");
        mock.expectedMessageCount(4);
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId("snap").process(e -> {
                    if (PgReplConstants.READ.equals(e.getMessage().getHeader(PgReplConstants.OPERATION))) {
                        release.await(WAIT.toSeconds(), TimeUnit.SECONDS);
                    }
                }).to("mock:rows");
            }
        });

        await().atMost(WAIT).until(() -> snapshotSlots() == 1);
        assertThat(consumer("snap").snapshot().state()).isEqualTo(PgReplConsumerState.State.SNAPSHOT);
        assertThat(slots()).as("no slot while READ exchanges are in flight").isZero();
        release.countDown();
        await().atMost(WAIT).until(() -> slots() == 1);
        fixture.sql("INSERT INTO items VALUES (4, 'streamed')");

        mock.assertIsSatisfied(WAIT.toMillis());
        List<Exchange> received = mock.getReceivedExchanges();
        assertThat(received).extracting(e -> e.getMessage().getHeader(PgReplConstants.OPERATION))
                .containsExactly("READ", "READ", "READ", "INSERT");
        assertThat(ids(received, "READ")).containsExactly(1, 2, 3);
        Message read = received.get(0).getMessage();
        Lsn consistentPoint = read.getHeader(PgReplConstants.LSN, Lsn.class);
        assertThat(read.getHeader(PgReplConstants.MESSAGE_TYPE)).isEqualTo("READ");
        assertThat(read.getHeader(PgReplConstants.COMMIT_LSN)).isEqualTo(consistentPoint);
        assertThat(read.getHeader(PgReplConstants.SCHEMA)).isEqualTo("public");
        assertThat(read.getHeader(PgReplConstants.TABLE)).isEqualTo("items");
        assertThat(read.getHeader(PgReplConstants.SLOT)).isEqualTo(slot);
        assertThat(read.getHeaders()).as("no transaction id").doesNotContainKey(PgReplConstants.XID);
        assertThat(read.getBody(Map.class)).containsEntry("operation", "READ").containsEntry("before", null)
                .containsEntry("after", Map.of("id", 1, "name", "row 1"));
        assertThat(received.get(3).getMessage().getHeader(PgReplConstants.LSN, Lsn.class))
                .as("the streamed change is at or after the consistent point (a record may start right there)")
                .isGreaterThanOrEqualTo(consistentPoint);
        assertThat(PG.server().queryString("postgres", "SELECT restart_lsn IS NOT NULL AND confirmed_flush_lsn >= "
                + "?::pg_lsn FROM pg_replication_slots WHERE slot_name = ?", consistentPoint.toString(), slot))
                .as("the slot starts at the snapshot's consistent point").isEqualTo("t");
        assertThat(snapshotSlots()).as("the temporary snapshot slot was dropped").isZero();
    }

    @Test
    void readRowsCarryKeysAndEventIdsAndInDebeziumFormatAreOpRMarkingTheLastRow() throws Exception {
        String uri = prepare(3, "snapshotMode=initial&outputFormat=debezium");
        MockEndpoint mock = routeToMock(uri, "envelopes", 4);
        await().atMost(WAIT).until(() -> slots() == 1);
        fixture.sql("INSERT INTO items VALUES (4, 'streamed')");

        mock.assertIsSatisfied(WAIT.toMillis());
        List<Message> received = mock.getReceivedExchanges().stream().map(Exchange::getMessage).toList();
        Lsn consistentPoint = received.get(0).getHeader(PgReplConstants.LSN, Lsn.class);
        assertThat(received).extracting(m -> (Object) m.getBody(Map.class).get("op")).containsExactly("r", "r", "r", "c");
        assertThat(received).extracting(m -> (Object) ((Map<?, ?>) m.getBody(Map.class).get("source")).get("snapshot"))
                .as("Debezium's marks: true, the last row last, streamed rows false")
                .containsExactly("true", "true", "last", "false");
        assertThat(received.get(2).getBody(Map.class).get("after")).isEqualTo(Map.of("id", 3, "name", "row 3"));
        assertThat(received).extracting(m -> m.getHeader(PgReplConstants.KEY))
                .containsExactly(Map.of("id", 1), Map.of("id", 2), Map.of("id", 3), Map.of("id", 4));
        assertThat(received).extracting(m -> m.getHeader(PgReplConstants.EVENT_ID, String.class))
                .as("snapshot rows: <consistent point>:r<n>, apart from any streamed record's id")
                .startsWith(consistentPoint + ":r0", consistentPoint + ":r1", consistentPoint + ":r2")
                .doesNotHaveDuplicates();
        assertThat(received.get(3).getHeader(PgReplConstants.EVENT_ID, String.class)).endsWith(":0");
        assertThat(received.get(3).getBody(String.class)).as("the envelope converts to JSON")
                .contains("\"op\":\"c\"").contains("\"after\":{\"id\":4,\"name\":\"streamed\"}");
    }

    @Test
    void initialOnlyEndsWithStoppedThenTheConsumerStopsLeavingNoSlot() throws Exception {
        String uri = prepare(2, "snapshotMode=initialOnly");
        MockEndpoint mock = routeToMock(uri, "once", 3);

        mock.assertIsSatisfied(WAIT.toMillis());
        assertThat(mock.getReceivedExchanges()).extracting(e -> e.getMessage().getHeader(PgReplConstants.MESSAGE_TYPE))
                .containsExactly("READ", "READ", PgReplConstants.STOPPED);
        await().atMost(WAIT).untilAsserted(() -> assertThat(consumer("once").snapshot().state())
                .isEqualTo(PgReplConsumerState.State.STOPPED));
        assertThat(slots()).as("no slot of the configured name").isZero();
        await().atMost(WAIT).untilAsserted(() -> assertThat(snapshotSlots()).as("no temporary slot left").isZero());
    }

    @Test
    void aRouteStoppedMidSnapshotTakesTheWholeSnapshotAgainOnItsNextStart() throws Exception {
        String uri = prepare(50, "snapshotMode=initial");
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger reads = new AtomicInteger();
        MockEndpoint mock = addRouteHeldAtTheTenthExchange(uri, "stopped", reads, release);

        Thread stopper = new Thread(() -> {
            try {
                context.getRouteController().stopRoute("stopped");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        stopper.start();
        await().atMost(WAIT).until(() -> consumer("stopped").isStopping());
        release.countDown();
        stopper.join(WAIT.toMillis());
        int firstRun = mock.getReceivedExchanges().size();
        assertThat(firstRun).as("the first run was stopped before the end of the snapshot").isLessThan(50);
        assertThat(slots()).as("no slot for a snapshot that did not complete").isZero();
        await().atMost(WAIT).untilAsserted(() -> assertThat(snapshotSlots()).isZero());

        mock.reset();
        mock.expectedMessageCount(51);
        context.getRouteController().startRoute("stopped");
        await().atMost(WAIT).until(() -> slots() == 1);
        fixture.sql("INSERT INTO items VALUES (51, 'streamed')");
        mock.assertIsSatisfied(WAIT.toMillis());
        assertThat(ids(mock.getReceivedExchanges(), "READ")).as("the whole snapshot, again")
                .hasSize(50).doesNotHaveDuplicates();
        assertThat(ids(mock.getReceivedExchanges(), "INSERT")).containsExactly(51);
    }

    @Test
    void aConnectionLostMidSnapshotIsFollowedByTheWholeSnapshotAgain() throws Exception {
        String uri = prepare(50, "snapshotMode=initial&applicationName=snapshot_it_crash");
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger reads = new AtomicInteger();
        MockEndpoint mock = addRouteHeldAtTheTenthExchange(uri, "crash", reads, release);

        assertThat(PG.server().queryLong("postgres", "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
                + " WHERE application_name = 'snapshot_it_crash'")).as("walsenders killed").isEqualTo(1);
        release.countDown();
        await().atMost(WAIT).until(() -> slots() == 1);
        fixture.sql("INSERT INTO items VALUES (51, 'streamed')");

        await().atMost(WAIT).untilAsserted(() -> assertThat(ids(mock.getReceivedExchanges(), "INSERT"))
                .containsExactly(51));
        Map<Object, List<Object>> readsBySnapshot = mock.getReceivedExchanges().stream()
                .filter(e -> PgReplConstants.READ.equals(e.getMessage().getHeader(PgReplConstants.OPERATION)))
                .collect(Collectors.groupingBy(e -> e.getMessage().getHeader(PgReplConstants.LSN, String.class),
                        Collectors.mapping(e -> e.getMessage().getBody(RowChange.class).after().get("id"),
                                Collectors.toList())));
        assertThat(readsBySnapshot).as("a snapshot per connection").hasSize(2);
        String last = readsBySnapshot.keySet().stream().map(String::valueOf).max(Comparator.comparing(Lsn::parse))
                .orElseThrow();
        assertThat(readsBySnapshot.get(last)).as("the snapshot after the lost connection is whole")
                .hasSize(50).doesNotHaveDuplicates();
    }
}
