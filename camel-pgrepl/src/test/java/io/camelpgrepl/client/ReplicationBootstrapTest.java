package io.camelpgrepl.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Replies of the setup commands are checked for shape: anything else is a typed protocol error. */
class ReplicationBootstrapTest {

    @Test
    void aReplyThatMustHaveOneRowWithWrongRowsOrColumnsIsAProtocolError() {
        assertThatThrownBy(() -> ReplicationBootstrap.singleRow(List.of(), "IDENTIFY_SYSTEM", 4))
                .as("no row").isInstanceOf(ProtocolException.class)
                .hasMessage("IDENTIFY_SYSTEM returned 0 rows, expected 1");
        assertThatThrownBy(() -> ReplicationBootstrap.singleRow(List.of(List.of("1"), List.of("2")),
                "wal_sender_timeout", 1))
                .as("two rows").isInstanceOf(ProtocolException.class)
                .hasMessage("wal_sender_timeout returned 2 rows, expected 1");
        assertThatThrownBy(() -> ReplicationBootstrap.singleRow(List.of(List.of("7", "1", "0/1")),
                "IDENTIFY_SYSTEM", 4))
                .as("three columns").isInstanceOf(ProtocolException.class)
                .hasMessage("IDENTIFY_SYSTEM returned 3 columns, expected 4");
        List<String> row = Arrays.asList("7", "1", "0/1", null);
        assertThat(ReplicationBootstrap.singleRow(List.of(row), "IDENTIFY_SYSTEM", 4)).as("the row").isSameAs(row);
    }

    @Test
    void unparsableNumbersAndLsnsAreProtocolErrors() {
        assertThatThrownBy(() -> ReplicationBootstrap.number("60s", "wal_sender_timeout"))
                .as("not a number").isInstanceOf(ProtocolException.class)
                .hasMessage("wal_sender_timeout returned '60s', not a number");
        assertThatThrownBy(() -> ReplicationBootstrap.number(null, "IDENTIFY_SYSTEM timeline"))
                .as("null").isInstanceOf(ProtocolException.class);
        assertThatThrownBy(() -> ReplicationBootstrap.lsn("16-B374D848", "IDENTIFY_SYSTEM xlogpos"))
                .as("not an LSN").isInstanceOf(ProtocolException.class)
                .hasMessage("IDENTIFY_SYSTEM xlogpos returned '16-B374D848', not an LSN");
        assertThat(ReplicationBootstrap.lsn("16/B374D848", "x")).as("an LSN").isEqualTo(Lsn.parse("16/B374D848"));
        assertThat(ReplicationBootstrap.number("60000", "x")).as("a number").isEqualTo(60000L);
    }
}
