package io.camelpgrepl.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class EventBufferTest {

    private static final long MIB = 1 << 20;

    @Test
    void largeMessagesFillTheBufferByTheirBytesLongBeforeItsEventCount() throws Exception {
        EventBuffer buffer = new EventBuffer(8192, 4 * MIB);
        AtomicInteger handedOver = new AtomicInteger();
        Thread reader = new Thread(() -> {
            try {
                for (int i = 0; i < 100; i++) {
                    buffer.putAll(new ArrayList<>(List.of("row " + i)), MIB);
                    handedOver.incrementAndGet();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        reader.start();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> buffer.stalls() > 0);
            assertThat(handedOver.get()).as("1 MiB rows buffered at most 4 MiB's worth").isEqualTo(4);
            for (int i = 0; i < 100; i++) {
                assertThat(buffer.take(Duration.ofSeconds(10).toNanos())).isEqualTo("row " + i);
            }
        } finally {
            reader.interrupt();
            reader.join();
        }
        assertThat(handedOver.get()).as("taking them lets the reader go on").isEqualTo(100);
    }

    @Test
    void aBatchLargerThanTheByteBoundStillPassesAlone() throws Exception {
        EventBuffer buffer = new EventBuffer(8192, MIB);
        buffer.putAll(new ArrayList<>(List.of("huge")), 64 * MIB);
        assertThat(buffer.take(0)).isEqualTo("huge");
        assertThat(buffer.stalls()).isZero();
    }
}
