package io.camelpgrepl.camel;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The generated component metadata ships with the classes and lists every option DESIGN §5 fixes. */
class PgReplComponentJsonTest {

    static final List<String> DESIGN_OPTIONS = List.of("slot", "host", "port", "database", "user", "password",
            "publication", "startLsn", "stopAtLsn", "sslMode", "sslNegotiation", "sslRootCert", "sslCert", "sslKey",
            "sslKeyPassword", "sslServerName", "sslContextParameters", "channelBinding", "requireAuth",
            "statusInterval", "protoVersion", "binary", "messages", "streaming", "twoPhase", "origin", "outputFormat",
            "includeTransactionEvents", "maxInflight", "failurePolicy", "reconnectDelay", "reconnectMaxDelay",
            "reconnectMaxAttempts", "createSlot", "temporarySlot", "failoverSlot", "createPublication",
            "publicationTables", "dropSlotOnStop", "ackIdleKeepalive", "connectTimeout", "receiveTimeout",
            "applicationName", "expectedSystemId", "strictStartLsn", "bufferEvents", "shutdownTimeout",
            "includeRelationEvents", "maxMessageSize", "allowCleartextPasswordWithoutTls");

    private static String resource(String name) throws Exception {
        try (InputStream in = PgReplComponentJsonTest.class.getClassLoader().getResourceAsStream(name)) {
            assertThat(in).as("%s on the classpath", name).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void componentJsonListsEveryDesignOption() throws Exception {
        String json = resource("META-INF/io/camelpgrepl/camel/pgrepl.json");

        assertThat(json).contains("\"scheme\": \"pgrepl\"").contains("\"consumerOnly\": true");
        for (String option : DESIGN_OPTIONS) {
            assertThat(json).as("option %s", option).contains("\"" + option + "\": {");
        }
        assertThat(json).contains("\"CamelPgReplLsn\"").contains("\"CamelPgReplMessageType\"");
    }

    @Test
    void serviceFilesPointAtTheComponentAndGeneratedClasses() throws Exception {
        assertThat(resource("META-INF/services/org/apache/camel/component/pgrepl"))
                .contains("class=io.camelpgrepl.camel.PgReplComponent");
        assertThat(resource("META-INF/services/org/apache/camel/urifactory/pgrepl-endpoint"))
                .contains("PgReplEndpointUriFactory");
        assertThat(resource("META-INF/services/org/apache/camel/configurer/pgrepl-endpoint"))
                .contains("PgReplEndpointConfigurer");
        assertThat(resource("META-INF/services/org/apache/camel/TypeConverterLoader"))
                .contains("PgReplConvertersLoader");
    }
}
