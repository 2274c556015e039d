package io.camelpgrepl.client;

/**
 * Authentication failed or was refused by policy ({@code requireAuth}, {@code channelBinding}, a hostile or
 * misbehaving server). Permanent: a retry would send the same credentials. Messages never contain the
 * password.
 */
public final class AuthenticationException extends ReplicationException {

    private static final long serialVersionUID = 1L;

    public AuthenticationException(String message) {
        super(message, null, false);
    }

    public AuthenticationException(String message, Throwable cause) {
        super(message, cause, false);
    }
}
