package io.camelpgrepl.pgoutput;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.Map;

import com.code_intelligence.jazzer.junit.FuzzTest;

import io.camelpgrepl.client.Allocation;
import io.camelpgrepl.client.Lsn;
import io.camelpgrepl.client.StreamingMode;

/**
 * Coverage-guided fuzzing of the pgoutput pipeline with sequences of messages through one {@link ChangeStream}, so
 * that state (relations, open and streamed transactions) carries from message to message: every message either
 * becomes an event whose row values can all be used, or raises a {@link PgOutputException}; nothing else escapes,
 * and decoding allocates in proportion to the input. Seeds: {@code PgOutputStreamFuzzTestInputs/}, streams
 * captured from real servers by {@code PgOutputSeedCapture}.
 */
class PgOutputStreamFuzzTest {

    /**
     * Input: byte 0 bits 0-1 protocol version - 1, bits 2-3 streaming (off, on, parallel); then messages, each a
     * 2-byte big-endian length and that many bytes of pgoutput.
     */
    @FuzzTest
    void messageSequencesDecodeOrFailTyped(byte[] input) throws Exception {
        if (input.length < 1) {
            return;
        }
        assertThat(Allocation.ofSecondRun(() -> decode(input))).as("allocation stays proportional to the input")
                .isLessThanOrEqualTo(1_000_000L + 64L * input.length);
    }

    private static void decode(byte[] input) {
        int proto = 1 + (input[0] & 3);
        StreamingMode streaming = StreamingMode.values()[Math.min((input[0] >> 2) & 3, 2)];
        ChangeStream stream = new ChangeStream(proto, streaming);
        ByteBuffer in = ByteBuffer.wrap(input, 1, input.length - 1);
        long lsn = 0x1000;
        try {
            while (in.remaining() >= 2) {
                int len = Math.min(in.getShort() & 0xFFFF, in.remaining());
                ByteBuffer message = in.slice().limit(len);
                in.position(in.position() + len);
                use(stream.accept(message, Lsn.of(lsn++)));
            }
        } catch (PgOutputException typed) {
            assertThat(typed.getMessage()).as("the error names what failed").isNotBlank();
        }
    }

    /** Touches every value, as a route that converts the body would. */
    private static void use(ChangeEvent event) {
        String.valueOf(event);
        if (event instanceof RowChange row) {
            use(row.before());
            use(row.after());
        }
    }

    private static void use(Object value) {
        if (value instanceof Map<?, ?> map) {
            map.values().forEach(PgOutputStreamFuzzTest::use);
        } else if (value instanceof Collection<?> list) {
            list.forEach(PgOutputStreamFuzzTest::use);
        } else if (!(value instanceof byte[])) {
            String.valueOf(value);
        }
    }
}
