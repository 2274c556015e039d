package io.camelpgrepl.camel;

import java.time.Instant;

import io.camelpgrepl.client.Lsn;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/** Headers held as fields and put into the map on first access look the same to a route as eagerly set ones. */
class PgReplMessageTest {

    private static final Lsn LSN = Lsn.parse("0/16B6C50");
    private static final Lsn COMMIT = Lsn.parse("0/16B6D00");
    private static final Instant TIME = Instant.parse("2024-01-01T00:00:00Z");

    private CamelContext context;

    @BeforeEach
    void start() {
        context = new DefaultCamelContext();
        context.start();
    }

    @AfterEach
    void stop() {
        context.stop();
    }

    private Exchange exchange(boolean hasXid, String operation, String schema) {
        Exchange exchange = new DefaultExchange(context);
        exchange.setIn(new PgReplMessage(exchange, "body", LSN, "INSERT", "slot1", COMMIT, TIME, hasXid, 42, operation,
                schema, schema == null ? null : "items", operation == null ? null : Boolean.FALSE,
                PgReplMessage.Identity.NONE));
        return exchange;
    }

    @Test
    void everyHeaderIsThereOnFirstLookWhicheverWayTheRouteLooks() {
        Exchange byName = exchange(true, "INSERT", "public");
        assertThat(byName.getMessage().getHeader("camelpgrepllsn")).as("case-insensitive, like any header").isEqualTo(LSN);
        assertThat(byName.getMessage().getHeader(PgReplConstants.XID, Long.class)).isEqualTo(42L);
        assertThat(byName.getMessage().getHeader(PgReplConstants.LSN, String.class)).isEqualTo("0/16B6C50");

        Exchange byMap = exchange(true, "INSERT", "public");
        assertThat(byMap.getMessage().hasHeaders()).isTrue();
        assertThat(byMap.getMessage().getHeaders()).containsOnly(entry(PgReplConstants.LSN, LSN),
                entry(PgReplConstants.MESSAGE_TYPE, "INSERT"), entry(PgReplConstants.SLOT, "slot1"),
                entry(PgReplConstants.COMMIT_LSN, COMMIT), entry(PgReplConstants.COMMIT_TIMESTAMP, TIME),
                entry(PgReplConstants.XID, 42L), entry(PgReplConstants.OPERATION, "INSERT"),
                entry(PgReplConstants.SCHEMA, "public"), entry(PgReplConstants.TABLE, "items"),
                entry(PgReplConstants.UNCOMMITTED, false));
        assertThat(byMap.getMessage().getBody()).isEqualTo("body");
    }

    @Test
    void absentValuesAreAbsentHeaders() {
        Message m = exchange(false, null, null).getMessage();
        assertThat(m.getHeaders()).containsOnlyKeys(PgReplConstants.LSN, PgReplConstants.MESSAGE_TYPE,
                PgReplConstants.SLOT, PgReplConstants.COMMIT_LSN, PgReplConstants.COMMIT_TIMESTAMP);
    }

    @Test
    void changesAndCopiesKeepThePopulatedHeaders() {
        Exchange exchange = exchange(true, "INSERT", "public");
        exchange.getMessage().setHeader("extra", 1);
        exchange.getMessage().removeHeader(PgReplConstants.SLOT);
        assertThat(exchange.getMessage().getHeaders()).containsEntry("extra", 1).containsEntry(PgReplConstants.XID, 42L)
                .doesNotContainKey(PgReplConstants.SLOT);

        Exchange untouched = exchange(true, "INSERT", "public");
        Exchange copy = untouched.copy();
        assertThat(copy.getMessage().getHeaders()).containsEntry(PgReplConstants.LSN, LSN)
                .containsEntry(PgReplConstants.TABLE, "items").hasSize(10);
        assertThat(copy.getMessage().getBody()).isEqualTo("body");
    }
}
