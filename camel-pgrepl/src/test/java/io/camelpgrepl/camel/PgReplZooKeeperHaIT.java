package io.camelpgrepl.camel;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.camelpgrepl.camel.PgReplConsumerState.State;
import io.camelpgrepl.fixture.NetworkLink;
import io.camelpgrepl.fixture.SlotFixture;
import io.camelpgrepl.pgoutput.RowChange;
import io.camelpgrepl.testing.PostgresExtension;
import io.camelpgrepl.testing.PostgresServer;
import io.camelpgrepl.testing.TestUsers;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.zookeeper.cluster.ZooKeeperClusterService;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.impl.cluster.ClusteredRoutePolicy;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Active/passive across machines on a real coordination service: two Camel contexts, standing in for two machines,
 * run the same route under {@link ClusteredRoutePolicy} with Camel's ZooKeeper cluster service, on a ZooKeeper
 * server of this class (Curator's {@link TestingServer}). Each "machine" reaches ZooKeeper and PostgreSQL through
 * {@link NetworkLink}s of its own, so the leader can fail as a machine does, with no cleanup: its ZooKeeper session
 * is left to expire and its walsender either ends at once (crash) or lingers (hang). A writer commits one row every
 * {@value #WRITE_EVERY_MILLIS} ms throughout; every row must arrive, duplicates only from the new leader.
 */
class PgReplZooKeeperHaIT {

    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.create();

    /** Short, so the test takes seconds; production keeps Curator's tens of seconds (see the component page). */
    private static final Duration SESSION_TIMEOUT = Duration.ofSeconds(4);
    /** What the issue allows for a takeover after the leader died. */
    private static final Duration TAKEOVER_BUDGET = SESSION_TIMEOUT.plusSeconds(5);
    private static final int WRITE_EVERY_MILLIS = 10;
    private static final int ROUTE_ROWS = 20;

    private static TestingServer zooKeeper;

    @BeforeAll
    static void startZooKeeper() throws Exception {
        // tickTime 500 ms: the server accepts session timeouts from 1 s (2 ticks) and checks expiry every tick
        zooKeeper = new TestingServer(new InstanceSpec(null, -1, -1, -1, true, -1, 500, -1), true);
    }

    @AfterAll
    static void stopZooKeeper() throws Exception {
        zooKeeper.close();
    }

    @Test
    void whenTheLeaderCrashesTheFollowerTakesOverWithinTheSessionTimeoutAndNoRowIsLost() throws Exception {
        try (TwoMachines m = TwoMachines.start("zk_crash")) {
            Node leader = m.leader;
            Node follower = m.follower;

            long killed = System.nanoTime();
            leader.crash();

            await().atMost(TAKEOVER_BUDGET).until(() -> follower.firstArrival() > 0);
            Duration handover = Duration.ofNanos(follower.firstArrival() - killed);
            System.out.printf("ZooKeeper handover after a leader crash: %d ms (session timeout %d ms)%n",
                    handover.toMillis(), SESSION_TIMEOUT.toMillis());
            assertThat(handover).as("crash to the new leader's first row").isLessThanOrEqualTo(TAKEOVER_BUDGET);

            assertEveryRowArrives(m.writer, leader, follower);
        }
    }

    @Test
    void whileTheHungLeadersConnectionHoldsTheSlotTheNewLeaderStandsByThenTakesOver() throws Exception {
        try (TwoMachines m = TwoMachines.start("zk_hang")) {
            SlotFixture f = m.slot;
            Node leader = m.leader;
            Node follower = m.follower;
            int oldWalSender = activePid(f);

            long hung = System.nanoTime();
            leader.hang();

            await().atMost(TAKEOVER_BUDGET).until(() -> follower.isRouteStarted()
                                                        && follower.consumerState().state() == State.STANDBY);
            long standby = System.nanoTime();
            assertThat(activePid(f)).as("the hung leader's walsender still holds the slot").isEqualTo(oldWalSender);
            assertThat(follower.ids()).as("rows the new leader got while standing by").isEmpty();

            // what wal_sender_timeout (or TCP keepalive) does on its own once the old connection is judged dead
            f.sql("SELECT pg_terminate_backend(" + oldWalSender + ")");
            long terminated = System.nanoTime();
            await().atMost(Duration.ofSeconds(5)).until(() -> follower.firstArrival() > 0);
            System.out.printf("ZooKeeper handover after a leader hang: standby after %d ms (session timeout %d ms),"
                              + " streaming %d ms after the old walsender ended%n",
                    Duration.ofNanos(standby - hung).toMillis(), SESSION_TIMEOUT.toMillis(),
                    Duration.ofNanos(follower.firstArrival() - terminated).toMillis());

            assertEveryRowArrives(m.writer, leader, follower);
        }
    }

    /**
     * Two "machines" on one slot and a writer; returned once exactly one streams, the other having opened not a
     * single connection to PostgreSQL.
     */
    private record TwoMachines(SlotFixture slot, Node a, Node b, Writer writer, Node leader, Node follower)
            implements AutoCloseable {

        static TwoMachines start(String prefix) throws Exception {
            SlotFixture f = SlotFixture.create(PG.server(), prefix);
            Node a = new Node("a", f);
            Node b = null;
            Writer writer = null;
            try {
                b = new Node("b", f);
                writer = Writer.start(f);
                Node first = b;
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> a.ids().size() >= ROUTE_ROWS || first.ids().size() >= ROUTE_ROWS);
                Node leader = a.ids().size() >= ROUTE_ROWS ? a : b;
                TwoMachines m = new TwoMachines(f, a, b, writer, leader, leader == a ? b : a);
                m.assertOnlyTheLeaderConnected();
                return m;
            } catch (Exception | AssertionError e) {
                closeAll(writer, b, a);
                throw e;
            }
        }

        private void assertOnlyTheLeaderConnected() {
            assertThat(follower.isRouteStarted()).as("the follower's route runs").isFalse();
            assertThat(follower.postgresLink.connections()).as("connections the follower opened to PostgreSQL")
                    .isZero();
            assertThat(follower.consumerState().serverVersion()).as("server the follower's consumer ever connected to")
                    .isNull();
            assertThat(slot.server.queryString("postgres",
                    "SELECT string_agg(r.application_name, ',') FROM pg_stat_replication r"
                    + " JOIN pg_replication_slots s ON s.active_pid = r.pid WHERE s.slot_name = ?", slot.slot))
                    .as("walsenders on the slot").isEqualTo("pgrepl-" + leader.name);
        }

        @Override
        public void close() throws Exception {
            closeAll(writer, b, a);
        }

        private static void closeAll(AutoCloseable... resources) throws Exception {
            for (AutoCloseable r : resources) {
                if (r != null) {
                    r.close();
                }
            }
        }
    }

    /** Stops writing, then every row written before, during and after the handover has arrived in commit order. */
    private static void assertEveryRowArrives(Writer writer, Node oldLeader, Node newLeader) throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(() -> newLeader.ids().size() >= ROUTE_ROWS);
        int last = writer.stop();
        await().atMost(Duration.ofSeconds(10)).until(() -> newLeader.highest() >= last);

        List<Integer> before = oldLeader.ids();
        List<Integer> after = newLeader.ids();
        assertThat(before).as("the old leader's rows: commit order, none twice").isSorted().doesNotHaveDuplicates();
        assertThat(after).as("the new leader's rows: commit order, none twice").isSorted().doesNotHaveDuplicates();
        Set<Integer> all = new HashSet<>(before);
        all.addAll(after);
        assertThat(all).as("rows that arrived, of 1..%d written", last)
                .isEqualTo(IntStream.rangeClosed(1, last).boxed().collect(Collectors.toSet()));
        Set<Integer> again = new HashSet<>(before);
        again.retainAll(after);
        System.out.printf("%d rows; %d through the old leader, %d through the new one, %d of them again%n", last,
                before.size(), after.size(), again.size());
    }

    private static int activePid(SlotFixture f) {
        return (int) f.server.queryLong("postgres",
                "SELECT coalesce(active_pid, 0) FROM pg_replication_slots WHERE slot_name = ?", f.slot);
    }

    /** One "machine": a Camel context whose only ways out are its own links to ZooKeeper and PostgreSQL. */
    private static final class Node implements AutoCloseable {
        final String name;
        final NetworkLink zooKeeperLink;
        final NetworkLink postgresLink;
        final CamelContext context;
        private final List<Integer> ids = new ArrayList<>();
        private final AtomicLong firstArrival = new AtomicLong();

        Node(String name, SlotFixture f) throws Exception {
            this.name = name;
            PostgresServer server = f.server;
            this.zooKeeperLink = NetworkLink.to("127.0.0.1", zooKeeper.getPort());
            this.postgresLink = NetworkLink.to(server.host(), server.port());
            ZooKeeperClusterService cluster = new ZooKeeperClusterService();
            cluster.setId(name);
            cluster.setNodes(zooKeeperLink.address());
            cluster.setBasePath("/camel/pgrepl");
            cluster.setSessionTimeout(SESSION_TIMEOUT.toMillis());
            cluster.setConnectTimeout(SESSION_TIMEOUT.toMillis()); // Curator warns when it exceeds the session timeout
            context = new DefaultCamelContext();
            context.getCamelContextExtension().setName(name);
            context.addService(cluster);
            String uri = "pgrepl:" + f.slot + "?publication=" + f.publication + "&host=" + server.host() + "&port="
                         + postgresLink.port() + "&database=" + f.database + "&user=" + TestUsers.SUPERUSER
                         + "&sslMode=disable&applicationName=pgrepl-" + name
                         + "&statusInterval=1s&reconnectDelay=100ms&reconnectMaxDelay=500ms&shutdownTimeout=1s";
            ClusteredRoutePolicy policy = ClusteredRoutePolicy.forNamespace(f.slot);
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from(uri).routeId("cdc").routePolicy(policy).process(e -> {
                        if (e.getMessage().getBody() instanceof RowChange row) {
                            arrived((Integer) row.after().get("id"));
                        }
                    });
                }
            });
            context.start();
        }

        /** Like a killed process: see {@link NetworkLink#crash()}. */
        void crash() {
            zooKeeperLink.crash();
            postgresLink.crash();
        }

        /** Like a hung or cut-off machine: see {@link NetworkLink#hang()}. */
        void hang() {
            zooKeeperLink.hang();
            postgresLink.hang();
        }

        private synchronized void arrived(int id) {
            ids.add(id);
            firstArrival.compareAndSet(0, System.nanoTime());
        }

        synchronized List<Integer> ids() {
            return List.copyOf(ids);
        }

        synchronized int highest() {
            return ids.isEmpty() ? 0 : ids.get(ids.size() - 1);
        }

        /** When the first row arrived (System.nanoTime), 0 before. */
        long firstArrival() {
            return firstArrival.get();
        }

        boolean isRouteStarted() {
            return context.getRouteController().getRouteStatus("cdc").isStarted();
        }

        PgReplConsumerState consumerState() {
            return ((PgReplConsumer) context.getRoute("cdc").getConsumer()).snapshot();
        }

        @Override
        public void close() throws Exception {
            context.close();
            zooKeeperLink.close();
            postgresLink.close();
        }
    }

    /** Commits one row {@code (id, 'row')} every {@value #WRITE_EVERY_MILLIS} ms, ids 1, 2, 3, ... in commit order. */
    private static final class Writer implements AutoCloseable {
        private final Connection connection;
        private final PreparedStatement insert;
        private final ScheduledExecutorService pace = Executors.newSingleThreadScheduledExecutor();
        private final AtomicInteger last = new AtomicInteger();
        private final AtomicReference<Exception> failure = new AtomicReference<>();

        private Writer(SlotFixture f) throws SQLException {
            connection = f.server.connect(f.database);
            insert = connection.prepareStatement("INSERT INTO " + f.table + " VALUES (?, 'row')");
            pace.scheduleAtFixedRate(this::writeOne, 0, WRITE_EVERY_MILLIS, TimeUnit.MILLISECONDS);
        }

        static Writer start(SlotFixture f) throws SQLException {
            return new Writer(f);
        }

        private void writeOne() {
            try {
                insert.setInt(1, last.get() + 1);
                insert.executeUpdate();
                last.incrementAndGet();
            } catch (SQLException e) {
                failure.compareAndSet(null, e);
                throw new IllegalStateException(e); // ends the schedule
            }
        }

        /** Stops writing; returns the last id committed. */
        int stop() throws Exception {
            pace.shutdown();
            assertThat(pace.awaitTermination(10, TimeUnit.SECONDS)).as("writer stopped").isTrue();
            assertThat(failure.get()).as("the writer's failure").isNull();
            return last.get();
        }

        @Override
        public void close() throws Exception {
            pace.shutdownNow();
            connection.close();
        }
    }
}

