package io.camelpgrepl.pgoutput.json;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link JsonSyntax} accepts exactly one RFC 8259 value; {@link JsonWriter} escapes strings per RFC 8259. */
class JsonSyntaxTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "0", "-0", "1.5e-05", "1E+20", "-12.34E5", "\"\"", "\"a\\u00e9\\n\\/\"", "true", "false", "null", "[]", "{}",
        " { \"a\" : [ 1 , { } , [ ] , null ] , \"b\" : \"x\" } ", "[[[[[]]]]]", "{\"a\":{\"b\":{\"c\":[1,2,{\"d\":3}]}}}",
        "\t\r\n[1]\n",
    })
    void acceptsValidJson(String json) {
        assertThat(JsonSyntax.isValid(json)).as("valid: %s", json).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", " ", "01", "1.", ".5", "+1", "1e", "--1", "NaN", "Infinity", "tru", "nul", "[1,]", "{\"a\":1,}", "[1 2]",
        "{\"a\" 1}", "{a:1}", "{\"a\":}", "\"unterminated", "\"bad \\x escape\"", "\"\\u12g4\"", "[", "]", "{",
        "[1]]", "{}{}", "1 2", "'single'", "[1}", "{\"a\":1]", "\"tab\there\"",
    })
    void rejectsInvalidJson(String json) {
        assertThat(JsonSyntax.isValid(json)).as("invalid: %s", json).isFalse();
    }

    @Test
    void deepNestingNeedsNoStack() {
        String deep = "[".repeat(200_000) + "]".repeat(200_000);
        assertThat(JsonSyntax.isValid(deep)).as("200k levels").isTrue();
        assertThat(JsonSyntax.isValid(deep + "]")).as("one close too many").isFalse();
    }

    @Test
    void stringsAreEscapedPerRfc8259() {
        StringBuilder sb = new StringBuilder();
        JsonWriter.quote(sb, "q\"b\\s/\n\r\t\b\f\u0000\u001f\u007f é ✓ \uD83D\uDE00 \uD800 x\uDC00 \u2028");
        assertThat(sb.toString()).isEqualTo(
                "\"q\\\"b\\\\s/\\n\\r\\t\\b\\f\\u0000\\u001f\u007f é ✓ \uD83D\uDE00 \\ud800 x\\udc00 \u2028\"");
        assertThat(JsonSyntax.isValid(sb)).as("escaped string is valid JSON").isTrue();
    }

    @Test
    void commasFollowFromWhatWasWritten() {
        JsonWriter w = new JsonWriter();
        w.beginObject().name("a").beginArray().value(1).value("x").nullValue().beginObject().endObject()
                .beginArray().endArray().endArray().name("b").raw("{\"c\":1}").name("d").value(true).endObject();
        assertThat(w.toString()).isEqualTo("{\"a\":[1,\"x\",null,{},[]],\"b\":{\"c\":1},\"d\":true}");
    }
}
