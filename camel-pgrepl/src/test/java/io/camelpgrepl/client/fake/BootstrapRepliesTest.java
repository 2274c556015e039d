package io.camelpgrepl.client.fake;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.camelpgrepl.client.ProtocolException;
import io.camelpgrepl.client.ReplicationClient;
import io.camelpgrepl.client.ReplicationConfig;
import io.camelpgrepl.client.SslMode;

/** A server whose setup replies have the wrong shape fails connect with a typed protocol error naming the command. */
class BootstrapRepliesTest {

    private static ReplicationConfig config(FakePgServer server) {
        return ReplicationConfig.builder().host("127.0.0.1").port(server.port()).user("u").database("postgres")
                .slot("s").publication("p").sslMode(SslMode.PREFER).connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static FakePgServer answeringIdentifySystem(List<String> columns, List<String> row) throws Exception {
        return new FakePgServer(s -> {
            s.readStartup();
            s.acceptLogin("16.4");
            s.readQuery();
            s.rows(columns, List.of(row));
            s.readMessage(); // Terminate
        });
    }

    @Test
    void identifySystemWithoutItsDatabaseColumnIsAProtocolError() throws Exception {
        try (FakePgServer server = answeringIdentifySystem(List.of("systemid", "timeline", "xlogpos"),
                List.of("7000000000000000001", "1", "0/1000000"))) {
            assertThatThrownBy(() -> ReplicationClient.connect(config(server)))
                    .as("3 columns").isInstanceOf(ProtocolException.class)
                    .hasMessage("IDENTIFY_SYSTEM returned 3 columns, expected 4");
        }
    }

    @Test
    void identifySystemWithAnUnparsableTimelineOrPositionIsAProtocolError() throws Exception {
        List<String> columns = List.of("systemid", "timeline", "xlogpos", "dbname");
        try (FakePgServer server = answeringIdentifySystem(columns,
                List.of("7000000000000000001", "one", "0/1000000", "postgres"))) {
            assertThatThrownBy(() -> ReplicationClient.connect(config(server)))
                    .as("timeline").isInstanceOf(ProtocolException.class)
                    .hasMessage("IDENTIFY_SYSTEM timeline returned 'one', not a number");
        }
        try (FakePgServer server = answeringIdentifySystem(columns,
                Arrays.asList("7000000000000000001", "1", "nowhere", null))) {
            assertThatThrownBy(() -> ReplicationClient.connect(config(server)))
                    .as("xlogpos").isInstanceOf(ProtocolException.class)
                    .hasMessage("IDENTIFY_SYSTEM xlogpos returned 'nowhere', not an LSN");
        }
    }

    @Test
    void slotQueryWithAnUnparsableConfirmedFlushLsnIsAProtocolError() throws Exception {
        try (FakePgServer server = new FakePgServer(s -> {
            s.readStartup();
            s.acceptLogin("16.4");
            s.answerUntilSlotQuery();
            s.slot("0/zz");
            s.readMessage(); // Terminate
        })) {
            assertThatThrownBy(() -> ReplicationClient.connect(config(server)))
                    .as("confirmed_flush_lsn").isInstanceOf(ProtocolException.class)
                    .hasMessage("slot query for 's' confirmed_flush_lsn returned '0/zz', not an LSN");
        }
    }
}
