package io.camelpgrepl.camel;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import javax.management.MBeanAttributeInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;

import io.camelpgrepl.fixture.SlotFixture;
import io.camelpgrepl.testing.PostgresExtension;
import io.camelpgrepl.testing.TestUsers;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.console.DevConsole;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.impl.health.DefaultHealthCheckRegistry;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the readiness health check, the consumer state and the logs say about a standby consumer and about
 * consumers that cannot authenticate or verify the server (TLS server, real credentials).
 */
class PgReplHealthIT extends CamelTestSupport {

    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.create();

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext ctx = super.createCamelContext();
        // as camel-main does with camel.health.enabled=true
        HealthCheckRegistry registry = new DefaultHealthCheckRegistry();
        registry.setCamelContext(ctx);
        ctx.getCamelContextExtension().addContextPlugin(HealthCheckRegistry.class, registry);
        registry.setEnabled(true);
        registry.setExposureLevel("full"); // every check's result, not only the DOWN ones
        registry.register(registry.resolveById("consumers"));
        return ctx;
    }

    @Override
    protected boolean useJmx() {
        return true;
    }

    private PgReplConsumerState state(String routeId) {
        return ((PgReplConsumer) context.getRoute(routeId).getConsumer()).snapshot();
    }

    private void awaitState(String routeId, PgReplConsumerState.State expected) {
        await().atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(state(routeId).state()).as(routeId).isEqualTo(expected));
    }

    private HealthCheck.Result readiness(String routeId) {
        var results = HealthCheckHelper.invokeReadiness(context);
        return results.stream().filter(r -> r.getCheck().getId().contains(routeId)).findFirst()
                .orElseThrow(() -> new AssertionError("no readiness check for route " + routeId + " in "
                        + results.stream().map(r -> r.getCheck().getId()).toList()));
    }

    private void route(String routeId, String uri, AtomicInteger rows) throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId(routeId).process(e -> rows.incrementAndGet());
            }
        });
    }

    @Test
    void aStandbyConsumerIsReadyAsStandbyAndStreamsOnceTheActiveOneStops() throws Exception {
        SlotFixture f = SlotFixture.create(PG.server(), "health_standby");
        String uri = f.uri() + "&statusInterval=1s&reconnectDelay=50ms&reconnectMaxDelay=100ms";
        AtomicInteger activeRows = new AtomicInteger();
        AtomicInteger standbyRows = new AtomicInteger();
        route("active", uri, activeRows);
        awaitState("active", PgReplConsumerState.State.STREAMING);
        // a second application on the same slot (one context refuses the same endpoint twice)
        route("standby", uri + "&applicationName=standby", standbyRows);
        awaitState("standby", PgReplConsumerState.State.STANDBY);

        // retried every 100 ms: each retry must keep the standby ready, not flap through connecting (DOWN)
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(10))
                .untilAsserted(() -> {
                    HealthCheck.Result r = readiness("standby");
                    assertThat(r.getState()).as("a standby consumer is ready to take over").isEqualTo(HealthCheck.State.UP);
                    assertThat(r.getDetails()).containsEntry("state", "standby").containsEntry("slot", f.slot);
                    assertThat(r.getMessage()).hasValueSatisfying(m -> assertThat(m).contains(f.slot).contains("standby"));
                });
        assertThat(state("standby").reconnects()).as("standby retries").isGreaterThanOrEqualTo(3);
        assertThat(state("standby").lastError()).as("why it stands by").contains("55006");
        assertThat(readiness("active").getState()).isEqualTo(HealthCheck.State.UP);
        assertThat(readiness("active").getDetails()).containsEntry("state", "streaming");

        context.getRouteController().stopRoute("active");
        awaitState("standby", PgReplConsumerState.State.STREAMING);
        assertThat(readiness("standby").getState()).isEqualTo(HealthCheck.State.UP);
        assertThat(readiness("standby").getDetails()).containsEntry("state", "streaming");
        f.insert(1, "after-takeover");
        await().atMost(Duration.ofSeconds(20)).until(() -> standbyRows.get() == 1);
        assertThat(activeRows.get()).isZero();
    }

    // ------------------------------------------------------------------ credentials and TLS

    /** Everything printed to System.err and System.out (slf4j-simple logs to System.err) while open, passed through. */
    static final class CapturedOutput implements AutoCloseable {
        private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
        private final PrintStream err = System.err;
        private final PrintStream out = System.out;

        CapturedOutput() {
            System.setErr(new PrintStream(tee(err), true, StandardCharsets.UTF_8));
            System.setOut(new PrintStream(tee(out), true, StandardCharsets.UTF_8));
        }

        private OutputStream tee(PrintStream original) {
            return new OutputStream() {
                @Override
                public void write(int b) {
                    synchronized (captured) {
                        captured.write(b);
                    }
                    original.write(b);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    synchronized (captured) {
                        captured.write(b, off, len);
                    }
                    original.write(b, off, len);
                }
            };
        }

        String text() {
            synchronized (captured) {
                return captured.toString(StandardCharsets.UTF_8);
            }
        }

        @Override
        public void close() {
            System.setErr(err);
            System.setOut(out);
        }
    }

    /** Every readable attribute of this context's Camel MBeans for endpoints, consumers, routes and components. */
    private List<String> camelMBeanAttributes() throws Exception {
        MBeanServer mbs = ManagementFactory.getPlatformMBeanServer();
        List<String> values = new ArrayList<>();
        for (String type : List.of("endpoints", "consumers", "routes", "components")) {
            for (ObjectName name : mbs.queryNames(new ObjectName("org.apache.camel:type=" + type + ",*"), null)) {
                values.add(name.toString());
                for (MBeanAttributeInfo a : mbs.getMBeanInfo(name).getAttributes()) {
                    try {
                        values.add(a.getName() + "=" + mbs.getAttribute(name, a.getName()));
                    } catch (Exception | LinkageError e) {
                        // unreadable attributes show nothing
                    }
                }
            }
        }
        return values;
    }

    /**
     * Starts a route on {@code uri} while capturing the output, waits until the consumer failed, and checks what
     * every consumer of a permanent error must show: FAILED, no retry, DOWN with the error, and nowhere the password.
     *
     * @return the last error
     */
    private String failsOnceWithoutShowing(String routeId, String uri, String password) throws Exception {
        String output;
        try (CapturedOutput captured = new CapturedOutput()) {
            route(routeId, uri, new AtomicInteger());
            awaitState(routeId, PgReplConsumerState.State.FAILED);
            output = captured.text();
        }
        PgReplConsumerState s = state(routeId);
        assertThat(s.reconnects()).as("a permanent error is not retried").isZero();
        assertThat(s.lastError()).as("last error").isNotBlank().doesNotContain(password);

        HealthCheck.Result r = readiness(routeId);
        assertThat(r.getState()).isEqualTo(HealthCheck.State.DOWN);
        assertThat(r.getMessage()).hasValueSatisfying(m -> assertThat(m).contains("failed").contains(s.lastError())
                .doesNotContain(password));
        assertThat(r.getDetails()).containsEntry("state", "failed").containsEntry("last.error", s.lastError());
        assertThat(r.getDetails().toString()).doesNotContain(password);

        assertThat(output).as("the log names the failure").contains(s.lastError());
        assertThat(output).as("the log never shows the password").doesNotContain(password);
        assertThat(context.getRoute(routeId).getEndpoint().toString()).doesNotContain(password);
        assertThat(camelMBeanAttributes()).as("JMX").isNotEmpty().noneMatch(v -> v.contains(password));
        PgReplDevConsole console = new PgReplDevConsole();
        console.setCamelContext(context);
        assertThat(console.call(DevConsole.MediaType.TEXT).toString()).as("dev console").contains(s.lastError())
                .doesNotContain(password);
        assertThat(console.call(DevConsole.MediaType.JSON).toString()).doesNotContain(password);
        return s.lastError();
    }

    @Test
    void aWrongPasswordFailsOnceWithAClearErrorThatNeverShowsThePassword() throws Exception {
        SlotFixture f = SlotFixture.create(PG.server(), "health_password");
        String wrong = "wrong+pass&word-4711";
        String uri = "pgrepl:" + f.slot + "?" + f.connectionOptions() + "&user=" + TestUsers.SCRAM_USER
                     + "&password=RAW(" + wrong + ")&sslMode=require&reconnectDelay=50ms";

        String error = failsOnceWithoutShowing("wrong-password", uri, wrong);

        assertThat(error).as("names the user, the server's verdict and what to check").contains(TestUsers.SCRAM_USER)
                .contains("28P01").contains("check the user and password");
    }

    @Test
    void aWrongCaFailsOnceWithAClearErrorThatNeverShowsThePassword() throws Exception {
        SlotFixture f = SlotFixture.create(PG.server(), "health_ca");
        String password = TestUsers.SCRAM_USER_PASSWORD;
        String uri = "pgrepl:" + f.slot + "?" + f.connectionOptions() + "&user=" + TestUsers.SCRAM_USER
                     + "&password=RAW(" + password + ")&sslMode=verify-ca&sslRootCert="
                     + PG.server().tls().wrongCaCert() + "&reconnectDelay=50ms";

        String error = failsOnceWithoutShowing("wrong-ca", uri, password);

        assertThat(error).as("names the server, the failed verification and the option to fix")
                .contains(PG.server().port() + "").contains("sslRootCert");
    }
}
