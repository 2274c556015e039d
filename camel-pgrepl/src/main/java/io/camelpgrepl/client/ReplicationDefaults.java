package io.camelpgrepl.client;

import java.time.Duration;

/**
 * The default of every client option, written once: {@link ReplicationConfig.Builder} starts from these and the
 * Camel endpoint's options declare them (annotation values must be compile-time constants, hence text). Durations
 * are written as users write them ({@code 10s}, {@code 2ms}) and read with {@link #duration(String)}; enum values
 * in the option's own spelling and read with the enum's {@code parse}. Options that default to false, 0 or
 * nothing have no constant.
 */
public final class ReplicationDefaults {

    public static final String HOST = "localhost";
    public static final int PORT = 5432;
    public static final String DATABASE = "postgres";
    public static final String APPLICATION_NAME = "camel-pgrepl";
    public static final String CONNECT_TIMEOUT = "10s";
    public static final String CREATE_SLOT_TIMEOUT = "5m";
    public static final String SSL_MODE = "prefer";
    public static final String SSL_NEGOTIATION = "postgres";
    public static final String CHANNEL_BINDING = "prefer";
    /** 0 = the newest protocol version the server supports for the features asked for. */
    public static final int PROTO_VERSION = 0;
    public static final String STREAMING = "off";
    public static final String SNAPSHOT_MODE = "never";
    public static final String STATUS_INTERVAL = "10s";
    public static final String RECEIVE_TIMEOUT = "60s";
    public static final String READ_COALESCE = "2ms";
    public static final boolean ACK_IDLE_KEEPALIVE = true;
    public static final int BUFFER_EVENTS = 8192;
    /** 256 MiB. */
    public static final int MAX_MESSAGE_SIZE = 268435456;

    private ReplicationDefaults() {
    }

    /** Reads a default duration: whole milliseconds ({@code 2ms}), seconds ({@code 10s}) or minutes ({@code 5m}). */
    public static Duration duration(String text) {
        if (text.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
        }
        long amount = Long.parseLong(text.substring(0, text.length() - 1));
        return switch (text.charAt(text.length() - 1)) {
            case 's' -> Duration.ofSeconds(amount);
            case 'm' -> Duration.ofMinutes(amount);
            default -> throw new IllegalArgumentException("default duration '" + text + "' must end in ms, s or m");
        };
    }
}
