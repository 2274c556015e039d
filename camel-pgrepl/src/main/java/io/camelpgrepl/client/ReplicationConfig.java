package io.camelpgrepl.client;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import javax.net.ssl.SSLContext;

/**
 * Everything {@link ReplicationClient#connect(ReplicationConfig)} needs. Immutable; build with
 * {@link #builder()}. {@link #toString()} never shows the password or the key password.
 *
 * <p>Long because each of its some forty options is a field, an accessor, a builder field and a builder method;
 * their defaults are in {@link ReplicationDefaults}.
 */
public final class ReplicationConfig {

    private final String host;
    private final int port;
    private final String database;
    private final String user;
    private final String password;
    private final String applicationName;
    private final Duration connectTimeout;
    private final Duration createSlotTimeout;

    private final SslMode sslMode;
    private final SslNegotiation sslNegotiation;
    private final Path sslRootCert;
    private final Path sslCert;
    private final Path sslKey;
    private final String sslKeyPassword;
    private final String sslServerName;
    private final SSLContext sslContext;
    private final ChannelBinding channelBinding;
    private final Set<AuthMethod> requireAuth;
    private final boolean allowCleartextPasswordWithoutTls;

    private final String slot;
    private final List<String> publications;
    private final Lsn startLsn;
    private final Lsn stopAtLsn;
    private final boolean strictStartLsn;
    private final Long expectedSystemId;
    private final int protoVersion;
    private final boolean binary;
    private final boolean messages;
    private final StreamingMode streaming;
    private final boolean twoPhase;
    private final Origin origin;
    private final boolean createSlot;
    private final boolean temporarySlot;
    private final boolean failoverSlot;
    private final boolean createPublication;
    private final boolean dropSlotOnStop;
    private final List<String> publicationTables;
    private final SnapshotMode snapshotMode;

    private final Duration statusInterval;
    private final Duration receiveTimeout;
    private final Duration readCoalesce;
    private final boolean ackIdleKeepalive;
    private final int bufferEvents;
    private final int maxMessageSize;

    private ReplicationConfig(Builder b) {
        this.host = b.host;
        this.port = b.port;
        this.database = b.database;
        this.user = b.user;
        this.password = b.password;
        this.applicationName = b.applicationName;
        this.connectTimeout = b.connectTimeout;
        this.createSlotTimeout = b.createSlotTimeout;
        this.sslMode = b.sslMode;
        this.sslNegotiation = b.sslNegotiation;
        this.sslRootCert = b.sslRootCert;
        this.sslCert = b.sslCert;
        this.sslKey = b.sslKey;
        this.sslKeyPassword = b.sslKeyPassword;
        this.sslServerName = b.sslServerName;
        this.sslContext = b.sslContext;
        this.channelBinding = b.channelBinding;
        this.requireAuth = Set.copyOf(b.requireAuth);
        this.allowCleartextPasswordWithoutTls = b.allowCleartextPasswordWithoutTls;
        this.slot = b.slot;
        this.publications = List.copyOf(b.publications);
        this.startLsn = b.startLsn;
        this.stopAtLsn = b.stopAtLsn;
        this.strictStartLsn = b.strictStartLsn;
        this.expectedSystemId = b.expectedSystemId;
        this.protoVersion = b.protoVersion;
        this.binary = b.binary;
        this.messages = b.messages;
        this.streaming = b.streaming;
        this.twoPhase = b.twoPhase;
        this.origin = b.origin;
        this.createSlot = b.createSlot;
        this.temporarySlot = b.temporarySlot;
        this.failoverSlot = b.failoverSlot;
        this.createPublication = b.createPublication;
        this.dropSlotOnStop = b.dropSlotOnStop;
        this.publicationTables = List.copyOf(b.publicationTables);
        this.snapshotMode = b.snapshotMode;
        this.statusInterval = b.statusInterval;
        this.receiveTimeout = b.receiveTimeout;
        this.readCoalesce = b.readCoalesce;
        this.ackIdleKeepalive = b.ackIdleKeepalive;
        this.bufferEvents = b.bufferEvents;
        this.maxMessageSize = b.maxMessageSize;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder preloaded with this configuration, to derive a variant (e.g. a new start LSN). */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.host = host;
        b.port = port;
        b.database = database;
        b.user = user;
        b.password = password;
        b.applicationName = applicationName;
        b.connectTimeout = connectTimeout;
        b.createSlotTimeout = createSlotTimeout;
        b.sslMode = sslMode;
        b.sslNegotiation = sslNegotiation;
        b.sslRootCert = sslRootCert;
        b.sslCert = sslCert;
        b.sslKey = sslKey;
        b.sslKeyPassword = sslKeyPassword;
        b.sslServerName = sslServerName;
        b.sslContext = sslContext;
        b.channelBinding = channelBinding;
        b.requireAuth = EnumSet.noneOf(AuthMethod.class);
        b.requireAuth.addAll(requireAuth);
        b.allowCleartextPasswordWithoutTls = allowCleartextPasswordWithoutTls;
        b.slot = slot;
        b.publications = publications;
        b.startLsn = startLsn;
        b.stopAtLsn = stopAtLsn;
        b.strictStartLsn = strictStartLsn;
        b.expectedSystemId = expectedSystemId;
        b.protoVersion = protoVersion;
        b.binary = binary;
        b.messages = messages;
        b.streaming = streaming;
        b.twoPhase = twoPhase;
        b.origin = origin;
        b.createSlot = createSlot;
        b.temporarySlot = temporarySlot;
        b.failoverSlot = failoverSlot;
        b.createPublication = createPublication;
        b.dropSlotOnStop = dropSlotOnStop;
        b.publicationTables = publicationTables;
        b.snapshotMode = snapshotMode;
        b.statusInterval = statusInterval;
        b.receiveTimeout = receiveTimeout;
        b.readCoalesce = readCoalesce;
        b.ackIdleKeepalive = ackIdleKeepalive;
        b.bufferEvents = bufferEvents;
        b.maxMessageSize = maxMessageSize;
        return b;
    }

