package io.camelpgrepl.client;

/** An option is missing, malformed or contradicts another one. Permanent; the message names the option. */
public final class ConfigurationException extends ReplicationException {

    private static final long serialVersionUID = 1L;

    public ConfigurationException(String message) {
        super(message, null, false);
    }

    public ConfigurationException(String message, Throwable cause) {
        super(message, cause, false);
    }
}
