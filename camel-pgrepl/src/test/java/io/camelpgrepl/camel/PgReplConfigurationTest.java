package io.camelpgrepl.camel;

import java.time.Duration;
import java.util.List;
import java.util.Properties;

import io.camelpgrepl.client.ChannelBinding;
import io.camelpgrepl.client.Lsn;
import io.camelpgrepl.client.ReplicationConfig;
import io.camelpgrepl.client.SslMode;
import io.camelpgrepl.client.SslNegotiation;
import io.camelpgrepl.client.StreamingMode;
import org.apache.camel.CamelContext;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.camel.util.URISupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PgReplConfigurationTest extends CamelTestSupport {

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        Properties props = new Properties();
        props.setProperty("pg.host", "db.example.org");
        props.setProperty("pg.password", "s3cr3t");
        props.setProperty("pg.interval", "5s");
        context.getPropertiesComponent().setInitialProperties(props);
        return context;
    }

    private PgReplEndpoint endpoint(String uri) {
        return context.getEndpoint(uri, PgReplEndpoint.class);
    }

    @Test
    void defaultsMatchTheDesign() {
        PgReplConfiguration c = endpoint("pgrepl:myslot?publication=pub").getConfiguration();

        assertThat(c.getSlot()).isEqualTo("myslot");
        assertThat(c.getHost()).isEqualTo("localhost");
        assertThat(c.getPort()).isEqualTo(5432);
        assertThat(c.getSslMode()).isEqualTo("prefer");
        assertThat(c.getSslNegotiation()).isEqualTo("postgres");
        assertThat(c.getChannelBinding()).isEqualTo("prefer");
        assertThat(c.getStatusInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.getProtoVersion()).isZero();
        assertThat(c.getStreaming()).isEqualTo("off");
        assertThat(c.getOutputFormat()).isEqualTo("change");
        assertThat(c.isIncludeTransactionEvents()).isFalse();
        assertThat(c.getMaxInflight()).isEqualTo(1);
        assertThat(c.getFailurePolicy()).isEqualTo("redeliver");
        assertThat(c.getReconnectDelay()).isEqualTo(Duration.ofSeconds(1));
        assertThat(c.getReconnectMaxDelay()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.getReconnectMaxAttempts()).isZero();
        assertThat(c.isAckIdleKeepalive()).isTrue();
        assertThat(c.getConnectTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.getReceiveTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.getApplicationName()).isEqualTo("camel-pgrepl");
        assertThat(c.isCreateSlot() || c.isTemporarySlot() || c.isFailoverSlot() || c.isCreatePublication()
                || c.isDropSlotOnStop()).as("slot and publication management is off by default").isFalse();
    }

    @Test
    void uriOptionsReachTheClientConfiguration() {
        PgReplEndpoint e = endpoint("pgrepl:orders_slot?host=pg1&port=6543&database=shop&user=repl&password=pw"
                                    + "&publication=p1, p2&startLsn=16/B374D848&sslMode=verify-full"
                                    + "&sslNegotiation=direct&channelBinding=require&requireAuth=scram-sha-256"
                                    + "&statusInterval=5s&receiveTimeout=2m&connectTimeout=3s&protoVersion=2&binary=true"
                                    + "&messages=true&streaming=parallel&twoPhase=true&origin=none&applicationName=app"
                                    + "&createSlot=true&temporarySlot=true&createPublication=true"
                                    + "&publicationTables=public.orders,public.lines&dropSlotOnStop=true"
                                    + "&ackIdleKeepalive=false&strictStartLsn=true&bufferEvents=100&maxMessageSize=1048576"
                                    + "&allowCleartextPasswordWithoutTls=true"
                                    + "&expectedSystemId=7291234567890123456");

        ReplicationConfig rc = e.getConfiguration().toReplicationConfig(context, null);

        assertThat(rc.slot()).isEqualTo("orders_slot");
        assertThat(rc.host()).isEqualTo("pg1");
        assertThat(rc.port()).isEqualTo(6543);
        assertThat(rc.database()).isEqualTo("shop");
        assertThat(rc.user()).isEqualTo("repl");
        assertThat(rc.password()).isEqualTo("pw");
        assertThat(rc.publications()).containsExactly("p1", "p2");
        assertThat(rc.startLsn()).isEqualTo(Lsn.parse("16/B374D848"));
        assertThat(rc.sslMode()).isEqualTo(SslMode.VERIFY_FULL);
        assertThat(rc.sslNegotiation()).isEqualTo(SslNegotiation.DIRECT);
        assertThat(rc.channelBinding()).isEqualTo(ChannelBinding.REQUIRE);
        assertThat(rc.statusInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(rc.receiveTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(rc.connectTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(rc.protoVersion()).isEqualTo(2);
        assertThat(rc.binary()).isTrue();
        assertThat(rc.messages()).isTrue();
        assertThat(rc.streaming()).isEqualTo(StreamingMode.PARALLEL);
        assertThat(rc.twoPhase()).isTrue();
        assertThat(rc.origin()).isEqualTo("none");
        assertThat(rc.applicationName()).isEqualTo("app");
        assertThat(rc.createSlot()).isTrue();
        assertThat(rc.temporarySlot()).isTrue();
        assertThat(rc.createPublication()).isTrue();
        assertThat(rc.publicationTables()).containsExactly("public.orders", "public.lines");
        assertThat(rc.dropSlotOnStop()).isTrue();
        assertThat(rc.ackIdleKeepalive()).isFalse();
        assertThat(rc.strictStartLsn()).isTrue();
        assertThat(rc.bufferEvents()).isEqualTo(100);
        assertThat(rc.maxMessageSize()).isEqualTo(1048576);
        assertThat(rc.allowCleartextPasswordWithoutTls()).isTrue();
        assertThat(rc.expectedSystemId()).isEqualTo(7291234567890123456L);
    }

    @Test
    void stopAtLsnReachesTheClientConfiguration() {
        PgReplConfiguration c = endpoint("pgrepl:s?publication=p&stopAtLsn=17/0").getConfiguration();

        assertThat(c.toReplicationConfig(context, null).stopAtLsn()).isEqualTo(Lsn.parse("17/0"));
    }

    @Test
    void resumePositionWinsOverTheConfiguredStartLsn() {
        PgReplConfiguration c = endpoint("pgrepl:s?publication=p&startLsn=0/10").getConfiguration();

        assertThat(c.toReplicationConfig(context, Lsn.parse("0/500")).startLsn()).isEqualTo(Lsn.parse("0/500"));
        assertThat(c.toReplicationConfig(context, Lsn.INVALID).startLsn()).isEqualTo(Lsn.parse("0/10"));
    }

    @Test
    void componentOptionsAreDefaultsThatEndpointsCopy() {
        PgReplComponent component = context.getComponent("pgrepl", PgReplComponent.class);
        component.getConfiguration().setHost("shared-host");
        component.getConfiguration().setPublication("shared_pub");
        component.getConfiguration().setMaxInflight(8);

        PgReplEndpoint a = endpoint("pgrepl:slot_a");
        PgReplEndpoint b = endpoint("pgrepl:slot_b?maxInflight=2");

        assertThat(a.getConfiguration().getHost()).isEqualTo("shared-host");
        assertThat(a.getConfiguration().getPublication()).isEqualTo("shared_pub");
        assertThat(a.getConfiguration().getMaxInflight()).isEqualTo(8);
        assertThat(b.getConfiguration().getMaxInflight()).as("endpoint option overrides").isEqualTo(2);
        assertThat(component.getConfiguration().getMaxInflight()).as("component untouched").isEqualTo(8);
        assertThat(a.getConfiguration()).isNotSameAs(component.getConfiguration());
    }

    @Test
    void componentOptionsAreSettableByName() {
        PgReplComponent component = context.getComponent("pgrepl", PgReplComponent.class);
        org.apache.camel.support.PropertyBindingSupport.build()
                .withCamelContext(context).withTarget(component)
                .withProperty("reconnectDelay", "250ms").withProperty("sslMode", "require")
                .withConfigurer(new PgReplComponentConfigurer())
                .bind();

        assertThat(component.getConfiguration().getReconnectDelay()).isEqualTo(Duration.ofMillis(250));
        assertThat(component.getConfiguration().getSslMode()).isEqualTo("require");
    }

    @Test
    void propertyPlaceholdersAndDurationStringsResolve() {
        PgReplConfiguration c = endpoint("pgrepl:s?publication=p&host={{pg.host}}&password={{pg.password}}"
                                         + "&statusInterval={{pg.interval}}&reconnectMaxDelay=1m30s").getConfiguration();

        assertThat(c.getHost()).isEqualTo("db.example.org");
        assertThat(c.getPassword()).isEqualTo("s3cr3t");
        assertThat(c.getStatusInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(c.getReconnectMaxDelay()).isEqualTo(Duration.ofSeconds(90));
    }

    @Test
    void secretsNeverAppearInEndpointToStringOrSanitizedUri() {
        String uri = "pgrepl:s?publication=p&password=hunter2&sslKeyPassword=keypw42&user=bob";
        PgReplEndpoint e = endpoint(uri);

        assertThat(e.toString()).doesNotContain("hunter2").doesNotContain("keypw42");
        assertThat(URISupport.sanitizeUri(e.getEndpointUri())).doesNotContain("hunter2").doesNotContain("keypw42");
        assertThat(e.getConfiguration().toReplicationConfig(context, null).toString())
                .doesNotContain("hunter2").doesNotContain("keypw42");
    }

    @Test
    void unknownOptionIsRejected() {
        assertThatThrownBy(() -> endpoint("pgrepl:s?publication=p&notAnOption=1"))
                .isInstanceOf(ResolveEndpointFailedException.class)
                .hasMessageContaining("notAnOption");
    }

    @Test
    void badValuesAreRejectedNamingTheOption() {
        assertThatThrownBy(() -> endpoint("pgrepl:s?publication=p&sslMode=sometimes").getConfiguration()
                .toReplicationConfig(context, null)).hasMessageContaining("sslMode");
        PgReplConfiguration c = new PgReplConfiguration();
        c.setPublication("p");
        c.setOutputFormat("json");
        assertThatThrownBy(c::validate).hasMessageContaining("outputFormat");
        c.setOutputFormat("raw");
        c.setFailurePolicy("retry");
        assertThatThrownBy(c::validate).hasMessageContaining("failurePolicy");
        c.setFailurePolicy("skip");
        c.setMaxInflight(0);
        assertThatThrownBy(c::validate).hasMessageContaining("maxInflight");
        c.setMaxInflight(1);
        c.setStartLsn("xyz");
        assertThatThrownBy(c::validate).hasMessageContaining("xyz");
    }

    @Test
    void endpointIsConsumerOnly() {
        PgReplEndpoint e = endpoint("pgrepl:s?publication=p");
        assertThatThrownBy(e::createProducer).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void lsnConvertsToAndFromText() {
        assertThat(context.getTypeConverter().convertTo(String.class, Lsn.parse("16/B374D848")))
                .isEqualTo("16/B374D848");
        assertThat(context.getTypeConverter().convertTo(Lsn.class, "0/1A")).isEqualTo(Lsn.of(0x1A));
    }

    @Test
    void publicationListsAreTrimmed() {
        PgReplConfiguration c = new PgReplConfiguration();
        c.setPublication(" a , b,,c ");
        assertThat(c.publications()).isEqualTo(List.of("a", "b", "c"));
    }
}
