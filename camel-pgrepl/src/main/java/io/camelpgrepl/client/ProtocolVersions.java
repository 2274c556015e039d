package io.camelpgrepl.client;

/**
 * Which pgoutput protocol version a stream uses, from the server's version and the features asked for:
 * v1 (PostgreSQL 10+), v2 streaming (14+), v3 two-phase (15+), v4 parallel streaming (16+). {@code binary}
 * and {@code messages} need PostgreSQL 14+, {@code origin} 16+.
 */
public final class ProtocolVersions {

    private ProtocolVersions() {
    }

    /** The newest protocol version a server of this {@code server_version_num} speaks. */
    public static int newestSupported(int serverVersionNum) {
        if (serverVersionNum >= 160000) {
            return 4;
        }
        if (serverVersionNum >= 150000) {
            return 3;
        }
        if (serverVersionNum >= 140000) {
            return 2;
        }
        return 1;
    }

    /** The lowest version that carries every feature in the configuration. */
    public static int required(ReplicationConfig cfg) {
        if (cfg.streaming() == StreamingMode.PARALLEL) {
            return 4;
        }
        if (cfg.twoPhase()) {
            return 3;
        }
        if (cfg.streaming() == StreamingMode.ON) {
            return 2;
        }
        return 1;
    }

    /**
     * The version to request: {@code protoVersion} when set, else the newest the server supports.
     *
     * @throws ConfigurationException when the server or the chosen version cannot carry a requested feature
     */
    public static int choose(ReplicationConfig cfg, int serverVersionNum) {
        int newest = newestSupported(serverVersionNum);
        int required = required(cfg);
        String server = "PostgreSQL " + (serverVersionNum / 10000) + " (supports pgoutput protocol up to " + newest + ")";
        if (required > newest) {
            throw new ConfigurationException(feature(cfg) + " needs pgoutput protocol " + required + ", but the server is "
                    + server + "; upgrade the server or turn the option off");
        }
        if ((cfg.binary() || cfg.messages()) && serverVersionNum < 140000) {
            throw new ConfigurationException("binary and messages need PostgreSQL 14 or newer; the server is " + server);
        }
        if (cfg.origin() != null && serverVersionNum < 160000) {
            throw new ConfigurationException("origin needs PostgreSQL 16 or newer; the server is " + server);
        }
        int chosen = cfg.protoVersion() == 0 ? newest : cfg.protoVersion();
        if (chosen > newest) {
            throw new ConfigurationException("protoVersion=" + chosen + " is not supported by " + server
                    + "; use protoVersion=0 to pick automatically");
        }
        if (chosen < required) {
            throw new ConfigurationException("protoVersion=" + chosen + " cannot carry " + feature(cfg) + " (needs "
                    + required + "); raise protoVersion or use 0 to pick automatically");
        }
        return chosen;
    }

    private static String feature(ReplicationConfig cfg) {
        if (cfg.streaming() == StreamingMode.PARALLEL) {
            return "streaming=parallel";
        }
        if (cfg.twoPhase()) {
            return "twoPhase=true";
        }
        return "streaming=on";
    }
}
