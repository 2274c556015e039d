package io.camelpgrepl.client.wire;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.util.Random;

import com.code_intelligence.jazzer.junit.FuzzTest;

import io.camelpgrepl.client.Allocation;
import io.camelpgrepl.client.ProtocolException;

/**
 * Coverage-guided fuzzing of the framing and of the startup/query message parsers on top of it: whatever bytes a
 * peer sends, in whatever pieces and with wake-ups between them, the reader returns frames within
 * {@code maxMessageSize}, reports the end of the stream, or raises a {@link ProtocolException}; it never allocates
 * more than the limit and never loops. Seeds: {@code FrameReaderFuzzTestInputs/} (real startup and query replies).
 */
class FrameReaderFuzzTest {

    private static final int MAX_MESSAGE = 4096;

    /**
     * Input: byte 0 seeds how the rest is cut into reads and wake-ups; bit 0 of byte 1 puts the reader under the
     * pre-authentication limit; the rest is what the server sends.
     */
    @FuzzTest
    void hostileBytesGiveFramesEndOfStreamOrAProtocolError(byte[] input) throws Exception {
        if (input.length < 2) {
            return;
        }
        assertThat(Allocation.ofSecondRun(() -> read(input))).as("allocation stays proportional to the input")
                .isLessThanOrEqualTo(200_000L + 16L * input.length);
    }

    private static void read(byte[] input) throws IOException {
        byte[] wire = java.util.Arrays.copyOfRange(input, 2, input.length);
        FrameReader reader = new FrameReader(new ChoppedStream(wire, input[0]), MAX_MESSAGE, 16);
        if ((input[1] & 1) != 0) {
            reader.limit(1000, "fuzzed startup limit");
        }
        int frames = 0;
        try {
            // every read either makes progress or is a single wake-up, so this ends at the end of the input
            while (true) {
                Frame f = reader.next();
                if (f != null) {
                    frames++;
                    assertThat(f.body().length).as("frame body within maxMessageSize").isLessThanOrEqualTo(MAX_MESSAGE);
                    parseAsTheClientWould(f);
                }
            }
        } catch (EOFException endOfInput) {
            // the peer closed the connection: a clean outcome
        } catch (ProtocolException typed) {
            assertThat(typed.getMessage()).as("a protocol error says what went wrong").isNotBlank();
        }
        assertThat(reader.capacity()).as("the buffer never outgrows one frame of maxMessageSize (%d frames read)",
                frames).isLessThanOrEqualTo(MAX_MESSAGE + 5);
    }

    private static void parseAsTheClientWould(Frame f) {
        switch (f.type()) {
            case 'E':
            case 'N':
                BackendMessages.serverError(f).describe();
                break;
            case 'S':
                BackendMessages.parameterStatus(f);
                break;
            case 'D':
                BackendMessages.dataRow(f);
                break;
            case 'T':
                BackendMessages.rowDescription(f);
                break;
            default:
                break;
        }
    }

    /** Returns the bytes in pieces of 1..64, with a wake-up (a read timeout) now and then, never twice in a row. */
    private static final class ChoppedStream extends InputStream {
        private final byte[] data;
        private final Random random;
        private int pos;
        private boolean wokeUp;

        ChoppedStream(byte[] data, long seed) {
            this.data = data;
            this.random = new Random(seed);
        }

        @Override
        public int read() {
            throw new UnsupportedOperationException();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (!wokeUp && random.nextInt(4) == 0) {
                wokeUp = true;
                throw new SocketTimeoutException("wake-up");
            }
            wokeUp = false;
            if (pos == data.length) {
                return -1;
            }
            int n = Math.min(len, Math.min(data.length - pos, 1 + random.nextInt(64)));
            System.arraycopy(data, pos, b, off, n);
            pos += n;
            return n;
        }
    }
}
