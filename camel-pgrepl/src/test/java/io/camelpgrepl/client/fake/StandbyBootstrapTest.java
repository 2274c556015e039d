package io.camelpgrepl.client.fake;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.camelpgrepl.client.AllHostsFailedException;
import io.camelpgrepl.client.ConfigurationException;
import io.camelpgrepl.client.ReplicationClient;
import io.camelpgrepl.client.ReplicationConfig;
import io.camelpgrepl.client.SlotNotReadyException;
import io.camelpgrepl.client.SslMode;
import io.camelpgrepl.client.TargetSessionAttrs;

/** What the client checks on a hot standby before streaming, against a scripted server. */
class StandbyBootstrapTest {

    private static ReplicationConfig.Builder config(FakePgServer server) {
        return ReplicationConfig.builder().host("127.0.0.1").port(server.port()).user("u").slot("s").publication("p")
                .sslMode(SslMode.DISABLE).connectTimeout(Duration.ofSeconds(5));
    }

    @Test
    void decodingOnAStandbyWithoutHotStandbyFeedbackIsAPermanentErrorSayingToTurnItOn() throws Exception {
        try (FakePgServer server = new FakePgServer(s -> {
            s.readStartup();
            s.acceptLogin("17.2", true);
            s.readQuery();
            s.identifySystem();
            s.readQuery();
            s.setupChecks("off");
            s.readMessage(); // Terminate
        })) {
            assertThatThrownBy(() -> ReplicationClient.connect(config(server)
                    .targetSessionAttrs(TargetSessionAttrs.STANDBY).build()))
                    .isInstanceOf(ConfigurationException.class)
                    .hasMessageContaining("hot_standby_feedback = on")
                    .matches(e -> !((ConfigurationException) e).isTransient(), "permanent");
        }
    }

    @Test
    void aFailoverSlotStillBeingSynchronisedToAStandbyIsATransientWait() throws Exception {
        try (FakePgServer server = new FakePgServer(s -> {
            s.readStartup();
            s.acceptLogin("17.2", true);
            s.answerUntilSlotQuery();
            s.slot("0/1000000", "t", "t");
            s.readMessage(); // Terminate
        })) {
            assertThatThrownBy(() -> ReplicationClient.connect(config(server).build()))
                    .isInstanceOf(SlotNotReadyException.class)
                    .hasMessageContaining("being synchronised from the primary")
                    .matches(e -> ((SlotNotReadyException) e).isTransient(), "transient");
        }
    }

    @Test
    void aStandbyIsPassedOverWhenAPrimaryIsWantedAndTheReasonIsKept() throws Exception {
        try (FakePgServer server = new FakePgServer(s -> {
            s.readStartup();
            s.acceptLogin("17.2", true);
            s.readMessage(); // Terminate
        })) {
            assertThatThrownBy(() -> ReplicationClient.connect(config(server).host("127.0.0.1,127.0.0.1")
                    .port(server.port() + ",1").targetSessionAttrs(TargetSessionAttrs.PRIMARY).build()))
                    .isInstanceOf(AllHostsFailedException.class)
                    .hasMessageContaining("127.0.0.1:" + server.port() + ": server is a standby (in recovery),"
                            + " targetSessionAttrs=primary wants a primary")
                    .hasMessageContaining("127.0.0.1:1: Cannot connect")
                    .matches(e -> ((AllHostsFailedException) e).isTransient(), "transient: a promotion may follow");
        }
    }
}
