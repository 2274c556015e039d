package io.camelpgrepl.examples.main;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;

import org.apache.camel.catalog.EndpointValidationResult;
import org.apache.camel.catalog.impl.DefaultRuntimeCamelCatalog;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The component's generated metadata as Camel's tooling reads it: component.properties names the component, and
 * Camel's catalog validates pgrepl: URIs against the generated JSON (option names, types, enums).
 *
 * <p>Not the stand-alone {@code camel-catalog} artifact: its 4.22.0 pom names a parent that Maven Central does not
 * have, so it cannot be resolved; {@code camel-core-catalog} holds the same validation code.
 */
class PgReplCatalogTest {

    private DefaultCamelContext camel;
    private DefaultRuntimeCamelCatalog catalog;

    @BeforeEach
    void start() {
        camel = new DefaultCamelContext();
        // The catalog Camel tooling validates URIs with (DefaultCamelCatalog shares this code, AbstractCamelCatalog),
        // reading component JSON from the class path: here the JSON camel-pgrepl's build generated.
        catalog = new DefaultRuntimeCamelCatalog();
        catalog.setCamelContext(camel);
        catalog.start();
    }

    @AfterEach
    void stop() throws Exception {
        catalog.stop();
        camel.close();
    }

    @Test
    void componentPropertiesNameThePgreplComponentAndItsArtifact() throws Exception {
        Properties properties = new Properties();
        try (var in = getClass().getResourceAsStream("/META-INF/services/org/apache/camel/component.properties")) {
            assertThat(in).as("component.properties is in the camel-pgrepl jar").isNotNull();
            properties.load(in);
        }

        assertThat(properties).containsEntry("components", "pgrepl").containsEntry("artifactId", "camel-pgrepl");
        assertThat(catalog.componentJSonSchema("pgrepl")).as("the component JSON Camel's catalog reads")
                .contains("\"scheme\": \"pgrepl\"").contains("\"sslMode\"");
    }

    @Test
    void aValidUriPasses() {
        EndpointValidationResult result = catalog.validateEndpointProperties(
                "pgrepl:orders_slot?publication=orders_pub&host=db&port=5432&sslMode=verify-full"
                        + "&statusInterval=5s&maxInflight=16&failurePolicy=stop");

        assertThat(result.isSuccess()).as(result.summaryErrorMessage(false)).isTrue();
    }

    @Test
    void aHostListWithAPortListPasses() {
        // port is a String in the metadata since it takes a list (libpq multi-host), one port per host
        EndpointValidationResult result = catalog.validateEndpointProperties(
                "pgrepl:orders_slot?publication=orders_pub&host=pg1,pg2&port=5432,5433&targetSessionAttrs=primary"
                        + "&failoverSlot=true");

        assertThat(result.isSuccess()).as(result.summaryErrorMessage(false)).isTrue();
    }

    @Test
    void aBadEnumValueAnUnknownOptionAndABadNumberAreRejected() {
        EndpointValidationResult badEnum = catalog.validateEndpointProperties("pgrepl:s?publication=p&sslMode=verify-all");
        EndpointValidationResult unknown = catalog.validateEndpointProperties("pgrepl:s?publication=p&sslmode=require");
        EndpointValidationResult badNumber = catalog.validateEndpointProperties("pgrepl:s?publication=p&maxInflight=many");

        assertThat(badEnum.getInvalidEnum()).as("sslMode's values come from the metadata")
                .containsKey("sslMode");
        assertThat(badEnum.getInvalidEnumChoices().get("sslMode"))
                .contains("disable", "allow", "prefer", "require", "verify-ca", "verify-full");
        assertThat(unknown.getUnknown()).as("option names are case-sensitive in URIs").contains("sslmode");
        assertThat(badNumber.getInvalidInteger()).containsKey("maxInflight");
    }
}
