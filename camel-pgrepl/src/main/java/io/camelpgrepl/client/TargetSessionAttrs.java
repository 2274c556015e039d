package io.camelpgrepl.client;

/**
 * libpq's {@code target_session_attrs}: which of the listed hosts a connection is accepted from. The server's kind
 * is read from the {@code in_hot_standby} and {@code default_transaction_read_only} parameters it reports at login
 * (PostgreSQL 14+), else asked with {@code SHOW transaction_read_only} / {@code pg_is_in_recovery()}, as libpq does.
 */
public enum TargetSessionAttrs {
    /** The first host that accepts the login (the default). */
    ANY,
    /** A server that accepts writes (a primary whose default_transaction_read_only is off). */
    READ_WRITE,
    /** A server that does not accept writes (a standby, or a primary with default_transaction_read_only on). */
    READ_ONLY,
    /** A server that is not in recovery. */
    PRIMARY,
    /** A server in recovery (a hot standby). */
    STANDBY,
    /** A standby if any host is one; otherwise, on a second walk of the list, any server. */
    PREFER_STANDBY;

    /** Parses libpq's spelling ({@code prefer-standby}) or the constant's name, case-insensitively. */
    public static TargetSessionAttrs parse(String text) {
        return OptionValues.parse(TargetSessionAttrs.class, "targetSessionAttrs", text, TargetSessionAttrs::libpqName);
    }

    /** libpq's spelling, e.g. {@code read-write}. */
    public String libpqName() {
        return OptionValues.lowerDashed(this);
    }

    @Override
    public String toString() {
        return libpqName();
    }

    /** Whether a server of this kind is acceptable (PREFER_STANDBY's first pass asks for a standby). */
    boolean accepts(boolean inRecovery, boolean readOnly) {
        return switch (this) {
            case ANY -> true;
            case READ_WRITE -> !readOnly;
            case READ_ONLY -> readOnly;
            case PRIMARY -> !inRecovery;
            case STANDBY, PREFER_STANDBY -> inRecovery;
        };
    }

    /** What {@link #accepts} asked for, for the reason a host was passed over. */
    String wanted() {
        return switch (this) {
            case ANY -> "any server";
            case READ_WRITE -> "a server that accepts writes";
            case READ_ONLY -> "a read-only server";
            case PRIMARY -> "a primary";
            case STANDBY, PREFER_STANDBY -> "a standby";
        };
    }
}
