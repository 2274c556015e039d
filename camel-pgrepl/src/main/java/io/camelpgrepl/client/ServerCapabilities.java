package io.camelpgrepl.client;

/**
 * What a PostgreSQL major version supports for logical replication, and the one place that says so: pgoutput
 * protocol v1 (10+), v2 streaming (14+), v3 two-phase (15+), v4 parallel streaming (16+); {@code binary} and
 * {@code messages} 14+; {@code origin} 16+; the {@code streaming} option's values {@code 'on'}/{@code 'parallel'}
 * 16+ ({@code 'true'} before); {@code CREATE_REPLICATION_SLOT}'s option-list syntax ({@code SNAPSHOT 'nothing'},
 * {@code TWO_PHASE}) 15+, and with it publication column lists and row filters; failover slots 17+.
 *
 * @param versionNum the server's version as {@code server_version_num}, e.g. 180001
 */
record ServerCapabilities(int versionNum) {

    static final int PG14 = 140000;
    static final int PG15 = 150000;
    static final int PG16 = 160000;
    static final int PG17 = 170000;

    /**
     * From the {@code server_version} startup parameter ({@code 18.1}, {@code 15.14 (Debian ...)},
     * {@code 17beta2}).
     *
     * @throws ProtocolException      when the server did not report it
     * @throws ConfigurationException when the server is older than this client supports
     */
    static ServerCapabilities parse(String serverVersion) {
        if (serverVersion == null) {
            throw new ProtocolException("Server did not report server_version at startup");
        }
        int i = 0;
        int major = 0;
        while (i < serverVersion.length() && Character.isDigit(serverVersion.charAt(i)) && major < 1000) {
            major = major * 10 + (serverVersion.charAt(i++) - '0');
        }
        int minor = 0;
        if (i < serverVersion.length() && serverVersion.charAt(i) == '.') {
            i++;
            while (i < serverVersion.length() && Character.isDigit(serverVersion.charAt(i)) && minor < 10000) {
                minor = minor * 10 + (serverVersion.charAt(i++) - '0');
            }
        }
        if (major < 10) {
            throw new ConfigurationException("Server version '" + serverVersion + "' is not supported; PostgreSQL 14 "
                    + "or newer is needed");
        }
        return new ServerCapabilities(major * 10000 + minor);
    }

    int major() {
        return versionNum / 10000;
    }

    /** The newest pgoutput protocol version this server speaks. */
    int newestProtocol() {
        if (versionNum >= PG16) {
            return 4;
        }
        if (versionNum >= PG15) {
            return 3;
        }
        if (versionNum >= PG14) {
            return 2;
        }
        return 1;
    }

    /** The lowest protocol version that carries every feature in the configuration. */
    static int requiredProtocol(ReplicationConfig cfg) {
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
     * The protocol version to request: {@code protoVersion} when set, else the newest the server supports.
     *
     * @throws ConfigurationException when the server or the chosen version cannot carry a requested feature
     */
    int chooseProtocol(ReplicationConfig cfg) {
        int newest = newestProtocol();
        int required = requiredProtocol(cfg);
        String server = "PostgreSQL " + major() + " (supports pgoutput protocol up to " + newest + ")";
        if (required > newest) {
            throw new ConfigurationException(feature(cfg) + " needs pgoutput protocol " + required + ", but the server is "
                    + server + "; upgrade the server or turn the option off");
        }
        if ((cfg.binary() || cfg.messages()) && versionNum < PG14) {
            throw new ConfigurationException("binary and messages need PostgreSQL 14 or newer; the server is " + server);
        }
        if (cfg.origin() != null && versionNum < PG16) {
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

    /**
     * What follows {@code CREATE_REPLICATION_SLOT name [TEMPORARY] LOGICAL pgoutput}: no snapshot exported, and
     * two-phase and failover when asked for.
     *
     * @throws ConfigurationException when the server cannot create such a slot
     */
    String createSlotOptions(ReplicationConfig cfg) {
        checkSlotFeatures(cfg);
        if (versionNum < PG15) {
            return " NOEXPORT_SNAPSHOT";
        }
        StringBuilder sql = new StringBuilder(" (SNAPSHOT 'nothing'");
        if (cfg.twoPhase()) {
            sql.append(", TWO_PHASE true");
        }
        if (cfg.failoverSlot()) {
            sql.append(", FAILOVER true");
        }
        return sql.append(')').toString();
    }

    /**
     * @throws ConfigurationException when the server cannot create a slot with the two-phase or failover asked for
     */
    void checkSlotFeatures(ReplicationConfig cfg) {
        if (cfg.failoverSlot() && versionNum < PG17) {
            throw new ConfigurationException("failoverSlot needs PostgreSQL 17 or newer");
        }
        if (cfg.twoPhase() && versionNum < PG15) {
            throw new ConfigurationException("twoPhase needs PostgreSQL 15 or newer");
        }
    }

    /**
     * What follows {@code CREATE_REPLICATION_SLOT name TEMPORARY LOGICAL pgoutput} for an initial snapshot: the
     * slot's snapshot becomes the creating transaction's ({@code SNAPSHOT 'use'}, {@code USE_SNAPSHOT} before 15),
     * with two-phase when asked for. Never failover: a temporary slot cannot have it.
     */
    String snapshotSlotOptions(boolean twoPhase) {
        if (versionNum < PG15) {
            return " USE_SNAPSHOT";
        }
        return twoPhase ? " (SNAPSHOT 'use', TWO_PHASE true)" : " (SNAPSHOT 'use')";
    }

    /** Whether {@code pg_publication_tables} has a publication's column list and row filter (15+). */
    boolean publicationColumnListsAndRowFilters() {
        return versionNum >= PG15;
    }

    /** The {@code streaming} option's value for START_REPLICATION (servers before 16 know only {@code 'true'}). */
    String streamingValue(StreamingMode mode) {
        return mode == StreamingMode.PARALLEL || versionNum >= PG16 ? mode.optionValue() : "true";
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
