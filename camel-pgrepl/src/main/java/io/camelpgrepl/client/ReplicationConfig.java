package io.camelpgrepl.client;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import javax.net.ssl.SSLContext;

/**
 * Everything {@link ReplicationClient#connect(ReplicationConfig)} needs. Immutable; build with
 * {@link #builder()}. {@link #toString()} never shows the password or the key password.
 *
 * <p>Long because each of its some fifty options is a field, an accessor, a builder field and a builder method,
 * and the builder maps libpq keywords (url, service file, environment) onto them;
 * their defaults are in {@link ReplicationDefaults}.
 */
public final class ReplicationConfig {

    private final List<ServerAddress> hosts;
    private final TargetSessionAttrs targetSessionAttrs;
    private final boolean loadBalanceHosts;
    private final Path passfile;
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
    private final boolean expectExistingSlot;
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

    private ReplicationConfig(Builder b, List<ServerAddress> hosts) {
        this.hosts = List.copyOf(hosts);
        this.targetSessionAttrs = b.targetSessionAttrs;
        this.loadBalanceHosts = b.loadBalanceHosts;
        this.passfile = b.passfile;
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
        this.expectExistingSlot = b.expectExistingSlot;
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
        b.host = String.join(",", hosts.stream().map(ServerAddress::host).toList());
        b.ports = String.join(",", hosts.stream().map(a -> Integer.toString(a.port())).toList());
        b.targetSessionAttrs = targetSessionAttrs;
        b.loadBalanceHosts = loadBalanceHosts;
        b.passfile = passfile;
        b.explicit.addAll(LibpqSettings.SUPPORTED); // resolved already: no url, service or environment overrides them
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
        b.expectExistingSlot = expectExistingSlot;
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

    /** The hosts to try, in order, each with its port (libpq multi-host). */
    public List<ServerAddress> hosts() {
        return hosts;
    }

    /** The first host's name or IP; an absolute path is a Unix-domain socket directory (libpq convention). */
    public String host() {
        return hosts.get(0).host();
    }

    /** Whether the first host is a Unix-domain socket directory. */
    public boolean isUnixSocket() {
        return hosts.get(0).isUnixSocket();
    }

    /** For a Unix-domain socket (the first host): {@code <host>/.s.PGSQL.<port>}. */
    public Path unixSocketPath() {
        return hosts.get(0).unixSocketPath();
    }

    /** The first host's port. */
    public int port() {
        return hosts.get(0).port();
    }

    /** Which of the hosts a connection is accepted from (libpq {@code target_session_attrs}). */
    public TargetSessionAttrs targetSessionAttrs() {
        return targetSessionAttrs;
    }

    /** Try the hosts in random order instead of as listed (libpq {@code load_balance_hosts=random}). */
    public boolean loadBalanceHosts() {
        return loadBalanceHosts;
    }

    /** The password file read when no password is set, or null. */
    public Path passfile() {
        return passfile;
    }

    /** This configuration narrowed to one of its hosts, with the password for it (from the password file). */
    ReplicationConfig forServer(ServerAddress server, String serverPassword) {
        Builder b = toBuilder();
        b.password = serverPassword;
        return new ReplicationConfig(b, List.of(server));
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

    /**
     * The caller streamed from this slot before (e.g. reconnecting): a missing slot then means it was lost, or this
     * is a promoted standby it never reached, and changes may be lost. Refused with a permanent error, never
     * re-created, even with {@link #createSlot()}; a temporary slot is exempt (it goes with its connection).
     */
    public boolean expectExistingSlot() {
        return expectExistingSlot;
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

    /** {@code host:port} or the socket path (comma-separated for several hosts), for messages. */
    public String endpoint() {
        return String.join(",", hosts.stream().map(ServerAddress::toString).toList());
    }

    @Override
    public String toString() {
        return "ReplicationConfig[" + endpoint() + ", targetSessionAttrs=" + targetSessionAttrs
                + ", loadBalanceHosts=" + loadBalanceHosts + ", database=" + database + ", user=" + user
                + ", password=" + (password == null ? "<none>" : "<redacted>") + ", passfile=" + passfile
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
        private String ports;
        private TargetSessionAttrs targetSessionAttrs = TargetSessionAttrs.parse(ReplicationDefaults.TARGET_SESSION_ATTRS);
        private boolean loadBalanceHosts;
        private Path passfile;
        private String url;
        private String service;
        private Map<String, String> environment;
        /** libpq keywords set through a builder method: no url, service or environment value overrides them. */
        private final Set<String> explicit = new HashSet<>();
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
        private boolean expectExistingSlot;
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

        /**
         * A host name, IP address or socket directory, or a comma-separated list of them tried in order (libpq
         * multi-host); an empty entry is the default host.
         */
        public Builder host(String host) {
            this.host = host;
            return explicit("host");
        }

        /** One port for every host. */
        public Builder port(int port) {
            this.port = port;
            this.ports = null;
            return explicit("port");
        }

        /** One port for every host, or a comma-separated list with one port per host (an empty entry is 5432). */
        public Builder port(String ports) {
            this.ports = ports;
            return explicit("port");
        }

        /** Which host of the list to use (libpq {@code target_session_attrs}); default any. */
        public Builder targetSessionAttrs(TargetSessionAttrs targetSessionAttrs) {
            this.targetSessionAttrs = targetSessionAttrs;
            return explicit("target_session_attrs");
        }

        /** Try the hosts in random order (libpq {@code load_balance_hosts=random}) instead of as listed. */
        public Builder loadBalanceHosts(boolean loadBalanceHosts) {
            this.loadBalanceHosts = loadBalanceHosts;
            return explicit("load_balance_hosts");
        }

        /** The password file (libpq {@code passfile}) read when no password is set; default PGPASSFILE or ~/.pgpass. */
        public Builder passfile(Path passfile) {
            this.passfile = passfile;
            return explicit("passfile");
        }

        /**
         * A libpq connection URI, e.g. {@code postgresql://user@h1:5432,h2:5433/db?target_session_attrs=primary}.
         * Options set on this builder override what it says, whichever is called first.
         */
        public Builder url(String url) {
            this.url = url;
            return this;
        }

        /** A service of the connection service file (libpq {@code service}): its settings come below url's. */
        public Builder service(String service) {
            this.service = service;
            return this;
        }

        /**
         * Starts from libpq's environment variables ({@code PGHOST}, {@code PGPORT}, {@code PGDATABASE},
         * {@code PGUSER}, {@code PGPASSWORD}, {@code PGPASSFILE}, {@code PGSERVICE}, {@code PGSERVICEFILE},
         * {@code PGSYSCONFDIR}, {@code PGSSLMODE}, {@code PGAPPNAME}, {@code PGTARGETSESSIONATTRS}...): the lowest
         * layer, below the service file, url and explicit options. Without this call no {@code PG*} variable sets a
         * connection option; only the files' locations are read from the process environment.
         */
        public Builder fromEnvironment(Map<String, String> environment) {
            this.environment = Map.copyOf(environment);
            return this;
        }

        /** {@link #fromEnvironment(Map)} with this process's environment. */
        public Builder fromEnvironment() {
            return fromEnvironment(System.getenv());
        }

        public Builder database(String database) {
            this.database = database;
            return explicit("dbname");
        }

        public Builder user(String user) {
            this.user = user;
            return explicit("user");
        }

        public Builder password(String password) {
            this.password = password;
            return explicit("password");
        }

        public Builder applicationName(String applicationName) {
            this.applicationName = applicationName;
            return explicit("application_name");
        }

        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
            return explicit("connect_timeout");
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
            return explicit("sslmode");
        }

        public Builder sslNegotiation(SslNegotiation sslNegotiation) {
            this.sslNegotiation = sslNegotiation;
            return explicit("sslnegotiation");
        }

        public Builder sslRootCert(Path sslRootCert) {
            this.sslRootCert = sslRootCert;
            return explicit("sslrootcert");
        }

        public Builder sslCert(Path sslCert) {
            this.sslCert = sslCert;
            return explicit("sslcert");
        }

        public Builder sslKey(Path sslKey) {
            this.sslKey = sslKey;
            return explicit("sslkey");
        }

        public Builder sslKeyPassword(String sslKeyPassword) {
            this.sslKeyPassword = sslKeyPassword;
            return explicit("sslpassword");
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
            return explicit("channel_binding");
        }

        public Builder requireAuth(Set<AuthMethod> allowed) {
            this.requireAuth = allowed.isEmpty() ? EnumSet.noneOf(AuthMethod.class) : EnumSet.copyOf(allowed);
            return explicit("require_auth");
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

        /** See {@link ReplicationConfig#expectExistingSlot()}. */
        public Builder expectExistingSlot(boolean expectExistingSlot) {
            this.expectExistingSlot = expectExistingSlot;
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

        /**
         * Applies url, service and environment below the explicit options, validates and builds; a
         * {@link ConfigurationException} names the offending option.
         */
        public ReplicationConfig build() {
            Map<String, String> files = environment != null ? environment : System.getenv();
            LibpqSettings.resolve(url, service, environment, files, explicit).forEach(this::apply);
            if (passfile == null) {
                passfile = LibpqSettings.defaultPassfile(files);
            }
            List<ServerAddress> hosts = hostList();
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
            Objects.requireNonNull(targetSessionAttrs, "targetSessionAttrs");
            return new ReplicationConfig(this, hosts);
        }

        private Builder explicit(String libpqKeyword) {
            explicit.add(libpqKeyword);
            return this;
        }

        /** Sets an option from a libpq keyword's value (from url, service file or environment). */
        private void apply(String keyword, String value) {
            switch (keyword) {
                case "host" -> host = value;
                case "port" -> ports = value;
                case "dbname" -> database = value;
                case "user" -> user = value;
                case "password" -> password = value;
                case "passfile" -> passfile = Path.of(value);
                case "application_name" -> applicationName = value;
                case "connect_timeout" -> connectTimeout = libpqConnectTimeout(value, connectTimeout);
                case "sslmode" -> sslMode = SslMode.parse(value);
                case "sslnegotiation" -> sslNegotiation = SslNegotiation.parse(value);
                // "system" is libpq's name for the platform's trust store: the JVM's here
                case "sslrootcert" -> sslRootCert = value.equals("system") ? null : Path.of(value);
                case "sslcert" -> sslCert = Path.of(value);
                case "sslkey" -> sslKey = Path.of(value);
                case "sslpassword" -> sslKeyPassword = value;
                case "channel_binding" -> channelBinding = ChannelBinding.parse(value);
                case "require_auth" -> {
                    requireAuth = EnumSet.noneOf(AuthMethod.class);
                    requireAuth.addAll(AuthMethod.parseAllowList(value));
                }
                case "target_session_attrs" -> targetSessionAttrs = TargetSessionAttrs.parse(value);
                case "load_balance_hosts" -> loadBalanceHosts = switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
                    case "random" -> true;
                    case "disable" -> false;
                    default -> throw new ConfigurationException("load_balance_hosts '" + value
                            + "' is not one of disable, random");
                };
                default -> throw new ConfigurationException("connection setting '" + keyword + "' is not supported");
            }
        }

        /** libpq: whole seconds, 0 = wait forever (here: keep the default), values below 2 count as 2. */
        private static Duration libpqConnectTimeout(String value, Duration current) {
            long seconds;
            try {
                seconds = Long.parseLong(value.trim());
            } catch (NumberFormatException e) {
                throw new ConfigurationException("connect_timeout '" + value + "' is not a whole number of seconds");
            }
            return seconds <= 0 ? current : Duration.ofSeconds(Math.max(2, seconds));
        }

        /** host and port as lists: one port for all hosts, or one per host; empty entries take the defaults. */
        private List<ServerAddress> hostList() {
            require(host != null && !host.isBlank(), "host must be set (a host name, IP, or socket directory)");
            String[] names = host.split(",", -1);
            String[] portTexts = ports == null ? new String[] {Integer.toString(port)} : ports.split(",", -1);
            require(portTexts.length == 1 || portTexts.length == names.length, "port lists " + portTexts.length
                    + " ports for " + names.length + " hosts; give one port for all hosts or one per host");
            List<ServerAddress> list = new ArrayList<>(names.length);
            for (int i = 0; i < names.length; i++) {
                String name = names[i].trim();
                String portText = portTexts[portTexts.length == 1 ? 0 : i].trim();
                int p;
                try {
                    p = portText.isEmpty() ? ReplicationDefaults.PORT : Integer.parseInt(portText);
                } catch (NumberFormatException e) {
                    throw new ConfigurationException("port '" + portText + "' is not a number");
                }
                require(p > 0 && p < 65536, "port " + p + " is not a TCP port (1-65535)");
                list.add(new ServerAddress(name.isEmpty() ? ReplicationDefaults.HOST : name, p));
            }
            return list;
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
