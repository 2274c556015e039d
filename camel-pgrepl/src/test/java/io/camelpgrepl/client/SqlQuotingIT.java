package io.camelpgrepl.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.camelpgrepl.testing.PostgresExtension;

/** Literals the client sends read back unchanged on a real walsender connection, whatever the session's settings. */
class SqlQuotingIT {

    @RegisterExtension
    static final PostgresExtension PG = PostgresExtension.create();

    private static PgConnection replicationConnection() {
        return PgConnection.open(ReplicationConfig.builder().host(PG.server().host()).port(PG.server().port())
                .database("postgres").user("postgres").sslMode(SslMode.DISABLE).slot("s").publication("p").build());
    }

    @ParameterizedTest(name = "standard_conforming_strings={0}")
    @ValueSource(strings = {"off", "on"})
    void literalsWithBackslashesAndQuotesReadBackUnchanged(String standardConformingStrings) {
        try (PgConnection conn = replicationConnection()) {
            conn.query("SET standard_conforming_strings = " + standardConformingStrings);
            assertThat(conn.query("SHOW standard_conforming_strings")).containsExactly(List.of(standardConformingStrings));
            for (String value : List.of("o'pub\\x", "a\\\\b\\", "\\'; SELECT 1; --", "plain", "ümlaut'\\n")) {
                assertThat(conn.query("SELECT " + SqlQuoting.literal(value)))
                        .as("%s read back with standard_conforming_strings=%s", value, standardConformingStrings)
                        .containsExactly(List.of(value));
            }
        }
    }

    @Test
    void aPublicationNamedWithABackslashAndAQuoteIsFoundWithStandardConformingStringsOff() {
        String name = "o'pub\\x";
        PG.server().execute("postgres", "CREATE PUBLICATION \"o'pub\\x\"");
        try (PgConnection conn = replicationConnection()) {
            conn.query("SET standard_conforming_strings = off");

            // the query the client runs before creating a publication (ReplicationClient.ensurePublications)
            assertThat(conn.query("SELECT 1 FROM pg_catalog.pg_publication WHERE pubname = " + SqlQuoting.literal(name)))
                    .as("the existing publication is found, not created again").hasSize(1);
        } finally {
            PG.server().execute("postgres", "DROP PUBLICATION \"o'pub\\x\"");
        }
    }
}
