package io.camelpgrepl.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

class SqlQuotingTest {

    @Test
    void identifiersAreAlwaysQuotedWithQuotesDoubled() {
        assertThat(SqlQuoting.identifier("slot")).isEqualTo("\"slot\"");
        assertThat(SqlQuoting.identifier("my\"slot; DROP TABLE x")).isEqualTo("\"my\"\"slot; DROP TABLE x\"");
    }

    @Test
    void literalsDoubleSingleQuotes() {
        assertThat(SqlQuoting.literal("it's")).isEqualTo("'it''s'");
    }

    @Test
    void literalsWithABackslashTakeTheEscapeFormSoNoSettingChangesThem() {
        // was 'a\b', which reads as a backspace escape under standard_conforming_strings=off
        assertThat(SqlQuoting.literal("a\\b")).isEqualTo("E'a\\\\b'");
        assertThat(SqlQuoting.literal("o'pub\\x")).isEqualTo("E'o''pub\\\\x'");
    }

    @Test
    void publicationNamesForStartReplicationKeepBackslashesAsTheyAre() {
        // the replication grammar has no E'' form and never escapes with a backslash
        assertThat(SqlQuoting.publicationNames(List.of("a\\b"))).isEqualTo("'\"a\\b\"'");
    }

    @Test
    void publicationNamesAreQuotedIdentifiersInsideALiteral() {
        assertThat(SqlQuoting.publicationNames(List.of("pub", "o'brien", "we\"ird")))
                .isEqualTo("'\"pub\",\"o''brien\",\"we\"\"ird\"'");
    }

    @Test
    void qualifiedNamesQuoteEachPart() {
        assertThat(SqlQuoting.qualifiedName("public.orders")).isEqualTo("\"public\".\"orders\"");
        assertThat(SqlQuoting.qualifiedName("\"my.schema\".t")).isEqualTo("\"my.schema\".\"t\"");
        assertThat(SqlQuoting.qualifiedName("Orders")).isEqualTo("\"Orders\"");
        assertThatThrownBy(() -> SqlQuoting.qualifiedName("a.b.c")).isInstanceOf(ConfigurationException.class)
                .hasMessageContaining("a.b.c");
    }

    @Test
    void nulIsRefused() {
        assertThatThrownBy(() -> SqlQuoting.literal("a\0b")).isInstanceOf(ConfigurationException.class);
    }
}
