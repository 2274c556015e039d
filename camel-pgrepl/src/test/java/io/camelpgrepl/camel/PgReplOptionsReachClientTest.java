package io.camelpgrepl.camel;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import io.camelpgrepl.client.AuthMethod;
import io.camelpgrepl.client.ChannelBinding;
import io.camelpgrepl.client.Lsn;
import io.camelpgrepl.client.ReplicationConfig;
import io.camelpgrepl.client.SnapshotMode;
import io.camelpgrepl.client.SslMode;
import io.camelpgrepl.client.SslNegotiation;
import io.camelpgrepl.client.StreamingMode;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.apache.camel.util.json.JsonObject;
import org.apache.camel.util.json.Jsoner;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every endpoint option (as the generated metadata lists them) either reaches the client's
 * {@link ReplicationConfig} with its value, or is listed here as the consumer's own with the reason. A new option
 * fails this test until it is mapped or listed. Defaults agree between the Camel option, its metadata and the
 * client's builder.
 */
class PgReplOptionsReachClientTest extends CamelTestSupport {

    /** Options the consumer itself acts on; the client never sees them. */
    static final Map<String, String> CAMEL_ONLY = Map.ofEntries(
            Map.entry("outputFormat", "chooses the consumer's exchange mapper"),
            Map.entry("includeTransactionEvents", "which decoded events the consumer turns into exchanges"),
            Map.entry("includeRelationEvents", "which decoded events the consumer turns into exchanges"),
            Map.entry("maxInflight", "the consumer's flow control (exchanges in flight)"),
            Map.entry("failurePolicy", "what the consumer does with a failed exchange"),
            Map.entry("reconnectDelay", "the consumer's reconnect loop"),
            Map.entry("reconnectMaxDelay", "the consumer's reconnect loop"),
            Map.entry("reconnectMaxAttempts", "the consumer's reconnect loop"),
            Map.entry("shutdownTimeout", "the consumer's graceful stop (passed to ReplicationClient.shutdown)"),
            Map.entry("bridgeErrorHandler", "Camel's own consumer option"),
            Map.entry("exceptionHandler", "Camel's own consumer option"),
            Map.entry("exchangePattern", "Camel's own consumer option"));

    /** A non-default value for an option, what else must be set with it, and where it shows in the client config. */
    record Sample(String value, String companions, Function<ReplicationConfig, Object> read, Object expected) {
    }

    private static final Map<String, Sample> CLIENT_OPTIONS = new LinkedHashMap<>();

    private static void sample(String option, String value, Function<ReplicationConfig, Object> read, Object expected) {
        sample(option, value, "", read, expected);
    }

    private static void sample(String option, String value, String companions, Function<ReplicationConfig, Object> read,
                               Object expected) {
        CLIENT_OPTIONS.put(option, new Sample(value, companions, read, expected));
    }

    static {
        sample("slot", "orders_slot", ReplicationConfig::slot, "orders_slot");
        sample("host", "pg1", ReplicationConfig::host, "pg1");
        sample("port", "6543", ReplicationConfig::port, 6543);
        sample("database", "shop", ReplicationConfig::database, "shop");
        sample("user", "repl", ReplicationConfig::user, "repl");
        sample("password", "pw", ReplicationConfig::password, "pw");
        sample("publication", "p1, p2", ReplicationConfig::publications, List.of("p1", "p2"));
        sample("startLsn", "16/B374D848", ReplicationConfig::startLsn, Lsn.parse("16/B374D848"));
        sample("stopAtLsn", "17/0", ReplicationConfig::stopAtLsn, Lsn.parse("17/0"));
        sample("strictStartLsn", "true", ReplicationConfig::strictStartLsn, true);
        sample("expectedSystemId", "7291234567890123456", ReplicationConfig::expectedSystemId, 7291234567890123456L);
        sample("sslMode", "verify-full", ReplicationConfig::sslMode, SslMode.VERIFY_FULL);
        // direct TLS with a weak sslMode is refused at configuration time (as libpq does)
        sample("sslNegotiation", "direct", "&sslMode=require", ReplicationConfig::sslNegotiation, SslNegotiation.DIRECT);
        sample("sslRootCert", "/etc/pg/ca.pem", ReplicationConfig::sslRootCert, Path.of("/etc/pg/ca.pem"));
        sample("sslCert", "/etc/pg/client.pem", "&sslKey=/etc/pg/client.key", ReplicationConfig::sslCert,
                Path.of("/etc/pg/client.pem"));
        sample("sslKey", "/etc/pg/client.key", "&sslCert=/etc/pg/client.pem", ReplicationConfig::sslKey,
                Path.of("/etc/pg/client.key"));
        sample("sslKeyPassword", "kp", ReplicationConfig::sslKeyPassword, "kp");
        sample("sslServerName", "db.internal", ReplicationConfig::sslServerName, "db.internal");
        sample("sslContextParameters", "#tlsParams", rc -> rc.sslContext() != null, true);
        sample("channelBinding", "require", ReplicationConfig::channelBinding, ChannelBinding.REQUIRE);
        sample("requireAuth", "scram-sha-256", ReplicationConfig::requireAuth, Set.of(AuthMethod.SCRAM_SHA_256));
        sample("allowCleartextPasswordWithoutTls", "true", ReplicationConfig::allowCleartextPasswordWithoutTls, true);
        sample("statusInterval", "5s", ReplicationConfig::statusInterval, Duration.ofSeconds(5));
        sample("receiveTimeout", "2m", ReplicationConfig::receiveTimeout, Duration.ofMinutes(2));
        sample("connectTimeout", "3s", ReplicationConfig::connectTimeout, Duration.ofSeconds(3));
        sample("createSlotTimeout", "90s", ReplicationConfig::createSlotTimeout, Duration.ofSeconds(90));
        sample("readCoalesce", "5ms", ReplicationConfig::readCoalesce, Duration.ofMillis(5));
        sample("protoVersion", "2", ReplicationConfig::protoVersion, 2);
        sample("binary", "true", ReplicationConfig::binary, true);
        sample("messages", "true", ReplicationConfig::messages, true);
        sample("streaming", "parallel", ReplicationConfig::streaming, StreamingMode.PARALLEL);
        sample("twoPhase", "true", ReplicationConfig::twoPhase, true);
        sample("origin", "none", ReplicationConfig::origin, "none");
        sample("applicationName", "app", ReplicationConfig::applicationName, "app");
        sample("ackIdleKeepalive", "false", ReplicationConfig::ackIdleKeepalive, false);
        sample("bufferEvents", "100", ReplicationConfig::bufferEvents, 100);
        sample("maxMessageSize", "1048576", ReplicationConfig::maxMessageSize, 1048576);
        sample("createSlot", "true", ReplicationConfig::createSlot, true);
        sample("snapshotMode", "initialOnly", ReplicationConfig::snapshotMode, SnapshotMode.INITIAL_ONLY);
        sample("temporarySlot", "true", ReplicationConfig::temporarySlot, true);
        sample("failoverSlot", "true", ReplicationConfig::failoverSlot, true);
        sample("createPublication", "true", ReplicationConfig::createPublication, true);
        sample("publicationTables", "public.orders,public.lines", "&createPublication=true",
                ReplicationConfig::publicationTables, List.of("public.orders", "public.lines"));
        sample("dropSlotOnStop", "true", ReplicationConfig::dropSlotOnStop, true);
    }

