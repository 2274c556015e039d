package io.camelpgrepl.pgoutput.json;

/**
 * Checks that a text is exactly one RFC 8259 JSON value (surrounding whitespace allowed), without building
 * anything. Iterative, with its own stack, so a deeply nested value cannot overflow the thread's stack.
 */
public final class JsonSyntax {

    private static final byte OBJECT = 1;
    private static final byte ARRAY = 2;

    private final CharSequence s;
    private final int n;
    private int i;

    private JsonSyntax(CharSequence s) {
        this.s = s;
        this.n = s.length();
    }

    /** True when {@code text} is one JSON value, optionally surrounded by JSON whitespace. */
    public static boolean isValid(CharSequence text) {
        return text != null && new JsonSyntax(text).check();
    }

    private boolean check() {
        byte[] stack = new byte[16];
        int depth = 0;
        skipWs();
        while (true) {
            // a value starts at i
            if (i >= n) {
                return false;
            }
            char c = s.charAt(i);
            if (c == '{' || c == '[') {
                if (depth == stack.length) {
                    stack = java.util.Arrays.copyOf(stack, depth * 2);
                }
                stack[depth++] = c == '{' ? OBJECT : ARRAY;
                i++;
                skipWs();
                char close = c == '{' ? '}' : ']';
                if (i < n && s.charAt(i) == close) {
                    i++;
                    depth--;
                } else {
                    if (c == '{' && !member()) {
                        return false;
                    }
                    continue;
                }
            } else if (!scalar(c)) {
                return false;
            }
            // after a value: a comma, the end of the innermost container (possibly several), or the end
            while (true) {
                skipWs();
                if (depth == 0) {
                    return i == n;
                }
                if (i >= n) {
                    return false;
                }
                char d = s.charAt(i++);
                if (d == ',') {
                    skipWs();
                    if (stack[depth - 1] == OBJECT && !member()) {
                        return false;
                    }
                    break;
                }
                if (d != (stack[depth - 1] == OBJECT ? '}' : ']')) {
                    return false;
                }
                depth--;
            }
        }
    }

    /** A member name and its colon, leaving i at the value. */
    private boolean member() {
        if (i >= n || s.charAt(i) != '"' || !string()) {
            return false;
        }
        skipWs();
        if (i >= n || s.charAt(i) != ':') {
            return false;
        }
        i++;
        skipWs();
        return true;
    }

    private boolean scalar(char c) {
        switch (c) {
            case '"':
                return string();
            case 't':
                return literal("true");
            case 'f':
                return literal("false");
            case 'n':
                return literal("null");
            default:
                return number();
        }
    }

    private boolean literal(String word) {
        int end = i + word.length();
        if (end > n) {
            return false;
        }
        for (int k = 0; k < word.length(); k++) {
            if (s.charAt(i + k) != word.charAt(k)) {
                return false;
            }
        }
        i = end;
        return true;
    }

    private boolean string() {
        i++; // opening quote
        while (i < n) {
            char c = s.charAt(i++);
            if (c == '"') {
                return true;
            }
            if (c < 0x20) {
                return false;
            }
            if (c == '\\') {
                if (i >= n) {
                    return false;
                }
                char e = s.charAt(i++);
                if (e == 'u') {
                    if (i + 4 > n) {
                        return false;
                    }
                    for (int k = 0; k < 4; k++) {
                        if (Character.digit(s.charAt(i++), 16) < 0) {
                            return false;
                        }
                    }
                } else if ("\"\\/bfnrt".indexOf(e) < 0) {
                    return false;
                }
            }
        }
        return false;
    }

    private boolean number() {
        if (i < n && s.charAt(i) == '-') {
            i++;
        }
        if (i >= n) {
            return false;
        }
        if (s.charAt(i) == '0') {
            i++;
        } else if (!digits()) {
            return false;
        }
        if (i < n && s.charAt(i) == '.') {
            i++;
            if (!digits()) {
                return false;
            }
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            return digits();
        }
        return true;
    }

    private boolean digits() {
        int start = i;
        while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        return i > start;
    }

    private void skipWs() {
        while (i < n) {
            char c = s.charAt(i);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return;
            }
            i++;
        }
    }
}
