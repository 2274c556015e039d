package io.camelpgrepl.client.fake;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;

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

    private static void identifyAndTimeout(FakePgServer.Session s) throws java.io.IOException {
        s.readQuery();
        s.rows(List.of("systemid", "timeline", "xlogpos", "dbname"),
                List.of(List.of("7000000000000000001", "1", "0/1000000", "postgres")));
        s.readQuery();
        s.rows(List.of("setting"), List.of(List.of("60000")));
    }

    @Test
    void decodingOnAStandbyWithoutHotStandbyFeedbackIsAPermanentErrorSayingToTurnItOn() throws Exception {
        try (FakePgServer server = new FakePgServer(s -> {
            s.readStartup();
            s.acceptLogin("17.2", true);
            identifyAndTimeout(s);
            s.readQuery(); // SHOW hot_standby_feedback
            s.rows(List.of("hot_standby_feedback"), List.of(List.of("off")));
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
            identifyAndTimeout(s);
            s.readQuery(); // SHOW hot_standby_feedback
            s.rows(List.of("hot_standby_feedback"), List.of(List.of("on")));
            s.readQuery(); // the slot
            s.rows(List.of("plugin", "database", "confirmed_flush_lsn", "failover", "synced"),
                    List.of(List.of("pgoutput", "postgres", "0/1000000", "t", "t")));
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
