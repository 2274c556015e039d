package io.camelpgrepl.client;

import java.util.Map;

/**
 * The fields of a PostgreSQL ErrorResponse or NoticeResponse.
 *
 * @param severity  non-localized severity (ERROR, FATAL, PANIC, WARNING, NOTICE, ...)
 * @param sqlState  the SQLSTATE code, e.g. {@code 42704}
 * @param message   the primary message
 * @param detail    optional detail, or null
 * @param hint      optional hint, or null
 * @param fields    every field the server sent, keyed by its field-type byte
 */
public record ServerError(String severity, String sqlState, String message, String detail, String hint,
                          Map<Character, String> fields) {

    public ServerError {
        fields = Map.copyOf(fields);
    }

    /** {@code SEVERITY: message (SQLSTATE xxxxx) detail hint}, the way psql prints it, on one line. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append(severity).append(": ").append(message).append(" (SQLSTATE ").append(sqlState).append(')');
        if (detail != null) {
            sb.append(" DETAIL: ").append(detail);
        }
        if (hint != null) {
            sb.append(" HINT: ").append(hint);
        }
        return sb.toString();
    }

    /**
     * Whether a new attempt may succeed: admin shutdown and crash recovery (57P01..57P03), slot in use (55006),
     * insufficient resources (53xxx), connection exceptions (08xxx), operator intervention otherwise
     * (57xxx) and serialization-style retryable states (40001, 40P01).
     */
    public boolean isTransient() {
        String s = sqlState == null ? "" : sqlState;
        return s.equals("55006") || s.startsWith("53") || s.startsWith("08") || s.startsWith("57")
                || s.equals("40001") || s.equals("40P01");
    }
}
