package io.camelpgrepl.pgoutput.json;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A minimal RFC 8259 writer into a {@link StringBuilder}: structure, names, strings, literals and number text.
 * Commas are placed from the last character written (a value or name after anything but <code>{</code>, <code>[</code> or
 * {@code :} gets one), so callers never track "first element" state. It checks nothing about nesting; what it is
 * given to write as a number or as raw JSON the caller must have made valid.
 */
public final class JsonWriter {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private final StringBuilder out;

    public JsonWriter(StringBuilder out) {
        this.out = out;
    }

    public JsonWriter() {
        this(new StringBuilder(256));
    }

    public StringBuilder builder() {
        return out;
    }

    @Override
    public String toString() {
        return out.toString();
    }

    private void separate() {
        int n = out.length();
        if (n > 0) {
            char last = out.charAt(n - 1);
            if (last != '{' && last != '[' && last != ':') {
                out.append(',');
            }
        }
    }

    public JsonWriter beginObject() {
        separate();
        out.append('{');
        return this;
    }

    public JsonWriter endObject() {
        out.append('}');
        return this;
    }

    public JsonWriter beginArray() {
        separate();
        out.append('[');
        return this;
    }

    public JsonWriter endArray() {
        out.append(']');
        return this;
    }

    /** An object member's name; the next call writes its value. */
    public JsonWriter name(String name) {
        separate();
        quote(out, name);
        out.append(':');
        return this;
    }

    public JsonWriter value(CharSequence s) {
        if (s == null) {
            return nullValue();
        }
        separate();
        quote(out, s);
        return this;
    }

    public JsonWriter value(boolean b) {
        separate();
        out.append(b);
        return this;
    }

    public JsonWriter value(long n) {
        separate();
        out.append(n);
        return this;
    }

    public JsonWriter nullValue() {
        separate();
        out.append("null");
        return this;
    }

    /** Writes {@code number} as it is: the caller guarantees RFC 8259 number syntax. */
    public JsonWriter numberText(CharSequence number) {
        separate();
        out.append(number);
        return this;
    }

    /** Writes {@code json} as it is: the caller guarantees it is one JSON value (see {@link JsonSyntax}). */
    public JsonWriter raw(CharSequence json) {
        separate();
        out.append(json);
        return this;
    }

    /** The bytes as a base64 string (RFC 4648, with padding, no line breaks). */
    public JsonWriter base64(byte[] bytes) {
        separate();
        out.append('"').append(new String(Base64.getEncoder().encode(bytes), StandardCharsets.ISO_8859_1))
                .append('"');
        return this;
    }

    /**
     * Appends {@code s} as a JSON string: quote, backslash and control characters escaped ({@code \n}-style where
     * JSON has a short form, else <code>&#92;u00XX</code>); a surrogate that is not half of a pair is written as a
     * <code>&#92;uXXXX</code> escape, since it has no UTF-8 encoding. Everything else goes out as it is.
     */
    public static void quote(StringBuilder out, CharSequence s) {
        out.append('"');
        int n = s.length();
        int plain = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            String esc;
            if (c >= 0x20 && c != '"' && c != '\\' && !Character.isSurrogate(c)) {
                continue;
            }
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
                continue;
            }
            switch (c) {
                case '"': esc = "\\\""; break;
                case '\\': esc = "\\\\"; break;
                case '\n': esc = "\\n"; break;
                case '\r': esc = "\\r"; break;
                case '\t': esc = "\\t"; break;
                case '\b': esc = "\\b"; break;
                case '\f': esc = "\\f"; break;
                default: esc = null; break;
            }
            out.append(s, plain, i);
            if (esc != null) {
                out.append(esc);
            } else {
                out.append("\\u").append(HEX[c >> 12]).append(HEX[(c >> 8) & 0xF]).append(HEX[(c >> 4) & 0xF])
                        .append(HEX[c & 0xF]);
            }
            plain = i + 1;
        }
        out.append(s, plain, n).append('"');
    }
}
