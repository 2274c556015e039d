package io.camelpgrepl.camel;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.apache.camel.util.json.JsonObject;
import org.apache.camel.util.json.Jsoner;
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

    @Test
    void componentPageDocumentsEveryOptionWithItsDefaultAndEveryHeader() throws Exception {
        JsonObject json = (JsonObject) Jsoner.deserialize(resource("META-INF/io/camelpgrepl/camel/pgrepl.json"));
        String page = Files.readString(Path.of("..", "src-docs", "pgrepl-component.adoc"), StandardCharsets.UTF_8);

        JsonObject properties = (JsonObject) json.get("properties");
        for (Map.Entry<String, Object> e : properties.entrySet()) {
            JsonObject option = (JsonObject) e.getValue();
            if (!"parameter".equals(option.getString("kind"))) {
                continue;
            }
            Object def = option.get("defaultValue");
            String row = "| `" + e.getKey() + "` | " + option.getString("group") + " | "
                         + (def == null ? "" : "`" + def + "`");
            assertThat(page).as("src-docs/pgrepl-component.adoc documents option %s with its group and default; "
                                + "update its row in the options table", e.getKey()).contains(row);
        }
        for (String header : ((JsonObject) json.get("headers")).keySet()) {
            assertThat(page).as("header %s is documented", header).contains("| `" + header + "` |");
        }
        for (String option : ((JsonObject) json.get("componentProperties")).keySet()) {
            assertThat(page).as("component option %s is documented", option).contains("`" + option + "`");
        }
    }
}
