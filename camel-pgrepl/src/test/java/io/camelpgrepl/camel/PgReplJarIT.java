package io.camelpgrepl.camel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarFile;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The packaged jar (built before failsafe runs) carries the generated Camel metadata and classes. */
class PgReplJarIT {

    private static Path jar() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("target"))) {
            return files.filter(p -> p.getFileName().toString().matches("camel-pgrepl-[^-]+(-SNAPSHOT)?\\.jar"))
                    .findFirst().orElseThrow(() -> new AssertionError("no camel-pgrepl jar in target/"));
        }
    }

    @Test
    void jarContainsComponentJsonWithEveryDesignOptionAndTheGeneratedClasses() throws Exception {
        try (JarFile jar = new JarFile(jar().toFile())) {
            for (String entry : new String[] {
                    "META-INF/services/org/apache/camel/component/pgrepl",
                    "META-INF/services/org/apache/camel/urifactory/pgrepl-endpoint",
                    "META-INF/services/org/apache/camel/configurer/pgrepl-component",
                    "META-INF/services/org/apache/camel/configurer/pgrepl-endpoint",
                    "META-INF/services/org/apache/camel/TypeConverterLoader",
                    "io/camelpgrepl/camel/PgReplEndpointUriFactory.class",
                    "io/camelpgrepl/camel/PgReplEndpointConfigurer.class",
                    "io/camelpgrepl/camel/PgReplComponentConfigurer.class",
                    "io/camelpgrepl/camel/PgReplConvertersLoader.class" }) {
                assertThat(jar.getEntry(entry)).as(entry).isNotNull();
            }
            String json = new String(jar.getInputStream(jar.getEntry("META-INF/io/camelpgrepl/camel/pgrepl.json"))
                    .readAllBytes(), StandardCharsets.UTF_8);
            for (String option : PgReplComponentJsonTest.DESIGN_OPTIONS) {
                assertThat(json).as("option %s in the packaged component JSON", option).contains("\"" + option + "\": {");
            }
            assertThat(jar.getManifest().getMainAttributes().getValue("Implementation-Version"))
                    .as("the version the Debezium envelope puts in source.version").isNotBlank();
        }
    }
}