    /** Host name or IP; an absolute path is a Unix-domain socket directory (libpq convention). */
    public String host() {
        return host;
    }

    public boolean isUnixSocket() {
        return host.startsWith("/");
    }

    /** For a Unix-domain socket: {@code <host>/.s.PGSQL.<port>}. */
    public Path unixSocketPath() {
        return Path.of(host, ".s.PGSQL." + port);
    }

    public int port() {
        return port;
    }

    public String database() {
        return database;
    }

    public String user() {
        return user;
    }

    /** The password, or null. Never logged. */
    public String password() {
        return password;
    }

    public String applicationName() {
        return applicationName;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }

    /** Bounds CREATE_REPLICATION_SLOT, which waits for the transactions running when it started to finish. */
    public Duration createSlotTimeout() {
        return createSlotTimeout;
    }

    public SslMode sslMode() {
        return sslMode;
    }

    public SslNegotiation sslNegotiation() {
        return sslNegotiation;
    }

    /** PEM file of trusted root certificates, or null for the JVM trust store. */
    public Path sslRootCert() {
        return sslRootCert;
    }

    /** PEM client certificate (chain) for mTLS, or null. */
    public Path sslCert() {
        return sslCert;
    }

    /** PEM client key (PKCS#8, PKCS#1, SEC1, encrypted PKCS#8), or null. */
    public Path sslKey() {
        return sslKey;
    }

    /** Password of an encrypted client key, or null. Never logged. */
    public String sslKeyPassword() {
        return sslKeyPassword;
    }

    /** Name sent as SNI and checked by verify-full instead of {@link #host()}, or null. */
    public String sslServerName() {
        return sslServerName;
    }

    /** A ready-made SSLContext (e.g. from Camel's SSLContextParameters) used instead of the PEM options. */
    public SSLContext sslContext() {
        return sslContext;
    }

    public ChannelBinding channelBinding() {
        return channelBinding;
    }

    /** Authentication methods the client accepts from the server. */
    public Set<AuthMethod> requireAuth() {
        return requireAuth;
    }

    public boolean allowCleartextPasswordWithoutTls() {
        return allowCleartextPasswordWithoutTls;
    }

    public String slot() {
        return slot;
    }

    public List<String> publications() {
        return publications;
    }

    /** Where to start; {@link Lsn#INVALID} means the slot's confirmed position. */
    public Lsn startLsn() {
        return startLsn;
    }

    /** Bounded replay: stop after the last transaction committed at or before this LSN; null = never. */
    public Lsn stopAtLsn() {
        return stopAtLsn;
    }

