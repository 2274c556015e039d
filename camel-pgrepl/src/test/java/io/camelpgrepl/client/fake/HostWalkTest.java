package io.camelpgrepl.client.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;

import io.camelpgrepl.client.AllHostsFailedException;
import io.camelpgrepl.client.ConnectAttempt;
import io.camelpgrepl.client.ReplicationClient;
import io.camelpgrepl.client.ReplicationConfig;
import io.camelpgrepl.client.SslMode;
import io.camelpgrepl.client.TargetSessionAttrs;

/** The walk over a host list runs under the connect's {@link ConnectAttempt}: bounded, and cancellable. */
class HostWalkTest {

    /** A stalling fake server first, then a host nothing listens on; read-write asks each server a question. */
    private static ReplicationConfig.Builder stallingThenDead(FakePgServer server) {
        return ReplicationConfig.builder().host("127.0.0.1,127.0.0.1").port(server.port() + ",1").user("u")
                .slot("s").publication("p").sslMode(SslMode.DISABLE)
                .targetSessionAttrs(TargetSessionAttrs.READ_WRITE);
    }

    @Test
    void aHostThatStallsInTheTargetCheckIsPassedOverWithinConnectTimeoutAndItsReasonKept() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (FakePgServer server = new FakePgServer(s -> {
            s.readStartup();
            s.acceptLogin("16.4");
            s.readQuery(); // SHOW transaction_read_only, never answered
            release.await();
        })) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> ReplicationClient.connect(stallingThenDead(server)
                    .connectTimeout(Duration.ofMillis(500)).build()))
                    .isInstanceOf(AllHostsFailedException.class)
                    .hasMessageContaining("127.0.0.1:" + server.port() + ": the targetSessionAttrs check of 127.0.0.1:"
                            + server.port() + " did not complete within connectTimeout=PT0.5S")
                    .hasMessageContaining("127.0.0.1:1: ")
                    .matches(e -> ((AllHostsFailedException) e).isTransient(), "transient");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("the walk is bounded by connectTimeout per host")
                    .isLessThan(Duration.ofSeconds(5));
        } finally {
            release.countDown();
        }
    }

    @Test
    void cancellingDuringTheWalkEndsTheConnectInsteadOfTryingTheNextHost() throws Exception {
        CancelledConnect.assertCancelEndsIt(HostWalkTest::stallingThenDead, "the walk reached the first host's check");
    }
}
