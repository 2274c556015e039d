package io.camelpgrepl.camel;

import java.time.Duration;
import java.util.List;
import java.util.Properties;

import io.camelpgrepl.client.ChannelBinding;
import io.camelpgrepl.client.Lsn;
import io.camelpgrepl.client.Origin;
import io.camelpgrepl.client.SnapshotMode;
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
        assertThat(c.getSslMode()).isEqualTo(SslMode.PREFER);
        assertThat(c.getSslNegotiation()).isEqualTo(SslNegotiation.POSTGRES);
        assertThat(c.getChannelBinding()).isEqualTo(ChannelBinding.PREFER);
        assertThat(c.getStatusInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(c.getProtoVersion()).isZero();
        assertThat(c.getStreaming()).isEqualTo(StreamingMode.OFF);
        assertThat(c.getOrigin()).as("server default").isNull();
        assertThat(c.getOutputFormat()).isEqualTo(OutputFormat.CHANGE);
        assertThat(c.isIncludeTransactionEvents()).isFalse();
        assertThat(c.getMaxInflight()).isEqualTo(1);
        assertThat(c.getFailurePolicy()).isEqualTo(FailurePolicy.REDELIVER);
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
    void optionsWithAFixedSetOfValuesTakeTheDocumentedSpellingsInAnyCase() {
        PgReplConfiguration c = endpoint("pgrepl:s?publication=p&sslMode=VERIFY-FULL&sslNegotiation=Direct"
                                         + "&channelBinding=REQUIRE&streaming=On&origin=NONE&outputFormat=Raw"
                                         + "&failurePolicy=SKIP").getConfiguration();

        assertThat(c.getSslMode()).isEqualTo(SslMode.VERIFY_FULL);
        assertThat(c.getSslNegotiation()).isEqualTo(SslNegotiation.DIRECT);
        assertThat(c.getChannelBinding()).isEqualTo(ChannelBinding.REQUIRE);
        assertThat(c.getStreaming()).isEqualTo(StreamingMode.ON);
        assertThat(c.getOrigin()).isEqualTo(Origin.NONE);
        assertThat(c.getOutputFormat()).isEqualTo(OutputFormat.RAW);
        assertThat(c.getFailurePolicy()).isEqualTo(FailurePolicy.SKIP);
        assertThat(endpoint("pgrepl:s?publication=p&sslMode=verify-ca").getConfiguration().getSslMode())
                .isEqualTo(SslMode.VERIFY_CA);
    }

    @Test
    void streamingTrueAndFalseMeanOnAndOffForTheClientAndTheConsumerAlike() {
        PgReplConfiguration off = endpoint("pgrepl:s?publication=p&streaming=false").getConfiguration();
        PgReplConfiguration on = endpoint("pgrepl:s?publication=p&streaming=TRUE").getConfiguration();

        assertThat(off.getStreaming()).as("what the consumer reads").isEqualTo(StreamingMode.OFF);
        assertThat(off.toReplicationConfig(context, null).streaming()).as("what the client gets")
                .isEqualTo(StreamingMode.OFF);
        assertThat(on.getStreaming()).isEqualTo(StreamingMode.ON);
        assertThat(on.toReplicationConfig(context, null).streaming()).isEqualTo(StreamingMode.ON);
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
        assertThat(component.getConfiguration().getSslMode()).isEqualTo(SslMode.REQUIRE);
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
    void snapshotModeTakesItsSpellingsInAnyCaseAndNeedsTheChangeFormat() {
        assertThat(endpoint("pgrepl:s?publication=p").getConfiguration().getSnapshotMode())
                .as("default").isEqualTo(SnapshotMode.NEVER);
        assertThat(endpoint("pgrepl:s?publication=p&snapshotMode=initialonly").getConfiguration().getSnapshotMode())
                .isEqualTo(SnapshotMode.INITIAL_ONLY);
        assertThat(endpoint("pgrepl:s?publication=p&snapshotMode=Initial").getConfiguration().getSnapshotMode())
                .isEqualTo(SnapshotMode.INITIAL);
        assertThatThrownBy(() -> endpoint("pgrepl:s?publication=p&snapshotMode=always"))
                .isInstanceOf(ResolveEndpointFailedException.class).hasStackTraceContaining("snapshotMode 'always'");
        PgReplConfiguration c = new PgReplConfiguration();
        c.setPublication("p");
        c.setSnapshotMode(SnapshotMode.INITIAL);
        c.setOutputFormat(OutputFormat.RAW);
        assertThatThrownBy(c::validate).hasMessageContaining("outputFormat=change");
    }

    @Test
    void badValuesAreRejectedNamingTheOption() {
        assertThatThrownBy(() -> endpoint("pgrepl:s?publication=p&sslMode=sometimes"))
                .isInstanceOf(ResolveEndpointFailedException.class).hasStackTraceContaining("sslMode 'sometimes'");
        assertThatThrownBy(() -> endpoint("pgrepl:s?publication=p&outputFormat=json"))
                .isInstanceOf(ResolveEndpointFailedException.class).hasStackTraceContaining("outputFormat 'json'");
        assertThatThrownBy(() -> endpoint("pgrepl:s?publication=p&failurePolicy=retry"))
                .isInstanceOf(ResolveEndpointFailedException.class).hasStackTraceContaining("failurePolicy 'retry'");
        assertThatThrownBy(() -> endpoint("pgrepl:s?publication=p&streaming=sometimes"))
                .isInstanceOf(ResolveEndpointFailedException.class).hasStackTraceContaining("streaming 'sometimes'");
        PgReplConfiguration c = new PgReplConfiguration();
        c.setPublication("p");
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
