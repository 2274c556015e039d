package io.camelpgrepl.camel;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.camelpgrepl.client.Lsn;
import io.camelpgrepl.fixture.SlotFixture;
import io.camelpgrepl.testing.PostgresExtension;
import io.camelpgrepl.testing.PostgresServer;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Rows that reach the route before their transaction is decided — streamed in-progress transactions
 * ({@code streaming=on}) and prepared ones ({@code twoPhase=true}) — are marked {@code CamelPgReplUncommitted} and
 * are always followed by their outcome as an exchange, without {@code includeTransactionEvents}.
 */
class PgReplUncommittedIT extends CamelTestSupport {

    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.create().withOptions(PostgresServer.Options.builder()
            .setting("logical_decoding_work_mem", "'64kB'").setting("max_prepared_transactions", "10").build());

    /** What the route saw: message type, uncommitted flag, xid, commit LSN, and the row's id for a row change. */
    record Seen(String type, Boolean uncommitted, Long xid, Lsn commitLsn, Object id) {
    }

    private final List<Seen> seen = new CopyOnWriteArrayList<>();

    private void route(String uri) throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId("uncommitted").process(this::record);
            }

            private void record(Exchange e) {
                Message m = e.getMessage();
                Object id = null;
                if (m.getHeader(PgReplConstants.OPERATION) != null) {
                    id = ((Map<?, ?>) m.getBody(Map.class).get("after")).get("id");
                }
                seen.add(new Seen(m.getHeader(PgReplConstants.MESSAGE_TYPE, String.class),
                        m.getHeader(PgReplConstants.UNCOMMITTED, Boolean.class),
                        m.getHeader(PgReplConstants.XID, Long.class),
                        m.getHeader(PgReplConstants.COMMIT_LSN, Lsn.class), id));
            }
        });
    }

    private long rowsOf(String type, Boolean uncommitted) {
        return seen.stream().filter(s -> s.type().equals(type) && uncommitted.equals(s.uncommitted())).count();
    }

    /** Inserts rows {@code from..to} with 250 bytes each: 400 rows are more than logical_decoding_work_mem. */
    private static String bigInsert(int from, int to) {
        return "INSERT INTO items SELECT g, repeat('x', 250) FROM generate_series(" + from + ", " + to + ") g";
    }

    @Test
    void streamedRowsAreMarkedUncommittedAndTheirAbortOrCommitFollows() throws Exception {
        SlotFixture f = SlotFixture.create(PG.server(), "uncommitted_stream");
        route(f.uri() + "&streaming=on&statusInterval=200ms&reconnectDelay=100ms");

        try (Connection c = PG.server().connect(f.database); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            st.execute(bigInsert(1, 2000));
            // PostgreSQL 16+ sends nothing of a transaction it already knows is aborted: roll back once rows arrived
            await().atMost(Duration.ofSeconds(20)).until(() -> rowsOf("INSERT", true) > 0);
            c.rollback();
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> seen.stream().anyMatch(s -> s.type().equals("STREAM_ABORT")));
        Seen abort = seen.stream().filter(s -> s.type().equals("STREAM_ABORT")).findFirst().orElseThrow();
        assertThat(seen.stream().filter(s -> s.type().equals("INSERT")))
                .as("every row of the aborted transaction was sent as uncommitted, in its transaction")
                .allSatisfy(s -> assertThat(s).extracting(Seen::uncommitted, Seen::xid).containsExactly(true, abort.xid()));
        seen.clear();

        PG.server().execute(f.database, bigInsert(1, 2000));
        f.insert(5000, "small");
        await().atMost(Duration.ofSeconds(20)).until(() -> rowsOf("INSERT", false) == 1);

        assertThat(rowsOf("INSERT", true)).as("the big transaction's rows, streamed before its commit").isEqualTo(2000);
        assertThat(seen).filteredOn(s -> !s.type().equals("INSERT")).extracting(Seen::type)
                .as("only the outcome of the streamed transaction; regular Begin/Commit need includeTransactionEvents")
                .containsExactly("STREAM_COMMIT");
        int commitAt = seen.indexOf(seen.stream().filter(s -> s.type().equals("STREAM_COMMIT")).findFirst().orElseThrow());
        assertThat(seen.subList(0, commitAt)).as("the streamed rows come before their STREAM_COMMIT")
                .hasSize(2000).allSatisfy(s -> assertThat(s.uncommitted()).isTrue());
        assertThat(seen.get(seen.size() - 1)).as("the small transaction afterwards is an ordinary committed row")
                .extracting(Seen::uncommitted, Seen::id).containsExactly(false, 5000);
        Lsn lastCommit = seen.get(seen.size() - 1).commitLsn();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(f.confirmedFlush())
                .as("acknowledged past the last commit").isGreaterThan(lastCommit));
    }

    @Test
    void preparedRowsAreMarkedUncommittedAndCommitOrRollbackPreparedFollows() throws Exception {
        SlotFixture f = SlotFixture.builder(PG.server(), "uncommitted_2pc").twoPhase().create();
        route(f.uri() + "&twoPhase=true&statusInterval=200ms&reconnectDelay=100ms");
        if (PG.server().majorVersion() < 15) {
            PgReplConsumer consumer = (PgReplConsumer) context.getRoute("uncommitted").getConsumer();
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(consumer.snapshot())
                    .as("pgoutput has two-phase messages from PostgreSQL 15 on: a permanent configuration error")
                    .satisfies(st -> assertThat(st.state()).isEqualTo(PgReplConsumerState.State.FAILED))
                    .satisfies(st -> assertThat(st.lastError()).contains("twoPhase")));
            return;
        }

        PG.server().execute(f.database, "BEGIN", "INSERT INTO items VALUES (1, 'kept')", "PREPARE TRANSACTION 'keep'",
                "COMMIT PREPARED 'keep'");
        PG.server().execute(f.database, "BEGIN", "INSERT INTO items VALUES (2, 'dropped')", "PREPARE TRANSACTION 'drop'",
                "ROLLBACK PREPARED 'drop'");
        f.insert(3, "plain");

        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(seen).as("seen so far").hasSize(7));
        assertThat(seen).extracting(Seen::type, Seen::uncommitted, Seen::id).containsExactly(
                org.assertj.core.groups.Tuple.tuple("INSERT", true, 1),
                org.assertj.core.groups.Tuple.tuple("PREPARE", null, null),
                org.assertj.core.groups.Tuple.tuple("COMMIT_PREPARED", null, null),
                org.assertj.core.groups.Tuple.tuple("INSERT", true, 2),
                org.assertj.core.groups.Tuple.tuple("PREPARE", null, null),
                org.assertj.core.groups.Tuple.tuple("ROLLBACK_PREPARED", null, null),
                org.assertj.core.groups.Tuple.tuple("INSERT", false, 3));
        assertThat(seen.get(0).xid()).as("the prepared rows and their outcome share the xid")
                .isEqualTo(seen.get(1).xid()).isEqualTo(seen.get(2).xid());
    }
}
