package io.camelpgrepl.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

class LsnTest {

    @ParameterizedTest(name = "{0} prints as {1}")
    @CsvSource({
        "0, 0/0",
        "23817296, 0/16B6C50",
        "97500059720, 16/B374D848",
        "-1, FFFFFFFF/FFFFFFFF",
        "4294967296, 1/0"
    })
    void printsLikePostgres(long raw, String text) {
        assertThat(Lsn.of(raw).toString()).as("text form of %d", raw).isEqualTo(text);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "16/B374D848, 97500059720",
        "00000016/B374D848, 97500059720",
        "0/016b6c50, 23817296",
        "FFFFFFFF/FFFFFFFF, -1",
        "' 1/0 ', 4294967296"
    })
    void parsesPaddedAndUnpadded(String text, long raw) {
        assertThat(Lsn.parse(text).asLong()).as("value of %s", text).isEqualTo(raw);
    }

    @ParameterizedTest(name = "rejects ''{0}''")
    @ValueSource(strings = {"", "/", "1/", "/1", "1", "1/2/3", "123456789/0", "0/123456789", "G/0", "-1/0", "0x1/0"})
    void rejectsMalformedText(String text) {
        assertThatThrownBy(() -> Lsn.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'" + text + "'");
    }

    @Test
    void ordersUnsigned() {
        Lsn high = Lsn.parse("FFFFFFFF/0");
        Lsn low = Lsn.parse("7FFFFFFF/FFFFFFFF");
        assertThat(high).as("high half above 2^63 sorts after").isGreaterThan(low);
        assertThat(high.isAfter(low)).isTrue();
        assertThat(low.isBefore(high)).isTrue();
        assertThat(Lsn.max(low, high)).isEqualTo(high);
    }

    @Test
    void differenceIsInBytes() {
        Lsn a = Lsn.parse("1/0");
        Lsn b = Lsn.parse("0/FFFFFF00");
        assertThat(a.bytesSince(b)).isEqualTo(256);
        assertThat(b.plus(256)).isEqualTo(a);
        assertThat(Lsn.INVALID.isValid()).isFalse();
    }

    @Property
    void textRoundTrips(@ForAll long raw) {
        Lsn lsn = Lsn.of(raw);
        assertThat(Lsn.parse(lsn.toString())).as("round trip of %s", lsn).isEqualTo(lsn);
    }
}