    /** Refuse to start when the server would silently move {@link #startLsn()} forward. */
    public boolean strictStartLsn() {
        return strictStartLsn;
    }

    /** Refuse to stream from any cluster whose system identifier differs; null = no check. */
    public Long expectedSystemId() {
        return expectedSystemId;
    }

    /** pgoutput {@code proto_version}; 0 = the newest the server supports for the features asked for. */
    public int protoVersion() {
        return protoVersion;
    }

    public boolean binary() {
        return binary;
    }

    public boolean messages() {
        return messages;
    }

    public StreamingMode streaming() {
        return streaming;
    }

    public boolean twoPhase() {
        return twoPhase;
    }

    /** pgoutput {@code origin} as pgoutput spells it ({@code none} or {@code any}), or null to leave the server default. */
    public String origin() {
        return origin == null ? null : origin.optionValue();
    }

    /** Create the slot (pgoutput) when it does not exist, over the same connection. */
    public boolean createSlot() {
        return createSlot;
    }

    /** A created slot is TEMPORARY: dropped by the server when the connection ends. */
    public boolean temporarySlot() {
        return temporarySlot;
    }

    /** A created slot has FAILOVER set (PostgreSQL 17+), so it is synchronised to standbys. */
    public boolean failoverSlot() {
        return failoverSlot;
    }

    /**
     * Whether the stream starts with the rows that exist: {@link SnapshotMode#INITIAL} when this client creates the
     * slot, {@link SnapshotMode#INITIAL_ONLY} as a one-off; read by
     * {@link ReplicationClient#connect(ReplicationConfig, SnapshotListener)}.
     */
    public SnapshotMode snapshotMode() {
        return snapshotMode;
    }

    /** Create the publication when it does not exist (for all tables, or {@link #publicationTables()}). */
    public boolean createPublication() {
        return createPublication;
    }

    /** Drop the slot after a graceful stop (DROP_REPLICATION_SLOT on the same connection). */
    public boolean dropSlotOnStop() {
        return dropSlotOnStop;
    }

    /** Tables for a created publication ({@code schema.table} or {@code table}); empty = FOR ALL TABLES. */
    public List<String> publicationTables() {
        return publicationTables;
    }

    public Duration statusInterval() {
        return statusInterval;
    }

    /** Silence after which the client probes the server; twice this without an answer = connection dead. */
    public Duration receiveTimeout() {
        return receiveTimeout;
    }

    /** How long a read may wait for more of a busy stream before taking what is there (0 = never waits). */
    public Duration readCoalesce() {
        return readCoalesce;
    }

    public boolean ackIdleKeepalive() {
        return ackIdleKeepalive;
    }

    /** Capacity of the event buffer between the I/O thread and {@code recv()}. */
    public int bufferEvents() {
        return bufferEvents;
    }

    /** Largest backend message accepted; a longer length prefix is a protocol error, not an allocation. */
    public int maxMessageSize() {
        return maxMessageSize;
    }

    /** {@code host:port} or the socket path, for messages. */
    public String endpoint() {
        return isUnixSocket() ? unixSocketPath().toString() : host + ":" + port;
    }

    @Override
    public String toString() {
        return "ReplicationConfig[" + endpoint() + ", database=" + database + ", user=" + user
                + ", password=" + (password == null ? "<none>" : "<redacted>")
                + ", slot=" + slot + ", publications=" + publications + ", startLsn=" + startLsn
                + ", stopAtLsn=" + stopAtLsn + ", sslMode=" + sslMode.libpqName()
                + ", sslNegotiation=" + sslNegotiation + ", sslRootCert=" + sslRootCert
                + ", sslCert=" + sslCert + ", sslKey=" + sslKey
                + ", sslKeyPassword=" + (sslKeyPassword == null ? "<none>" : "<redacted>")
                + ", channelBinding=" + channelBinding + ", requireAuth=" + requireAuth
                + ", protoVersion=" + protoVersion + ", binary=" + binary + ", messages=" + messages
                + ", streaming=" + streaming + ", twoPhase=" + twoPhase + ", origin=" + origin
                + ", statusInterval=" + statusInterval + ", receiveTimeout=" + receiveTimeout
                + ", readCoalesce=" + readCoalesce
                + ", createSlot=" + createSlot + ", temporarySlot=" + temporarySlot + ", failoverSlot=" + failoverSlot
                + ", createPublication=" + createPublication + ", publicationTables=" + publicationTables
                + ", snapshotMode=" + snapshotMode
                + ", dropSlotOnStop=" + dropSlotOnStop + ", applicationName=" + applicationName + "]";
    }

