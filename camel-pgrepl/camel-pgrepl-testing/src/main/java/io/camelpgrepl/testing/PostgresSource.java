package io.camelpgrepl.testing;

import java.util.Locale;

/**
 * Where test servers come from, chosen with {@code -Dpgrepl.test.pg.source}
 * ({@code auto|embedded|system|docker|external}, default {@code auto}).
 */
public enum PostgresSource {
    /** External if a URL is configured, else Docker if an engine is reachable, else embedded. */
    AUTO,
    /** A local process from the zonky binaries (or the machine install when the jar is missing). */
    EMBEDDED,
    /** A local process from {@code /usr/lib/postgresql/<major>/bin} only. */
    SYSTEM,
    /** Testcontainers' PostgreSQL module. */
    DOCKER,
    /** The server at {@code -Dpgrepl.test.pg.url} or env {@code PGREPL_TEST_URL}. */
    EXTERNAL;

    public static final String SOURCE_PROPERTY = "pgrepl.test.pg.source";
    public static final String URL_PROPERTY = "pgrepl.test.pg.url";
    public static final String URL_ENV = "PGREPL_TEST_URL";

    /** The source configured for this JVM. */
    public static PostgresSource configured() {
        String value = System.getProperty(SOURCE_PROPERTY, "auto").trim().toUpperCase(Locale.ROOT);
        try {
            return valueOf(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("-D" + SOURCE_PROPERTY + "=" + value.toLowerCase(Locale.ROOT)
                    + " is not one of auto, embedded, system, docker, external", e);
        }
    }

    /** The configured external server URL, or null. */
    public static String externalUrl() {
        String url = System.getProperty(URL_PROPERTY);
        if (url == null || url.isBlank()) {
            url = System.getenv(URL_ENV);
        }
        return url == null || url.isBlank() ? null : url.trim();
    }

    /** Resolves {@link #AUTO} to a concrete source. */
    PostgresSource resolve() {
        if (this != AUTO) {
            return this;
        }
        if (externalUrl() != null) {
            return EXTERNAL;
        }
        return DockerProbe.isDockerAvailable() ? DOCKER : EMBEDDED;
    }
}