    @Override
    protected void bindToRegistry(org.apache.camel.spi.Registry registry) {
        registry.bind("tlsParams", new SSLContextParameters());
    }

    private static String uriSetting(String option, Sample s) {
        return switch (option) {
            case "slot" -> "pgrepl:" + s.value() + "?publication=p";
            case "publication" -> "pgrepl:s?publication=" + s.value();
            default -> "pgrepl:s?publication=p&" + option + "=" + s.value() + s.companions();
        };
    }

    private ReplicationConfig defaults() {
        return context.getEndpoint("pgrepl:s?publication=p", PgReplEndpoint.class).getConfiguration()
                .toReplicationConfig(context, null);
    }

    @Test
    void everyOptionIsMappedToTheClientOrListedAsTheConsumersOwn() {
        Set<String> listed = new TreeSet<>(CLIENT_OPTIONS.keySet());
        listed.addAll(CAMEL_ONLY.keySet());

        assertThat(new TreeSet<>(new PgReplEndpointUriFactory().propertyNames()))
                .as("endpoint options in the generated metadata: map each new one in CLIENT_OPTIONS, or list it in"
                    + " CAMEL_ONLY with the reason the client does not need it")
                .isEqualTo(listed);
    }

    @Test
    void everyClientOptionReachesTheReplicationConfigWithItsValue() {
        ReplicationConfig defaults = defaults();
        for (Map.Entry<String, Sample> e : CLIENT_OPTIONS.entrySet()) {
            Sample s = e.getValue();
            assertThat(s.read().apply(defaults)).as("the sample of %s differs from its default", e.getKey())
                    .isNotEqualTo(s.expected());

            ReplicationConfig rc = context.getEndpoint(uriSetting(e.getKey(), s), PgReplEndpoint.class)
                    .getConfiguration().toReplicationConfig(context, null);

            assertThat(s.read().apply(rc)).as("%s=%s in ReplicationConfig", e.getKey(), s.value())
                    .isEqualTo(s.expected());
        }
    }

    @Test
    void theEndpointsDefaultsAreTheClientBuildersDefaults() {
        ReplicationConfig fromCamel = defaults();
        ReplicationConfig fromBuilder = ReplicationConfig.builder().slot("s").publication("p").build();

        for (Map.Entry<String, Sample> e : CLIENT_OPTIONS.entrySet()) {
            if (e.getKey().equals("slot") || e.getKey().equals("publication")) {
                continue;
            }
            assertThat(e.getValue().read().apply(fromCamel)).as("default of %s", e.getKey())
                    .isEqualTo(e.getValue().read().apply(fromBuilder));
        }
    }

    @Test
    void theMetadataDefaultsAreTheOptionsInitialValues() throws Exception {
        JsonObject json = (JsonObject) Jsoner.deserialize(new String(getClass().getClassLoader()
                .getResourceAsStream("META-INF/io/camelpgrepl/camel/pgrepl.json").readAllBytes(),
                java.nio.charset.StandardCharsets.UTF_8));
        JsonObject properties = (JsonObject) json.get("properties");
        PgReplEndpoint endpoint = context.getEndpoint("pgrepl:s?publication=p", PgReplEndpoint.class);
        PgReplEndpointConfigurer configurer = new PgReplEndpointConfigurer();

        for (Map.Entry<String, Object> e : properties.entrySet()) {
            Object def = ((JsonObject) e.getValue()).get("defaultValue");
            Object actual = configurer.getOptionValue(endpoint, e.getKey(), false);
            if (def == null) {
                continue;
            }
            Class<?> type = configurer.getOptionType(e.getKey(), false);
            assertThat(actual).as("option %s starts at its documented default %s", e.getKey(), def)
                    .isEqualTo(context.getTypeConverter().mandatoryConvertTo(type, def.toString()));
        }
    }
}
