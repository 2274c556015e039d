package io.camelpgrepl.camel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.camelpgrepl.fixture.SlotFixture;
import io.camelpgrepl.testing.PostgresServer;
import io.camelpgrepl.testing.TestUsers;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * A primary and its physical standby (PostgreSQL 17+, same binaries): a route on the standby decodes what the primary
 * writes (decoding on a standby), and a route following the primary through the host list survives the primary's
 * crash and the standby's promotion with its failover slot: every row arrives, in commit order, duplicates only after
 * the switch. The test order matters: the failover test promotes the standby.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PgReplFailoverIT {

    private static final int ROWS = 100_000;
    private static final int PER_TRANSACTION = 1_000;
    private static final int BLOCK_AT = 30_000;

    private static PostgresServer primary;
    private static PostgresServer standby;
    private static SlotFixture ha;
    private static SlotFixture onStandby;

    @BeforeAll
    static void primaryAndStandby() {
        int major = Math.max(17, PostgresServer.Options.defaultMajor());
        primary = PostgresServer.start(PostgresServer.Options.builder().majorVersion(major).tls(false).build());
        ha = SlotFixture.create(primary, "ha");
        onStandby = SlotFixture.create(primary, "sb");
        primary.dropSlot(onStandby.slot); // the route creates its own slot on the standby
        standby = primary.startStandby("standby1", Map.of());
        primary.execute("postgres", "ALTER SYSTEM SET synchronized_standby_slots = 'standby1'", "SELECT pg_reload_conf()");
    }

    @AfterAll
    static void close() {
        if (standby != null) {
            standby.close();
        }
        if (primary != null) {
            primary.close();
        }
    }

    private static String hosts() {
        return "&host=" + primary.host() + "," + standby.host() + "&port=" + primary.port() + "," + standby.port();
    }

    private static String common(SlotFixture f) {
        return "?publication=" + f.publication + "&database=" + f.database + "&user=" + TestUsers.SUPERUSER
                + "&sslMode=disable&statusInterval=200ms&reconnectDelay=100ms&reconnectMaxDelay=200ms&connectTimeout=2s";
    }

    @Test
    @Order(1)
    void aRouteOnTheStandbyStreamsWhatThePrimaryWrites() throws Exception {
        List<Integer> ids = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (CamelContext context = new DefaultCamelContext()) {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("pgrepl:" + onStandby.slot + common(onStandby) + hosts()
                         + "&targetSessionAttrs=standby&createSlot=true").routeId("standby")
                            .process(e -> ids.add(id(e)));
                }
            });
            context.start();
            PgReplConsumer consumer = (PgReplConsumer) context.getRoute("standby").getConsumer();
            // creating a slot on a standby waits for the primary's next running-transactions record: ask for one
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
                primary.execute("postgres", "SELECT pg_log_standby_snapshot()");
                return consumer.snapshot().state() == PgReplConsumerState.State.STREAMING;
            });
            assertThat(consumer.snapshot().endpoint()).as("streams from the standby")
                    .isEqualTo(standby.host() + ":" + standby.port());

            onStandby.sql("INSERT INTO " + onStandby.table + " SELECT g, 'r' || g FROM generate_series(1, 10) g");

            await().atMost(Duration.ofSeconds(30)).until(() -> ids.size() >= 10);
            assertThat(ids).as("rows written on the primary, decoded on the standby").containsExactly(1, 2, 3, 4, 5, 6,
                    7, 8, 9, 10);
            assertThat(standby.queryString("postgres", "SELECT count(*)::text FROM pg_replication_slots"
                    + " WHERE slot_name = ? AND NOT synced", onStandby.slot)).as("the slot lives on the standby").isEqualTo("1");
        }
    }

    @Test
    @Order(2)
    void aCrashedPrimaryIsFollowedToThePromotedStandbyWithEveryRowInCommitOrder() throws Exception {
        for (int from = 1; from <= ROWS; from += PER_TRANSACTION) {
            ha.sql("INSERT INTO " + ha.table + " SELECT g, 'r' FROM generate_series(" + from + ", "
                   + (from + PER_TRANSACTION - 1) + ") g");
        }
        List<Integer> ids = new ArrayList<>();
        CountDownLatch released = new CountDownLatch(1);
        AtomicLong firstFromStandby = new AtomicLong();
        String standbyAddress = standby.host() + ":" + standby.port();
        try (CamelContext context = new DefaultCamelContext()) {
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("pgrepl:" + ha.slot + common(ha) + hosts() + "&targetSessionAttrs=primary&failoverSlot=true")
                            .routeId("ha").process(e -> {
                                int id = id(e);
                                int count;
                                synchronized (ids) {
                                    ids.add(id);
                                    count = ids.size();
                                }
                                if (count == BLOCK_AT) {
                                    // hold the stream mid-way until the primary is gone
                                    released.await(120, TimeUnit.SECONDS);
                                }
                                if (released.getCount() == 0 && firstFromStandby.get() == 0 && standbyAddress.equals(
                                        ((PgReplConsumer) e.getContext().getRoute("ha").getConsumer()).snapshot().endpoint())) {
                                    firstFromStandby.set(System.nanoTime());
                                }
                            });
                }
            });
            context.start();
            PgReplConsumer consumer = (PgReplConsumer) context.getRoute("ha").getConsumer();
            await().atMost(Duration.ofSeconds(60)).until(() -> size(ids) >= BLOCK_AT);
            assertThat(consumer.snapshot().slotStatus().failover()).as("failoverSlot=true switched the existing slot").isTrue();
            assertThat(primary.queryString("postgres", "SELECT failover::text FROM pg_replication_slots WHERE slot_name = ?",
                    ha.slot)).isEqualTo("true");
            // the standby keeps a usable copy of the slot, and has every row, before the primary goes; a reload wakes
            // its slot sync worker, which naps up to 30 s while there is nothing to synchronise
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
                standby.execute("postgres", "SELECT pg_reload_conf()");
                return standby.queryLong("postgres", "SELECT count(*) FROM pg_replication_slots WHERE slot_name = ?"
                        + " AND synced AND NOT temporary", ha.slot) == 1;
            });
            String primaryEnd = primary.queryString("postgres", "SELECT pg_current_wal_lsn()::text");
            await().atMost(Duration.ofSeconds(30)).until(() -> "t".equals(standby.queryString("postgres",
                    "SELECT (pg_last_wal_replay_lsn() >= ?::pg_lsn)::text::char", primaryEnd)));

            long crash = System.nanoTime();
            primary.crash();
            standby.promote();
            long promoted = System.nanoTime();
            released.countDown();

            await().atMost(Duration.ofSeconds(60)).until(() -> new HashSet<>(snapshot(ids)).size() == ROWS);
            long done = System.nanoTime();
            List<Integer> seen = snapshot(ids);
            int switchAt = firstDrop(seen);
            Set<Integer> beforeSwitch = new HashSet<>(seen.subList(0, switchAt));
            System.out.printf("Failover: crash to promoted %d ms; crash to first row from the promoted standby %d ms;"
                              + " all %d rows after %d ms; %d deliveries, %d duplicates (all after the switch at"
                              + " delivery %d)%n", ms(promoted - crash), ms(firstFromStandby.get() - crash), ROWS,
                    ms(done - crash), seen.size(), seen.size() - ROWS, switchAt);

            assertThat(beforeSwitch).as("no duplicate before the switch").hasSize(switchAt);
            assertThat(isIncreasing(seen.subList(0, switchAt))).as("commit order before the switch").isTrue();
            assertThat(isIncreasing(seen.subList(switchAt, seen.size()))).as("commit order after the switch").isTrue();
            assertThat(new HashSet<>(seen)).as("every row").hasSize(ROWS);
            assertThat(firstFromStandby.get()).as("rows came from the promoted standby").isPositive();
            assertThat(consumer.snapshot().endpoint()).isEqualTo(standbyAddress);
            assertThat(consumer.snapshot().slotStatus().synced()).as("the promoted standby's slot is the synchronised copy").isTrue();
        }
    }

    private static int id(Exchange e) {
        Map<?, ?> after = (Map<?, ?>) e.getMessage().getBody(Map.class).get("after");
        return ((Number) after.get("id")).intValue();
    }

    private static int size(List<Integer> ids) {
        synchronized (ids) {
            return ids.size();
        }
    }

    private static List<Integer> snapshot(List<Integer> ids) {
        synchronized (ids) {
            return new ArrayList<>(ids);
        }
    }

    /** The index of the first id not above its predecessor (where the redelivery after the switch starts), or size. */
    private static int firstDrop(List<Integer> ids) {
        for (int i = 1; i < ids.size(); i++) {
            if (ids.get(i) <= ids.get(i - 1)) {
                return i;
            }
        }
        return ids.size();
    }

    private static boolean isIncreasing(List<Integer> ids) {
        return firstDrop(ids) == ids.size();
    }

    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