    /** Builder with the documented defaults. */
    public static final class Builder {
        private String host = ReplicationDefaults.HOST;
        private int port = ReplicationDefaults.PORT;
        private String database = ReplicationDefaults.DATABASE;
        private String user = System.getProperty("user.name", "postgres");
        private String password;
        private String applicationName = ReplicationDefaults.APPLICATION_NAME;
        private Duration connectTimeout = ReplicationDefaults.duration(ReplicationDefaults.CONNECT_TIMEOUT);
        private Duration createSlotTimeout = ReplicationDefaults.duration(ReplicationDefaults.CREATE_SLOT_TIMEOUT);
        private SslMode sslMode = SslMode.parse(ReplicationDefaults.SSL_MODE);
        private SslNegotiation sslNegotiation = SslNegotiation.parse(ReplicationDefaults.SSL_NEGOTIATION);
        private Path sslRootCert;
        private Path sslCert;
        private Path sslKey;
        private String sslKeyPassword;
        private String sslServerName;
        private SSLContext sslContext;
        private ChannelBinding channelBinding = ChannelBinding.parse(ReplicationDefaults.CHANNEL_BINDING);
        private EnumSet<AuthMethod> requireAuth = EnumSet.allOf(AuthMethod.class);
        private boolean allowCleartextPasswordWithoutTls;
        private String slot;
        private List<String> publications = List.of();
        private Lsn startLsn = Lsn.INVALID;
        private Lsn stopAtLsn;
        private boolean strictStartLsn;
        private Long expectedSystemId;
        private int protoVersion = ReplicationDefaults.PROTO_VERSION;
        private boolean binary;
        private boolean messages;
        private StreamingMode streaming = StreamingMode.parse(ReplicationDefaults.STREAMING);
        private boolean twoPhase;
        private Origin origin;
        private boolean createSlot;
        private boolean temporarySlot;
        private boolean failoverSlot;
        private boolean createPublication;
        private boolean dropSlotOnStop;
        private List<String> publicationTables = List.of();
        private SnapshotMode snapshotMode = SnapshotMode.parse(ReplicationDefaults.SNAPSHOT_MODE);
        private Duration statusInterval = ReplicationDefaults.duration(ReplicationDefaults.STATUS_INTERVAL);
        private Duration receiveTimeout = ReplicationDefaults.duration(ReplicationDefaults.RECEIVE_TIMEOUT);
        private Duration readCoalesce = ReplicationDefaults.duration(ReplicationDefaults.READ_COALESCE);
        private boolean ackIdleKeepalive = ReplicationDefaults.ACK_IDLE_KEEPALIVE;
        private int bufferEvents = ReplicationDefaults.BUFFER_EVENTS;
        private int maxMessageSize = ReplicationDefaults.MAX_MESSAGE_SIZE;

        private Builder() {
        }

        public Builder host(String host) {
            this.host = host;
            return this;
        }

        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder database(String database) {
            this.database = database;
            return this;
        }

        public Builder user(String user) {
            this.user = user;
            return this;
        }

        public Builder password(String password) {
            this.password = password;
            return this;
        }

        public Builder applicationName(String applicationName) {
            this.applicationName = applicationName;
            return this;
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return this;
        }

        /**
         * How long CREATE_REPLICATION_SLOT may take (default 5 minutes): the server waits for every transaction
         * running when it started; past this the attempt fails (transient) and a later one tries again.
         */
        public Builder createSlotTimeout(Duration createSlotTimeout) {
            this.createSlotTimeout = createSlotTimeout;
            return this;
        }

        public Builder sslMode(SslMode sslMode) {
            this.sslMode = sslMode;
            return this;
        }

        public Builder sslNegotiation(SslNegotiation sslNegotiation) {
            this.sslNegotiation = sslNegotiation;
            return this;
        }

        public Builder sslRootCert(Path sslRootCert) {
            this.sslRootCert = sslRootCert;
            return this;
        }

        public Builder sslCert(Path sslCert) {
            this.sslCert = sslCert;
            return this;
        }

