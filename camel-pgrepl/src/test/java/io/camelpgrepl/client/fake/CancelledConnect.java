package io.camelpgrepl.client.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import io.camelpgrepl.client.ConnectAttempt;
import io.camelpgrepl.client.ConnectionException;
import io.camelpgrepl.client.ReplicationClient;
import io.camelpgrepl.client.ReplicationConfig;

/** A connect to a fake server that logs in and then never answers its first query, cancelled while it waits. */
final class CancelledConnect {

    private CancelledConnect() {
    }

    /**
     * Connects with {@code config} (connectTimeout 5 minutes) to a server that stalls on its first query, cancels the
     * attempt once that query arrived, and asserts the connect ends within seconds as cancelled.
     *
     * @param reached what the first query shows the connect reached, for the assertion's description
     */
    static void assertCancelEndsIt(Function<FakePgServer, ReplicationConfig.Builder> config, String reached)
            throws Exception {
        CountDownLatch queried = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (FakePgServer server = new FakePgServer(s -> {
            s.readStartup();
            s.acceptLogin("16.4");
            s.readQuery();
            queried.countDown();
            release.await();
        })) {
            ConnectAttempt attempt = new ConnectAttempt();
            CompletableFuture<ReplicationClient> connect = CompletableFuture.supplyAsync(() -> ReplicationClient.connect(
                    config.apply(server).connectTimeout(Duration.ofMinutes(5)).build(), attempt));
            assertThat(queried.await(10, TimeUnit.SECONDS)).as(reached).isTrue();

            attempt.cancel();

            assertThatThrownBy(() -> connect.get(5, TimeUnit.SECONDS)).as("ends within seconds, not connectTimeout")
                    .hasCauseInstanceOf(ConnectionException.class).hasMessageContaining("cancelled");
        } finally {
            release.countDown();
        }
    }
}
