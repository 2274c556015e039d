package io.camelpgrepl.camel;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import io.camelpgrepl.client.Lsn;
import io.camelpgrepl.fixture.SlotFixture;
import io.camelpgrepl.pgoutput.RowChange;
import io.camelpgrepl.testing.PostgresExtension;
import io.camelpgrepl.testing.TestUsers;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.support.PropertyBindingSupport;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The same route configured three ways (URI options, component options, property placeholders), each streaming a
 * row from a real server; endpoint options override component ones without changing the component.
 */
class PgReplConfigIT extends CamelTestSupport {

    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.create();

    private PgReplEndpoint endpoint(String routeId) {
        return (PgReplEndpoint) context.getRoute(routeId).getEndpoint();
    }

    /** Starts {@code from(uri)} into a mock, inserts row 1 and returns the commit LSN of its transaction. */
    private Lsn streamsARow(SlotFixture f, String routeId, String uri) throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(uri).routeId(routeId).to("mock:" + routeId);
            }
        });
        MockEndpoint mock = getMockEndpoint("mock:" + routeId);
        mock.expectedMessageCount(1);
        await().atMost(Duration.ofSeconds(20)).until(f::isActive);
        f.insert(1, routeId);

        mock.assertIsSatisfied(20_000);
        RowChange row = mock.getReceivedExchanges().get(0).getMessage().getBody(RowChange.class);
        assertThat(row.after()).containsEntry("id", 1).containsEntry("name", routeId);
        return mock.getReceivedExchanges().get(0).getMessage().getHeader(PgReplConstants.COMMIT_LSN, Lsn.class);
    }

    @Test
    void uriOptionsAlone() throws Exception {
        SlotFixture f = SlotFixture.create(PG.server(), "config_uri");

        streamsARow(f, "uri", "pgrepl:" + f.slot + "?publication=" + f.publication + "&host=" + f.server.host()
                              + "&port=" + f.server.port() + "&database=" + f.database + "&user=" + TestUsers.SUPERUSER
                              + "&sslMode=disable&maxInflight=4&statusInterval=250ms&applicationName=by-uri");

        PgReplConfiguration cfg = endpoint("uri").getConfiguration();
        assertThat(cfg.getSlot()).isEqualTo(f.slot);
        assertThat(cfg.getMaxInflight()).isEqualTo(4);
        assertThat(cfg.getStatusInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(f.server.queryString("postgres", "SELECT application_name FROM pg_stat_replication WHERE pid ="
                + " (SELECT active_pid FROM pg_replication_slots WHERE slot_name = ?)", f.slot)).isEqualTo("by-uri");
    }

    @Test
    void componentOptionsAreEveryEndpointsDefaults() throws Exception {
        SlotFixture f = SlotFixture.create(PG.server(), "config_component");
        PgReplConfiguration shared = context.getComponent("pgrepl", PgReplComponent.class).getConfiguration();
        shared.setPublication(f.publication);
        shared.setHost(f.server.host());
        shared.setPort(String.valueOf(f.server.port()));
        shared.setDatabase(f.database);
        shared.setUser(TestUsers.SUPERUSER);
        shared.setSslMode(io.camelpgrepl.client.SslMode.DISABLE);
        shared.setMaxInflight(4);
        shared.setStatusInterval(Duration.ofMillis(250));

        streamsARow(f, "component", "pgrepl:" + f.slot);

        PgReplConfiguration cfg = endpoint("component").getConfiguration();
        assertThat(cfg).as("the endpoint works on a copy").isNotSameAs(shared);
        assertThat(cfg.getDatabase()).isEqualTo(f.database);
        assertThat(cfg.getMaxInflight()).isEqualTo(4);
        assertThat(cfg.getStatusInterval()).isEqualTo(Duration.ofMillis(250));
    }

    @Test
    void endpointOptionsOverrideComponentProperties() throws Exception {
        SlotFixture f = SlotFixture.create(PG.server(), "config_override");
        PgReplComponent component = context.getComponent("pgrepl", PgReplComponent.class);
        // bound as camel-main binds camel.component.pgrepl.* properties: text values through the generated configurer
        PropertyBindingSupport.build().withCamelContext(context).withTarget(component)
                .withConfigurer(component.getComponentPropertyConfigurer()).withReflection(false)
                .withProperties(new java.util.HashMap<>(Map.of(
                        "host", f.server.host(), "port", String.valueOf(f.server.port()),
                        "user", TestUsers.SUPERUSER, "sslMode", "disable", "maxInflight", "3",
                        "database", "no_such_database", "publication", "no_such_publication",
                        "statusInterval", "1h")))
                .withMandatory(true).bind();
        assertThat(component.getConfiguration().getStatusInterval()).isEqualTo(Duration.ofHours(1));

        Lsn commit = streamsARow(f, "override", "pgrepl:" + f.slot + "?database=" + f.database + "&publication="
                                                + f.publication + "&statusInterval=50ms");

        PgReplConfiguration cfg = endpoint("override").getConfiguration();
        assertThat(cfg.getDatabase()).isEqualTo(f.database);
        assertThat(cfg.getPublication()).isEqualTo(f.publication);
        assertThat(cfg.getMaxInflight()).as("not overridden: the component's").isEqualTo(3);
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(f.confirmedFlush())
                .as("acknowledged within seconds: the endpoint's statusInterval=50ms, not the component's 1h")
                .isGreaterThan(commit));
        assertThat(component.getConfiguration().getDatabase()).as("the component keeps its own values")
                .isEqualTo("no_such_database");
        assertThat(component.getConfiguration().getStatusInterval()).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void propertyPlaceholdersResolveEveryOption() throws Exception {
        SlotFixture f = SlotFixture.create(PG.server(), "config_placeholders");
        Properties props = new Properties();
        props.setProperty("cdc.slot", f.slot);
        props.setProperty("cdc.publication", f.publication);
        props.setProperty("cdc.host", f.server.host());
        props.setProperty("cdc.port", String.valueOf(f.server.port()));
        props.setProperty("cdc.database", f.database);
        props.setProperty("cdc.user", TestUsers.SCRAM_USER);
        props.setProperty("cdc.password", TestUsers.SCRAM_USER_PASSWORD);
        props.setProperty("cdc.statusInterval", "250ms");
        props.setProperty("cdc.maxInflight", "4");
        context.getPropertiesComponent().setInitialProperties(props);

        streamsARow(f, "placeholders", "pgrepl:{{cdc.slot}}?publication={{cdc.publication}}&host={{cdc.host}}"
                                       + "&port={{cdc.port}}&database={{cdc.database}}&user={{cdc.user}}"
                                       + "&password=RAW({{cdc.password}})&sslMode=require"
                                       + "&statusInterval={{cdc.statusInterval}}&maxInflight={{cdc.maxInflight}}");

        PgReplConfiguration cfg = endpoint("placeholders").getConfiguration();
        assertThat(cfg.getSlot()).isEqualTo(f.slot);
        assertThat(cfg.getUser()).isEqualTo(TestUsers.SCRAM_USER);
        assertThat(cfg.getPassword()).as("RAW() keeps the resolved secret as is").isEqualTo(TestUsers.SCRAM_USER_PASSWORD);
        assertThat(cfg.getStatusInterval()).isEqualTo(Duration.ofMillis(250));
        assertThat(cfg.getMaxInflight()).isEqualTo(4);
    }
}