        public Builder sslKey(Path sslKey) {
            this.sslKey = sslKey;
            return this;
        }

        public Builder sslKeyPassword(String sslKeyPassword) {
            this.sslKeyPassword = sslKeyPassword;
            return this;
        }

        public Builder sslServerName(String sslServerName) {
            this.sslServerName = sslServerName;
            return this;
        }

        public Builder sslContext(SSLContext sslContext) {
            this.sslContext = sslContext;
            return this;
        }

        public Builder channelBinding(ChannelBinding channelBinding) {
            this.channelBinding = channelBinding;
            return this;
        }

        public Builder requireAuth(Set<AuthMethod> allowed) {
            this.requireAuth = allowed.isEmpty() ? EnumSet.noneOf(AuthMethod.class) : EnumSet.copyOf(allowed);
            return this;
        }

        /** libpq {@code require_auth} syntax, e.g. {@code scram-sha-256} or {@code !password,!md5}. */
        public Builder requireAuth(String libpqList) {
            return requireAuth(AuthMethod.parseAllowList(libpqList));
        }

        public Builder allowCleartextPasswordWithoutTls(boolean allow) {
            this.allowCleartextPasswordWithoutTls = allow;
            return this;
        }

        public Builder slot(String slot) {
            this.slot = slot;
            return this;
        }

        public Builder publication(String... publications) {
            this.publications = List.of(publications);
            return this;
        }

        public Builder publications(List<String> publications) {
            this.publications = List.copyOf(publications);
            return this;
        }

        public Builder startLsn(Lsn startLsn) {
            this.startLsn = startLsn == null ? Lsn.INVALID : startLsn;
            return this;
        }

        public Builder stopAtLsn(Lsn stopAtLsn) {
            this.stopAtLsn = stopAtLsn;
            return this;
        }

        public Builder strictStartLsn(boolean strict) {
            this.strictStartLsn = strict;
            return this;
        }

        public Builder expectedSystemId(Long systemId) {
            this.expectedSystemId = systemId;
            return this;
        }

        public Builder protoVersion(int protoVersion) {
            this.protoVersion = protoVersion;
            return this;
        }

        public Builder binary(boolean binary) {
            this.binary = binary;
            return this;
        }

        public Builder messages(boolean messages) {
            this.messages = messages;
            return this;
        }

        public Builder streaming(StreamingMode streaming) {
            this.streaming = streaming;
            return this;
        }

        public Builder twoPhase(boolean twoPhase) {
            this.twoPhase = twoPhase;
            return this;
        }

        /** pgoutput {@code origin}; null leaves the server default (any). */
        public Builder origin(Origin origin) {
            this.origin = origin;
            return this;
        }

        /** pgoutput {@code origin} as written ({@code none} or {@code any}, any case); null or blank leaves the server default. */
        public Builder origin(String origin) {
            return origin(origin == null || origin.isBlank() ? null : Origin.parse(origin));
        }

        public Builder createSlot(boolean createSlot) {
            this.createSlot = createSlot;
            return this;
        }

        public Builder temporarySlot(boolean temporarySlot) {
            this.temporarySlot = temporarySlot;
            return this;
        }

        public Builder failoverSlot(boolean failoverSlot) {
            this.failoverSlot = failoverSlot;
            return this;
        }

        public Builder createPublication(boolean createPublication) {
            this.createPublication = createPublication;
            return this;
        }

        public Builder dropSlotOnStop(boolean dropSlotOnStop) {
            this.dropSlotOnStop = dropSlotOnStop;
            return this;
        }

        public Builder publicationTables(List<String> tables) {
            this.publicationTables = List.copyOf(tables);
            return this;
        }

        /** Whether the stream starts with the rows that exist (default {@link SnapshotMode#NEVER}). */
        public Builder snapshotMode(SnapshotMode snapshotMode) {
            this.snapshotMode = snapshotMode;
            return this;
        }

        public Builder statusInterval(Duration statusInterval) {
            this.statusInterval = statusInterval;
            return this;
        }

        public Builder receiveTimeout(Duration receiveTimeout) {
            this.receiveTimeout = receiveTimeout;
            return this;
        }

