package io.camelpgrepl.camel;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.camel.Route;
import org.apache.camel.spi.annotations.DevConsole;
import org.apache.camel.support.console.AbstractDevConsole;
import org.apache.camel.util.json.JsonObject;

/** Dev console listing every pgrepl consumer: slot, state, LSNs, lag, counters, last error. */
@DevConsole(name = "pgrepl", displayName = "PostgreSQL Replication", description = "pgrepl consumers: slots, LSNs and lag")
public class PgReplDevConsole extends AbstractDevConsole {

    public PgReplDevConsole() {
        super("camel", "pgrepl", "PostgreSQL Replication", "pgrepl consumers: slots, LSNs and lag");
    }

    private List<PgReplConsumerState> snapshots() {
        List<PgReplConsumerState> list = new ArrayList<>();
        for (Route route : getCamelContext().getRoutes()) {
            if (route.getConsumer() instanceof PgReplConsumer c) {
                list.add(c.snapshot());
            }
        }
        return list;
    }

    @Override
    protected String doCallText(Map<String, Object> options) {
        StringBuilder sb = new StringBuilder();
        for (PgReplConsumerState s : snapshots()) {
            sb.append(String.format("%n    Route: %s%n", s.routeId()));
            sb.append(String.format("    Slot: %s (publication %s) on %s%n", s.slot(), s.publication(), s.endpoint()));
            sb.append(String.format("    State: %s%n", s.state().label()));
            if (s.serverVersion() != null) {
                sb.append(String.format("    Server: PostgreSQL %s, system %s%n", s.serverVersion(), s.systemId()));
            }
            sb.append(String.format("    Received LSN: %s%n", s.receivedLsn()));
            sb.append(String.format("    Acknowledged LSN: %s%n", s.acknowledgedLsn()));
            sb.append(String.format("    Server WAL end: %s (lag %d bytes)%n", s.serverWalEnd(), s.lagBytes()));
            sb.append(String.format("    Events: %d, bytes: %d, in flight: %d, reconnects: %d, stalls: %d%n", s.events(),
                    s.bytes(), s.inflight(), s.reconnects(), s.stalls()));
            if (s.slotStatus() != null) {
                sb.append(String.format("    Slot WAL status: %s, safe WAL size: %s, invalidation reason: %s (read at %s)%n",
                        s.slotStatus().walStatus(), s.slotStatus().safeWalSize(), s.slotStatus().invalidationReason(),
                        s.slotStatus().readAt()));
                if (s.slotStatus().failover() != null) {
                    sb.append(String.format("    Slot failover: %s, synced: %s%n", s.slotStatus().failover(),
                            s.slotStatus().synced()));
                }
            }
            if (s.redelivery() != null) {
                sb.append(String.format("    Redelivering LSN %s: attempt %d, next in %s, last error: %s%n",
                        s.redelivery().lsn(), s.redelivery().attempts(), s.redelivery().nextDelay(),
                        s.redelivery().lastError()));
            }
            if (s.lastError() != null) {
                sb.append(String.format("    Last error: %s (%s)%n", s.lastError(), s.lastErrorTime()));
            }
        }
        return sb.toString();
    }

    @Override
    protected Map<String, Object> doCallJson(Map<String, Object> options) {
        JsonObject root = new JsonObject();
        List<JsonObject> list = new ArrayList<>();
        for (PgReplConsumerState s : snapshots()) {
            JsonObject jo = new JsonObject();
            jo.put("routeId", s.routeId());
            jo.put("slot", s.slot());
            jo.put("publication", s.publication());
            jo.put("server", s.endpoint());
            jo.put("state", s.state().label());
            jo.put("serverVersion", s.serverVersion());
            jo.put("systemId", s.systemId());
            jo.put("receivedLsn", s.receivedLsn().toString());
            jo.put("acknowledgedLsn", s.acknowledgedLsn().toString());
            jo.put("serverWalEnd", s.serverWalEnd().toString());
            jo.put("lagBytes", s.lagBytes());
            jo.put("events", s.events());
            jo.put("bytes", s.bytes());
            jo.put("inflight", s.inflight());
            jo.put("reconnects", s.reconnects());
            jo.put("stalls", s.stalls());
            if (s.slotStatus() != null) {
                jo.put("slotWalStatus", s.slotStatus().walStatus());
                jo.put("slotSafeWalSize", s.slotStatus().safeWalSize());
                jo.put("slotInvalidationReason", s.slotStatus().invalidationReason());
                jo.put("slotStatusReadAt", s.slotStatus().readAt().toString());
                if (s.slotStatus().failover() != null) {
                    jo.put("slotFailover", s.slotStatus().failover());
                    jo.put("slotSynced", s.slotStatus().synced());
                }
            }
            if (s.redelivery() != null) {
                jo.put("redeliveryLsn", s.redelivery().lsn().toString());
                jo.put("redeliveryAttempts", s.redelivery().attempts());
                jo.put("redeliveryLastError", s.redelivery().lastError());
                jo.put("redeliveryNextDelay", s.redelivery().nextDelay().toString());
            }
            if (s.lastError() != null) {
                jo.put("lastError", s.lastError());
                jo.put("lastErrorTime", String.valueOf(s.lastErrorTime()));
            }
            list.add(jo);
        }
        root.put("consumers", list);
        return root;
    }
}
