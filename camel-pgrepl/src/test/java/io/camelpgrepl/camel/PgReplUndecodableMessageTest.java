package io.camelpgrepl.camel;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import io.camelpgrepl.client.Lsn;
import io.camelpgrepl.client.fake.FakePgServer;
import io.camelpgrepl.client.wire.StandbyStatusUpdate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A message the consumer cannot decode goes through failurePolicy and gives its flow-control permit back. Only a
 * scripted server sends one: a row change for a relation it never described.
 */
class PgReplUndecodableMessageTest extends CamelTestSupport {

    private final AtomicReference<FakePgServer.Session> session = new AtomicReference<>();

    private FakePgServer serverSendingAnUndescribedRow() throws Exception {
        return new FakePgServer(s -> {
            session.set(s);
            s.readStartup();
            s.acceptLogin("16.4");
            s.acceptUntilStreaming();
            s.xlogData(0x100, 0x100, ByteBuffer.allocate(21).put((byte) 'B').putLong(0x180).putLong(0).putInt(7)
                    .array());
            s.xlogData(0x110, 0x110, new byte[] {'I', 0, 0, 0, 1, 'N', 0, 0}); // relation 1: never described
            s.xlogData(0x190, 0x190, ByteBuffer.allocate(26).put((byte) 'C').put((byte) 0).putLong(0x180)
                    .putLong(0x190).putLong(0).array());
            s.collectFeedback();
        });
    }

    private void route(FakePgServer server, String options) throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("pgrepl:s?publication=p&host=127.0.0.1&port=" + server.port() + "&user=u&sslMode=disable"
                     + "&statusInterval=100ms&ackIdleKeepalive=false&" + options).routeId("undecodable")
                        .to("mock:rows");
            }
        });
    }

    private PgReplConsumerState state() {
        return ((PgReplConsumer) context.getRoute("undecodable").getConsumer()).snapshot();
    }

    @Test
    void underSkipAnUndecodableMessageIsDroppedAndItsTransactionStillAcknowledged() throws Exception {
        try (FakePgServer server = serverSendingAnUndescribedRow()) {
            route(server, "failurePolicy=skip");

            await().atMost(Duration.ofSeconds(20)).until(() -> session.get() != null);
            Lsn flush = Lsn.INVALID;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!flush.equals(Lsn.of(0x190)) && System.nanoTime() < deadline) {
                StandbyStatusUpdate u = session.get().statusUpdates.poll(1, TimeUnit.SECONDS);
                flush = u != null ? u.flush() : flush;
            }
            assertThat(flush).as("acknowledged at the transaction's end past the dropped message")
                    .isEqualTo(Lsn.of(0x190));
            assertThat(state().state()).isEqualTo(PgReplConsumerState.State.STREAMING);
            assertThat(getMockEndpoint("mock:rows").getReceivedCounter()).as("nothing made of it").isZero();
        }
    }

    @Test
    void underStopAnUndecodableMessageFailsTheConsumerWithoutWaitingForItsPermit() throws Exception {
        try (FakePgServer server = serverSendingAnUndescribedRow()) {
            route(server, "failurePolicy=stop&shutdownTimeout=60s");

            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(state().state())
                    .as("failed well within shutdownTimeout").isEqualTo(PgReplConsumerState.State.FAILED));
            assertThat(state().lastError()).contains("Insert");
        }
    }
}
