package io.camelpgrepl.client;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every option with a fixed set of values parses the same way: the documented spelling, in any case. */
class OptionValuesTest {

    @Test
    void documentedSpellingsParseInAnyCaseAndPrintBackAsWritten() {
        assertThat(SslMode.parse(" VERIFY-full ")).isEqualTo(SslMode.VERIFY_FULL);
        assertThat(SslMode.parse("verify_ca")).as("the constant's name works too").isEqualTo(SslMode.VERIFY_CA);
        assertThat(SslNegotiation.parse("Direct")).isEqualTo(SslNegotiation.DIRECT);
        assertThat(ChannelBinding.parse("REQUIRE")).isEqualTo(ChannelBinding.REQUIRE);
        assertThat(StreamingMode.parse("Parallel")).isEqualTo(StreamingMode.PARALLEL);
        assertThat(Origin.parse("NONE")).isEqualTo(Origin.NONE);
        assertThat(AuthMethod.parse("SCRAM-SHA-256")).isEqualTo(AuthMethod.SCRAM_SHA_256);

        assertThat(SslMode.VERIFY_FULL).hasToString("verify-full");
        assertThat(StreamingMode.OFF).hasToString("off");
        assertThat(Origin.ANY.optionValue()).isEqualTo("any");
    }

    @Test
    void streamingReadsTrueAndFalseAsOnAndOff() {
        assertThat(StreamingMode.parse("false")).isEqualTo(StreamingMode.OFF);
        assertThat(StreamingMode.parse("TRUE")).isEqualTo(StreamingMode.ON);
    }

    @Test
    void anUnknownValueIsAnErrorNamingTheOptionAndItsValues() {
        assertThatThrownBy(() -> SslMode.parse("sometimes")).isInstanceOf(ConfigurationException.class)
                .hasMessage("sslMode 'sometimes' is not one of disable, allow, prefer, require, verify-ca, verify-full");
        assertThatThrownBy(() -> Origin.parse("local")).isInstanceOf(ConfigurationException.class)
                .hasMessage("origin 'local' is not one of none, any");
        assertThatThrownBy(() -> StreamingMode.parse("maybe")).isInstanceOf(ConfigurationException.class)
                .hasMessage("streaming 'maybe' is not one of off, on, parallel");
    }

    @Test
    void originIsSentAsPgoutputSpellsIt() {
        ReplicationConfig.Builder b = ReplicationConfig.builder().slot("s").publication("p");

        assertThat(b.origin(Origin.NONE).build().origin()).isEqualTo("none");
        assertThat(b.origin("ANY").build().origin()).isEqualTo("any");
        assertThat(b.origin(" ").build().origin()).as("blank leaves the server default").isNull();
    }

    @Test
    void defaultDurationsReadAsWritten() {
        assertThat(ReplicationDefaults.duration(ReplicationDefaults.READ_COALESCE)).isEqualTo(Duration.ofMillis(2));
        assertThat(ReplicationDefaults.duration(ReplicationDefaults.STATUS_INTERVAL)).isEqualTo(Duration.ofSeconds(10));
        assertThat(ReplicationDefaults.duration("5m")).isEqualTo(Duration.ofMinutes(5));
    }
}