        /**
         * While streaming, when a read brought little and nothing more is waiting, wait this long (default 2 ms) so
         * the next read takes what a busy server sent meanwhile: far fewer wake-ups for the walsender and this
         * client, at most this much added latency. {@link Duration#ZERO} reads as soon as anything arrives.
         */
        public Builder readCoalesce(Duration readCoalesce) {
            this.readCoalesce = readCoalesce;
            return this;
        }

        public Builder ackIdleKeepalive(boolean ackIdleKeepalive) {
            this.ackIdleKeepalive = ackIdleKeepalive;
            return this;
        }

        public Builder bufferEvents(int bufferEvents) {
            this.bufferEvents = bufferEvents;
            return this;
        }

        public Builder maxMessageSize(int maxMessageSize) {
            this.maxMessageSize = maxMessageSize;
            return this;
        }

        /** Validates and builds; a {@link ConfigurationException} names the offending option. */
        public ReplicationConfig build() {
            require(host != null && !host.isBlank(), "host must be set (a host name, IP, or socket directory)");
            require(port > 0 && port < 65536, "port " + port + " is not a TCP port (1-65535)");
            require(database != null && !database.isBlank(), "database must be set");
            require(user != null && !user.isBlank(), "user must be set");
            require(slot != null && !slot.isBlank(), "slot must be set to the replication slot's name");
            require(!publications.isEmpty(), "publication must name at least one publication");
            for (String p : publications) {
                require(p != null && !p.isBlank(), "publication names must not be blank");
            }
            require(protoVersion >= 0 && protoVersion <= 4, "protoVersion " + protoVersion
                    + " is not supported; use 1-4, or 0 to pick the newest the server supports");
            positive(connectTimeout, "connectTimeout");
            positive(createSlotTimeout, "createSlotTimeout");
            positive(statusInterval, "statusInterval");
            positive(receiveTimeout, "receiveTimeout");
            require(readCoalesce != null && !readCoalesce.isNegative()
                            && readCoalesce.compareTo(Duration.ofMillis(100)) <= 0,
                    "readCoalesce " + readCoalesce + " must be between 0 and 100ms");
            require(bufferEvents > 0, "bufferEvents must be at least 1");
            require(maxMessageSize >= 1024, "maxMessageSize must be at least 1024 bytes");
            require((sslCert == null) == (sslKey == null) || sslContext != null,
                    "sslCert and sslKey go together: set both for mTLS, or neither");
            require(publicationTables.isEmpty() || createPublication,
                    "publicationTables only applies with createPublication=true");
            require(!(stopAtLsn != null && streaming != StreamingMode.OFF),
                    "stopAtLsn delivers whole transactions only, so streaming must be off while it is set");
            require(!(channelBinding == ChannelBinding.REQUIRE && sslMode == SslMode.DISABLE),
                    "channelBinding=require needs TLS, but sslMode=disable");
            // libpq: "weak sslmode ... may not be used with sslnegotiation=direct": direct TLS cannot fall back
            require(sslNegotiation != SslNegotiation.DIRECT || sslMode == SslMode.REQUIRE
                    || sslMode == SslMode.VERIFY_CA || sslMode == SslMode.VERIFY_FULL, "sslNegotiation=direct needs sslMode=require, verify-ca or verify-full, not the weak"
                    + " sslMode=" + (sslMode == null ? null : sslMode.libpqName()) + " (as libpq refuses it)");
            Objects.requireNonNull(sslMode, "sslMode");
            Objects.requireNonNull(channelBinding, "channelBinding");
            Objects.requireNonNull(streaming, "streaming");
            Objects.requireNonNull(snapshotMode, "snapshotMode");
            require(snapshotMode != SnapshotMode.INITIAL || createSlot, "snapshotMode=initial reads the snapshot when"
                    + " this client creates the slot, so it needs createSlot=true (snapshotMode=initialOnly reads one"
                    + " without a slot of its own)");
            require(snapshotMode != SnapshotMode.INITIAL_ONLY || stopAtLsn == null,
                    "snapshotMode=initialOnly ends the stream after the snapshot; remove stopAtLsn");
            return new ReplicationConfig(this);
        }

        private static void positive(Duration d, String name) {
            require(d != null && !d.isNegative() && !d.isZero(), name + " must be a positive duration");
        }

        private static void require(boolean ok, String message) {
            if (!ok) {
                throw new ConfigurationException(message);
            }
        }
    }
}
