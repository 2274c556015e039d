package io.camelpgrepl.camel;

import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.console.DevConsole;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.impl.health.DefaultHealthCheckRegistry;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Consumer lifecycle, health, console and JMX when no server answers (or the configuration is unusable). */
class PgReplConsumerWithoutServerTest extends CamelTestSupport {

    private static final int CLOSED_PORT = freePort();

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected org.apache.camel.CamelContext createCamelContext() throws Exception {
        org.apache.camel.CamelContext ctx = super.createCamelContext();
        // as camel-main does with camel.health.enabled=true
        HealthCheckRegistry registry = new DefaultHealthCheckRegistry();
        registry.setCamelContext(ctx);
        ctx.getCamelContextExtension().addContextPlugin(HealthCheckRegistry.class, registry);
        registry.setEnabled(true);
        registry.register(registry.resolveById("consumers"));
        return ctx;
    }

    @Override
    protected boolean useJmx() {
        return true;
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("pgrepl:unreachable_slot?publication=p&host=127.0.0.1&port=" + CLOSED_PORT
                     + "&user=u&connectTimeout=1s&reconnectDelay=50ms&reconnectMaxDelay=100ms")
                        .routeId("unreachable").to("mock:unreachable");
                from("pgrepl:limited_slot?publication=p&host=127.0.0.1&port=" + CLOSED_PORT
                     + "&user=u&reconnectDelay=10ms&reconnectMaxDelay=20ms&reconnectMaxAttempts=2")
                        .routeId("limited").to("mock:limited");
                from("pgrepl:broken_slot?publication=p&user=u&sslCert=/nonexistent/cert.pem")
                        .routeId("broken").to("mock:broken");
            }
        };
    }

    private PgReplConsumer consumer(String routeId) {
        return (PgReplConsumer) context.getRoute(routeId).getConsumer();
    }

    @Test
    void unreachableServerIsRetriedWithBackoffAndReportedDown() {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(
                () -> assertThat(consumer("unreachable").snapshot().reconnects()).as("reconnect attempts")
                        .isGreaterThanOrEqualTo(2));

        PgReplConsumerState s = consumer("unreachable").snapshot();
        assertThat(s.state()).isEqualTo(PgReplConsumerState.State.CONNECTING);
        assertThat(s.lastError()).as("last error kept for the health check").isNotBlank();
        assertThat(s.acknowledgedLsn().isValid()).as("nothing acknowledged").isFalse();
    }

    @Test
    void reconnectAttemptsAreBoundedByReconnectMaxAttempts() {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(
                () -> assertThat(consumer("limited").snapshot().state()).isEqualTo(PgReplConsumerState.State.FAILED));

        assertThat(consumer("limited").snapshot().reconnects()).as("attempts after the first failure").isEqualTo(2);
    }

    @Test
    void permanentConfigurationErrorStopsTheLoopAsFailed() {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(
                () -> assertThat(consumer("broken").snapshot().state()).isEqualTo(PgReplConsumerState.State.FAILED));

        PgReplConsumerState s = consumer("broken").snapshot();
        assertThat(s.lastError()).contains("sslCert");
        assertThat(s.reconnects()).as("a permanent error is not retried").isZero();
    }

    @Test
    void aPermanentErrorStopsTheRouteSoItNoLongerReportsStarted() throws Exception {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(
                context.getRouteController().getRouteStatus("broken")).as("route status").isEqualTo(ServiceStatus.Stopped));

        assertThat(context.getRoute("broken").getLastError()).as("the route's last error").isNotNull()
                .satisfies(e -> assertThat(e.getException()).hasMessageContaining("sslCert"));
        MBeanServer mbs = ManagementFactory.getPlatformMBeanServer();
        ObjectName route = mbs.queryNames(new ObjectName("org.apache.camel:type=routes,name=\"broken\",*"), null)
                .iterator().next();
        assertThat(mbs.getAttribute(route, "State")).as("JMX route state (what camel get route shows)")
                .isEqualTo("Stopped");
        assertThat(consumer("broken").snapshot().state()).as("replication state").isEqualTo(PgReplConsumerState.State.FAILED);
        assertThat(consumer("broken").snapshot().reconnects()).as("not retried").isZero();
    }

    @Test
    void healthCheckIsDownWithTheLastErrorAndState() {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            HealthCheck.Result r = HealthCheckHelper.invokeReadiness(context).stream()
                    .filter(x -> x.getCheck().getId().equals("pgrepl-consumer-broken")).findFirst().orElseThrow();
            assertThat(r.getState()).isEqualTo(HealthCheck.State.DOWN);
            assertThat(r.getMessage()).hasValueSatisfying(m -> assertThat(m).contains("broken_slot").contains("failed"));
            assertThat(r.getDetails()).containsEntry("state", "failed").containsEntry("slot", "broken_slot");
        });
    }

    @Test
    void devConsoleShowsEveryConsumerInTextAndJson() {
        DevConsole console = new PgReplDevConsole();
        ((PgReplDevConsole) console).setCamelContext(context);

        String text = (String) console.call(DevConsole.MediaType.TEXT);
        @SuppressWarnings("unchecked")
        Map<String, Object> json = (Map<String, Object>) console.call(DevConsole.MediaType.JSON);

        assertThat(text).contains("unreachable_slot").contains("broken_slot").contains("Acknowledged LSN");
        assertThat(json.get("consumers").toString()).contains("unreachable_slot").contains("acknowledgedLsn");
    }

    @Test
    void consumerAttributesAreExposedOverJmx() throws Exception {
        MBeanServer mbs = ManagementFactory.getPlatformMBeanServer();
        Set<ObjectName> names = mbs.queryNames(new ObjectName("org.apache.camel:type=consumers,*"), null);
        ObjectName pg = names.stream().filter(n -> n.toString().contains("PgReplConsumer")).findFirst().orElseThrow();

        assertThat(mbs.getAttribute(pg, "Slot")).isIn("unreachable_slot", "limited_slot", "broken_slot");
        assertThat(mbs.getAttribute(pg, "AcknowledgedLsn")).isEqualTo("0/0");
        assertThat(mbs.getAttribute(pg, "LagBytes")).isEqualTo(0L);
        assertThat(mbs.getAttribute(pg, "Inflight")).isEqualTo(0);
    }

    @Test
    void routeStopsPromptlyWhileReconnecting() throws Exception {
        context.getRouteController().stopRoute("unreachable");

        assertThat(consumer("unreachable") == null
                || consumer("unreachable").snapshot().state() == PgReplConsumerState.State.STOPPED).isTrue();
    }
}
