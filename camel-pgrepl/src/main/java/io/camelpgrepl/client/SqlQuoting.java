package io.camelpgrepl.client;

import java.util.List;

/**
 * Quoting for everything the client sends to the server as text: identifiers are always double-quoted, literals
 * always single-quoted with quotes doubled, so nothing a user configures is interpolated raw. NUL characters,
 * which PostgreSQL cannot store in either, are refused.
 *
 * <p>Two grammars read what we send on a walsender connection. SQL reads {@code 'a\b'} according to
 * {@code standard_conforming_strings}, so an SQL literal that holds a backslash takes the escape form
 * {@code E'a\\b'}, which reads the same whatever the setting. Replication commands (START_REPLICATION's options)
 * have no escape form and never treat a backslash specially, so their literals stay plain.
 */
public final class SqlQuoting {

    private SqlQuoting() {
    }

    /** {@code my"slot} becomes {@code "my""slot"}. */
    public static String identifier(String name) {
        checkNoNul(name, "identifier");
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    /**
     * An SQL literal that reads the same under either {@code standard_conforming_strings}: {@code it's} becomes
     * {@code 'it''s'}, {@code a\b} becomes {@code E'a\\b'}. A value without a backslash is also a valid
     * replication-command literal.
     */
    public static String literal(String value) {
        String quoted = commandLiteral(value);
        return value.indexOf('\\') < 0 ? quoted : "E" + quoted.replace("\\", "\\\\");
    }

    /** A literal for a replication command's option: quotes doubled, backslashes as they are (no escape form). */
    static String commandLiteral(String value) {
        checkNoNul(value, "literal");
        return '\'' + value.replace("'", "''") + '\'';
    }

    /**
     * A possibly schema-qualified table name ({@code schema.table} or {@code table}); each part is quoted. A part
     * that is already double-quoted is taken as written, so {@code "my.schema".t} works.
     */
    public static String qualifiedName(String name) {
        List<String> parts = splitQualified(name);
        StringBuilder sb = new StringBuilder();
        for (String p : parts) {
            if (sb.length() > 0) {
                sb.append('.');
            }
            sb.append(identifier(p));
        }
        return sb.toString();
    }

    /** pgoutput's {@code publication_names} value: a quoted identifier list inside a literal. */
    public static String publicationNames(List<String> publications) {
        StringBuilder sb = new StringBuilder();
        for (String p : publications) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(identifier(p));
        }
        return commandLiteral(sb.toString());
    }

    private static List<String> splitQualified(String name) {
        java.util.ArrayList<String> parts = new java.util.ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < name.length() && name.charAt(i + 1) == '"') {
                        cur.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    cur.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == '.') {
                parts.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        parts.add(cur.toString());
        if (quoted || parts.size() > 2 || parts.stream().anyMatch(String::isEmpty)) {
            throw new ConfigurationException("Table name '" + name
                    + "' is not of the form table or schema.table (double-quote parts that contain dots)");
        }
        return parts;
    }

    private static void checkNoNul(String s, String what) {
        if (s.indexOf('\0') >= 0) {
            throw new ConfigurationException("A NUL character cannot be sent in an SQL " + what);
        }
    }
}
