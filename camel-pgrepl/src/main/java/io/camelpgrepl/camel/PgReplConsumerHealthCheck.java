package io.camelpgrepl.camel;

import java.util.Map;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness of one pgrepl consumer: UP while streaming (or suspended) and while standing by, DOWN otherwise with the
 * last error. Reads a {@link PgReplConsumerState} snapshot, never the live consumer state.
 *
 * <p>A standby consumer (another one holds the slot, SQLSTATE 55006) is UP with {@code state=standby} and a message
 * saying so: it is healthy and takes over as soon as the slot is free. Reporting it DOWN would keep the second
 * instance of an active/passive pair unready forever, and would stall a rolling update whose new instance waits for
 * the old one to release the slot.
 */
public class PgReplConsumerHealthCheck extends AbstractHealthCheck {

    private final PgReplConsumer consumer;
    private final String routeId;

    public PgReplConsumerHealthCheck(PgReplConsumer consumer, String routeId) {
        super("camel", "pgrepl-consumer-" + routeId);
        this.consumer = consumer;
        this.routeId = routeId;
    }

    @Override
    public boolean isLiveness() {
        // readiness only: a standby or reconnecting consumer is alive, just not ready
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        PgReplConsumerState s = consumer.snapshot();
        builder.detail("route.id", routeId);
        builder.detail("slot", s.slot());
        builder.detail("publication", s.publication());
        builder.detail("server", s.endpoint());
        builder.detail("state", s.state().label());
        builder.detail("received.lsn", s.receivedLsn().toString());
        builder.detail("acknowledged.lsn", s.acknowledgedLsn().toString());
        builder.detail("server.wal.end", s.serverWalEnd().toString());
        builder.detail("lag.bytes", s.lagBytes());
        builder.detail("reconnects", s.reconnects());
        if (s.slotStatus() != null) {
            // read at connect: the stream has the connection to itself afterwards
            builder.detail("slot.wal.status", String.valueOf(s.slotStatus().walStatus()));
            if (s.slotStatus().safeWalSize() != null) {
                builder.detail("slot.safe.wal.size", s.slotStatus().safeWalSize());
            }
            if (s.slotStatus().invalidationReason() != null) {
                builder.detail("slot.invalidation.reason", s.slotStatus().invalidationReason());
            }
            if (s.slotStatus().failover() != null) {
                builder.detail("slot.failover", s.slotStatus().failover());
                builder.detail("slot.synced", s.slotStatus().synced());
            }
            builder.detail("slot.status.read.at", s.slotStatus().readAt().toString());
        }
        if (s.redelivery() != null) {
            builder.detail("redelivery.lsn", s.redelivery().lsn().toString());
            builder.detail("redelivery.attempts", s.redelivery().attempts());
            builder.detail("redelivery.last.error", s.redelivery().lastError());
            builder.detail("redelivery.next.delay", s.redelivery().nextDelay().toString());
        }
        if (s.isReady()) {
            if (s.state() == PgReplConsumerState.State.STANDBY) {
                builder.message("pgrepl consumer of slot '" + s.slot() + "' is standby: another consumer holds the"
                                + " slot; this one takes over when it is released");
            }
            builder.up();
            return;
        }
        builder.down();
        String message = "pgrepl consumer of slot '" + s.slot() + "' is " + s.state().label();
        if (s.state() == PgReplConsumerState.State.SLOT_SYNCING) {
            message += " (a failover slot still being synchronised to the standby found; waiting for its promotion)";
        }
        if (s.lastError() != null) {
            message += ": " + s.lastError();
            builder.detail("last.error", s.lastError());
        }
        builder.message(message);
    }
}
