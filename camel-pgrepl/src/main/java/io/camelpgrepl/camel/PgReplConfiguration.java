package io.camelpgrepl.camel;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import javax.net.ssl.SSLContext;

import io.camelpgrepl.client.ChannelBinding;
import io.camelpgrepl.client.Lsn;
import io.camelpgrepl.client.Origin;
import io.camelpgrepl.client.ReplicationConfig;
import io.camelpgrepl.client.ReplicationDefaults;
import io.camelpgrepl.client.SnapshotMode;
import io.camelpgrepl.client.SslMode;
import io.camelpgrepl.client.SslNegotiation;
import io.camelpgrepl.client.StreamingMode;
import org.apache.camel.CamelContext;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.util.ObjectHelper;

/**
 * Every option of the pgrepl component, shared by the component (defaults for all its endpoints) and each
 * endpoint (its own copy). Option names are fixed by the design: examples, docs and tools depend on them.
 *
 * <p>Longer than our usual file because Camel's generator wants every option as a field with its annotation plus a
 * getter and a documented setter; the defaults the client shares live in {@link ReplicationDefaults}.
 */
@UriParams
public class PgReplConfiguration implements Cloneable {

    @UriPath(description = "The replication slot to stream from.")
    @Metadata(required = true)
    private String slot;

    @UriParam(label = "common", defaultValue = ReplicationDefaults.HOST)
    private String host = ReplicationDefaults.HOST;

    @UriParam(label = "common", defaultValue = "" + ReplicationDefaults.PORT)
    private int port = ReplicationDefaults.PORT;

    @UriParam(label = "common", defaultValue = ReplicationDefaults.DATABASE)
    private String database = ReplicationDefaults.DATABASE;

    @UriParam(label = "common", security = "secret")
    private String user;

    @UriParam(label = "common", security = "secret")
    private String password;

    @UriParam(label = "common")
    @Metadata(required = true)
    private String publication;

    @UriParam(label = "consumer")
    private String startLsn;

    @UriParam(label = "consumer")
    private String stopAtLsn;

    @UriParam(label = "consumer", defaultValue = "false")
    private boolean strictStartLsn = false;

    @UriParam(label = "consumer")
    private String expectedSystemId;

    @UriParam(label = "security", defaultValue = ReplicationDefaults.SSL_MODE,
              enums = "disable,allow,prefer,require,verify-ca,verify-full")
    private SslMode sslMode = SslMode.parse(ReplicationDefaults.SSL_MODE);

    @UriParam(label = "security", defaultValue = ReplicationDefaults.SSL_NEGOTIATION, enums = "postgres,direct")
    private SslNegotiation sslNegotiation = SslNegotiation.parse(ReplicationDefaults.SSL_NEGOTIATION);

    @UriParam(label = "security")
    private String sslRootCert;

    @UriParam(label = "security")
    private String sslCert;

    @UriParam(label = "security")
    private String sslKey;

    @UriParam(label = "security", security = "secret")
    private String sslKeyPassword;

    @UriParam(label = "security")
    private String sslServerName;

    @UriParam(label = "security")
    private SSLContextParameters sslContextParameters;

    @UriParam(label = "security", defaultValue = ReplicationDefaults.CHANNEL_BINDING, enums = "disable,prefer,require")
    private ChannelBinding channelBinding = ChannelBinding.parse(ReplicationDefaults.CHANNEL_BINDING);

    @UriParam(label = "security")
    private String requireAuth;

    @UriParam(label = "consumer", defaultValue = ReplicationDefaults.STATUS_INTERVAL, javaType = "java.time.Duration")
    private Duration statusInterval = ReplicationDefaults.duration(ReplicationDefaults.STATUS_INTERVAL);

    @UriParam(label = "consumer", defaultValue = "" + ReplicationDefaults.PROTO_VERSION)
    private int protoVersion = ReplicationDefaults.PROTO_VERSION;

    @UriParam(label = "consumer", defaultValue = "false")
    private boolean binary = false;

    @UriParam(label = "consumer", defaultValue = "false")
    private boolean messages = false;

    @UriParam(label = "consumer", defaultValue = ReplicationDefaults.STREAMING, enums = "off,on,parallel")
    private StreamingMode streaming = StreamingMode.parse(ReplicationDefaults.STREAMING);

    @UriParam(label = "consumer", defaultValue = "false")
    private boolean twoPhase = false;

    @UriParam(label = "consumer", enums = "none,any")
    private Origin origin;

    @UriParam(label = "consumer", defaultValue = "change", enums = "change,raw,debezium")
    private OutputFormat outputFormat = OutputFormat.CHANGE;

    @UriParam(label = "consumer", defaultValue = ReplicationDefaults.SNAPSHOT_MODE, enums = "never,initial,initialOnly")
    private SnapshotMode snapshotMode = SnapshotMode.parse(ReplicationDefaults.SNAPSHOT_MODE);

    @UriParam(label = "consumer", defaultValue = "false")
    private boolean includeTransactionEvents = false;

    @UriParam(label = "consumer", defaultValue = "false")
    private boolean includeRelationEvents = false;

    @UriParam(label = "consumer", defaultValue = "1")
    private int maxInflight = 1;

    @UriParam(label = "consumer", defaultValue = "redeliver", enums = "redeliver,stop,skip")
    private FailurePolicy failurePolicy = FailurePolicy.REDELIVER;

    @UriParam(label = "consumer", defaultValue = "1s", javaType = "java.time.Duration")
    private Duration reconnectDelay = Duration.ofSeconds(1);

    @UriParam(label = "consumer", defaultValue = "60s", javaType = "java.time.Duration")
    private Duration reconnectMaxDelay = Duration.ofSeconds(60);

    @UriParam(label = "consumer", defaultValue = "0")
    private int reconnectMaxAttempts = 0;

    @UriParam(label = "advanced", defaultValue = "false")
    private boolean createSlot = false;

    @UriParam(label = "advanced", defaultValue = "false")
    private boolean temporarySlot = false;

    @UriParam(label = "advanced", defaultValue = "false")
    private boolean failoverSlot = false;

    @UriParam(label = "advanced", defaultValue = "false")
    private boolean createPublication = false;

    @UriParam(label = "advanced")
    private String publicationTables;

    @UriParam(label = "advanced", defaultValue = "false")
    private boolean dropSlotOnStop = false;

    @UriParam(label = "advanced", defaultValue = "" + ReplicationDefaults.ACK_IDLE_KEEPALIVE)
    private boolean ackIdleKeepalive = ReplicationDefaults.ACK_IDLE_KEEPALIVE;

    @UriParam(label = "common", defaultValue = ReplicationDefaults.CONNECT_TIMEOUT, javaType = "java.time.Duration")
    private Duration connectTimeout = ReplicationDefaults.duration(ReplicationDefaults.CONNECT_TIMEOUT);

    @UriParam(label = "advanced", defaultValue = ReplicationDefaults.CREATE_SLOT_TIMEOUT,
              javaType = "java.time.Duration")
    private Duration createSlotTimeout = ReplicationDefaults.duration(ReplicationDefaults.CREATE_SLOT_TIMEOUT);

    @UriParam(label = "consumer", defaultValue = ReplicationDefaults.RECEIVE_TIMEOUT, javaType = "java.time.Duration")
    private Duration receiveTimeout = ReplicationDefaults.duration(ReplicationDefaults.RECEIVE_TIMEOUT);

    @UriParam(label = "common", defaultValue = ReplicationDefaults.APPLICATION_NAME)
    private String applicationName = ReplicationDefaults.APPLICATION_NAME;

    @UriParam(label = "advanced", defaultValue = "" + ReplicationDefaults.BUFFER_EVENTS)
    private int bufferEvents = ReplicationDefaults.BUFFER_EVENTS;

    @UriParam(label = "advanced", defaultValue = ReplicationDefaults.READ_COALESCE, javaType = "java.time.Duration")
    private Duration readCoalesce = ReplicationDefaults.duration(ReplicationDefaults.READ_COALESCE);

    @UriParam(label = "advanced", defaultValue = "" + ReplicationDefaults.MAX_MESSAGE_SIZE)
    private int maxMessageSize = ReplicationDefaults.MAX_MESSAGE_SIZE;

    @UriParam(label = "security", defaultValue = "false")
    private boolean allowCleartextPasswordWithoutTls = false;

    @UriParam(label = "advanced", defaultValue = "30s", javaType = "java.time.Duration")
    private Duration shutdownTimeout = Duration.ofSeconds(30);

    /** A shallow copy: the endpoint's own configuration, so component defaults are never changed through it. */
    public PgReplConfiguration copy() {
        try {
            return (PgReplConfiguration) clone();
        } catch (CloneNotSupportedException e) {
            throw new RuntimeCamelException(e);
        }
    }

    public String getSlot() {
        return slot;
    }

    /** The replication slot to stream from. */
    public void setSlot(String slot) {
        this.slot = slot;
    }

    public String getHost() {
        return host;
    }

    /** The PostgreSQL host name or IP address, or an absolute path to a Unix-domain socket directory. */
    public void setHost(String host) {
        this.host = host;
    }

    public int getPort() {
        return port;
    }

    /** The PostgreSQL port. */
    public void setPort(int port) {
        this.port = port;
    }

    public String getDatabase() {
        return database;
    }

    /** The database whose changes are streamed (logical slots belong to one database). */
    public void setDatabase(String database) {
        this.database = database;
    }

    public String getUser() {
        return user;
    }

    /** The user to connect as; it needs the REPLICATION attribute. */
    public void setUser(String user) {
        this.user = user;
    }

    public String getPassword() {
        return password;
    }

    /** The password; never logged. */
    public void setPassword(String password) {
        this.password = password;
    }

    public String getPublication() {
        return publication;
    }

    /** The publication (or comma-separated publications) whose changes are streamed. */
    public void setPublication(String publication) {
        this.publication = publication;
    }

    public String getStartLsn() {
        return startLsn;
    }

    /** The LSN to start from (e.g. 16/B374D848); empty starts at the slot's confirmed position; on reconnect the last acknowledged LSN is used. */
    public void setStartLsn(String startLsn) {
        this.startLsn = startLsn;
    }

    public String getStopAtLsn() {
        return stopAtLsn;
    }

    /** Bounded replay: deliver every transaction committed at or before this LSN, then emit a STOPPED exchange and stop streaming. */
    public void setStopAtLsn(String stopAtLsn) {
        this.stopAtLsn = stopAtLsn;
    }

    public boolean isStrictStartLsn() {
        return strictStartLsn;
    }

    /** Refuse to start when the server would silently move startLsn forward to the slot's confirmed position. */
    public void setStrictStartLsn(boolean strictStartLsn) {
        this.strictStartLsn = strictStartLsn;
    }

    public String getExpectedSystemId() {
        return expectedSystemId;
    }

    /** Refuse to stream from (and acknowledge to) any cluster whose system identifier differs from this one. */
    public void setExpectedSystemId(String expectedSystemId) {
        this.expectedSystemId = expectedSystemId;
    }

    public SslMode getSslMode() {
        return sslMode;
    }

    /** The TLS mode, with libpq's semantics. */
    public void setSslMode(SslMode sslMode) {
        this.sslMode = sslMode;
    }

    public SslNegotiation getSslNegotiation() {
        return sslNegotiation;
    }

    /** How TLS is negotiated: postgres (SSLRequest) or direct (PostgreSQL 17+). */
    public void setSslNegotiation(SslNegotiation sslNegotiation) {
        this.sslNegotiation = sslNegotiation;
    }

    public String getSslRootCert() {
        return sslRootCert;
    }

    /** PEM file of trusted root certificates; the JVM trust store when unset. */
    public void setSslRootCert(String sslRootCert) {
        this.sslRootCert = sslRootCert;
    }

    public String getSslCert() {
        return sslCert;
    }

    /** PEM file with the client certificate (chain) for mutual TLS. */
    public void setSslCert(String sslCert) {
        this.sslCert = sslCert;
    }

    public String getSslKey() {
        return sslKey;
    }

    /** PEM file with the client key (PKCS#8, PKCS#1, SEC1 or encrypted PKCS#8). */
    public void setSslKey(String sslKey) {
        this.sslKey = sslKey;
    }

    public String getSslKeyPassword() {
        return sslKeyPassword;
    }

    /** The password of an encrypted client key; never logged. */
    public void setSslKeyPassword(String sslKeyPassword) {
        this.sslKeyPassword = sslKeyPassword;
    }

    public String getSslServerName() {
        return sslServerName;
    }

    /** The server name sent as SNI and checked by verify-full instead of the host. */
    public void setSslServerName(String sslServerName) {
        this.sslServerName = sslServerName;
    }

    public SSLContextParameters getSslContextParameters() {
        return sslContextParameters;
    }

    /** Camel SSLContextParameters to use instead of the PEM options. */
    public void setSslContextParameters(SSLContextParameters sslContextParameters) {
        this.sslContextParameters = sslContextParameters;
    }

    public ChannelBinding getChannelBinding() {
        return channelBinding;
    }

    /** Whether SCRAM channel binding (SCRAM-SHA-256-PLUS) is used, with libpq's semantics. */
    public void setChannelBinding(ChannelBinding channelBinding) {
        this.channelBinding = channelBinding;
    }

    public String getRequireAuth() {
        return requireAuth;
    }

    /** The authentication methods the client accepts, in libpq require_auth syntax (e.g. scram-sha-256 or !password). */
    public void setRequireAuth(String requireAuth) {
        this.requireAuth = requireAuth;
    }

    public Duration getStatusInterval() {
        return statusInterval;
    }

    /** How often standby status updates (the acknowledgement) are sent. */
    public void setStatusInterval(Duration statusInterval) {
        this.statusInterval = statusInterval;
    }

    public int getProtoVersion() {
        return protoVersion;
    }

    /** The pgoutput protocol version (1-4); 0 picks the newest the server supports for the options asked for. */
    public void setProtoVersion(int protoVersion) {
        this.protoVersion = protoVersion;
    }

    public boolean isBinary() {
        return binary;
    }

    /** Ask pgoutput for column values in binary format. */
    public void setBinary(boolean binary) {
        this.binary = binary;
    }

    public boolean isMessages() {
        return messages;
    }

    /** Ask pgoutput to send logical decoding messages (pg_logical_emit_message). */
    public void setMessages(boolean messages) {
        this.messages = messages;
    }

    public StreamingMode getStreaming() {
        return streaming;
    }

    /** Whether pgoutput streams large in-progress transactions (true and false are read as on and off). */
    public void setStreaming(StreamingMode streaming) {
        this.streaming = streaming;
    }

    public boolean isTwoPhase() {
        return twoPhase;
    }

    /** Ask pgoutput for two-phase commit messages (and create the slot with two-phase when createSlot is on). */
    public void setTwoPhase(boolean twoPhase) {
        this.twoPhase = twoPhase;
    }

    public Origin getOrigin() {
        return origin;
    }

    /** Which origins' changes pgoutput sends: none (only local changes) or any. */
    public void setOrigin(Origin origin) {
        this.origin = origin;
    }

    public OutputFormat getOutputFormat() {
        return outputFormat;
    }

    /**
     * The body of each exchange: change (a decoded row change), raw (every pgoutput message as bytes, one exchange
     * each) or debezium (row changes in Debezium's PostgreSQL envelope: before, after, source, op, ts_ms).
     */
    public void setOutputFormat(OutputFormat outputFormat) {
        this.outputFormat = outputFormat;
    }

    public SnapshotMode getSnapshotMode() {
        return snapshotMode;
    }

    /**
     * Start with the rows that exist: never; initial (when the consumer creates the slot, createSlot=true, every row
     * of the publication's tables as a READ exchange first, then the changes from the slot's consistent point); or
     * initialOnly (the READ exchanges, then a STOPPED exchange, and the consumer stops, leaving no slot).
     */
    public void setSnapshotMode(SnapshotMode snapshotMode) {
        this.snapshotMode = snapshotMode;
    }

    public boolean isIncludeTransactionEvents() {
        return includeTransactionEvents;
    }

    /** Also emit Begin and Commit as exchanges when outputFormat is change. */
    public void setIncludeTransactionEvents(boolean includeTransactionEvents) {
        this.includeTransactionEvents = includeTransactionEvents;
    }

    public boolean isIncludeRelationEvents() {
        return includeRelationEvents;
    }

    /** Also emit a RELATION exchange (body: the table's columns and key) each time pgoutput describes a table, when outputFormat is change. */
    public void setIncludeRelationEvents(boolean includeRelationEvents) {
        this.includeRelationEvents = includeRelationEvents;
    }

    public int getMaxInflight() {
        return maxInflight;
    }

    /** How many exchanges may be in flight at once; at the bound the consumer stops taking events (1 = strictly in order). */
    public void setMaxInflight(int maxInflight) {
        this.maxInflight = maxInflight;
    }

    public FailurePolicy getFailurePolicy() {
        return failurePolicy;
    }

    /** What a failed exchange does: redeliver (restart from the last acknowledged LSN), stop the consumer, or skip (acknowledge and log the loss). */
    public void setFailurePolicy(FailurePolicy failurePolicy) {
        this.failurePolicy = failurePolicy;
    }

    public Duration getReconnectDelay() {
        return reconnectDelay;
    }

    /** The first delay before reconnecting after a transient error; doubles on each failed attempt. */
    public void setReconnectDelay(Duration reconnectDelay) {
        this.reconnectDelay = reconnectDelay;
    }

    public Duration getReconnectMaxDelay() {
        return reconnectMaxDelay;
    }

    /** The largest delay between reconnect attempts. */
    public void setReconnectMaxDelay(Duration reconnectMaxDelay) {
        this.reconnectMaxDelay = reconnectMaxDelay;
    }

    public int getReconnectMaxAttempts() {
        return reconnectMaxAttempts;
    }

    /** How many reconnect attempts in a row before the consumer gives up; 0 retries forever. */
    public void setReconnectMaxAttempts(int reconnectMaxAttempts) {
        this.reconnectMaxAttempts = reconnectMaxAttempts;
    }

    public boolean isCreateSlot() {
        return createSlot;
    }

    /** Create the replication slot when it does not exist. */
    public void setCreateSlot(boolean createSlot) {
        this.createSlot = createSlot;
    }

    public boolean isTemporarySlot() {
        return temporarySlot;
    }

    /** Create the slot as a temporary slot (dropped by the server when the connection ends). */
    public void setTemporarySlot(boolean temporarySlot) {
        this.temporarySlot = temporarySlot;
    }

    public boolean isFailoverSlot() {
        return failoverSlot;
    }

    /** Create the slot as a failover slot (PostgreSQL 17+). */
    public void setFailoverSlot(boolean failoverSlot) {
        this.failoverSlot = failoverSlot;
    }

    public boolean isCreatePublication() {
        return createPublication;
    }

    /** Create the publication when it does not exist (for all tables, or for publicationTables). */
    public void setCreatePublication(boolean createPublication) {
        this.createPublication = createPublication;
    }

    public String getPublicationTables() {
        return publicationTables;
    }

    /** Comma-separated tables (schema.table) for a publication created by createPublication; all tables when empty. */
    public void setPublicationTables(String publicationTables) {
        this.publicationTables = publicationTables;
    }

    public boolean isDropSlotOnStop() {
        return dropSlotOnStop;
    }

    /** Drop the replication slot when the consumer stops. */
    public void setDropSlotOnStop(boolean dropSlotOnStop) {
        this.dropSlotOnStop = dropSlotOnStop;
    }

    public boolean isAckIdleKeepalive() {
        return ackIdleKeepalive;
    }

    /** Acknowledge a keepalive's WAL end when nothing is pending, so an idle slot does not pin WAL. */
    public void setAckIdleKeepalive(boolean ackIdleKeepalive) {
        this.ackIdleKeepalive = ackIdleKeepalive;
    }

    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    /** How long each step of connecting (TCP, TLS, authentication, each setup query, start of streaming) may take. */
    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    public Duration getCreateSlotTimeout() {
        return createSlotTimeout;
    }

    /**
     * How long creating the slot (createSlot) may take: the server waits for the transactions running when it
     * started, so a long transaction holds it up; past this the attempt fails and is retried with backoff.
     */
    public void setCreateSlotTimeout(Duration createSlotTimeout) {
        this.createSlotTimeout = createSlotTimeout;
    }

    public Duration getReceiveTimeout() {
        return receiveTimeout;
    }

    /** After this long with nothing from the server the connection is probed, then treated as dead and reconnected. */
    public void setReceiveTimeout(Duration receiveTimeout) {
        this.receiveTimeout = receiveTimeout;
    }

    public String getApplicationName() {
        return applicationName;
    }

    /** The application_name reported to the server (visible in pg_stat_replication). */
    public void setApplicationName(String applicationName) {
        this.applicationName = applicationName;
    }

    public int getBufferEvents() {
        return bufferEvents;
    }

    /** How many events the client buffers between the socket and the consumer; when full, reading pauses. */
    public void setBufferEvents(int bufferEvents) {
        this.bufferEvents = bufferEvents;
    }

    public Duration getReadCoalesce() {
        return readCoalesce;
    }

    /** How long a read may wait for more of a busy stream before taking what is there; fewer server wake-ups, at most this much latency (0 = off). */
    public void setReadCoalesce(Duration readCoalesce) {
        this.readCoalesce = readCoalesce;
    }

    public int getMaxMessageSize() {
        return maxMessageSize;
    }

    /** The largest protocol message accepted, in bytes; a longer length word is a protocol error, not an allocation. */
    public void setMaxMessageSize(int maxMessageSize) {
        this.maxMessageSize = maxMessageSize;
    }

    public boolean isAllowCleartextPasswordWithoutTls() {
        return allowCleartextPasswordWithoutTls;
    }

    /** Allow sending a cleartext password (password authentication) over a connection that is not encrypted. */
    public void setAllowCleartextPasswordWithoutTls(boolean allowCleartextPasswordWithoutTls) {
        this.allowCleartextPasswordWithoutTls = allowCleartextPasswordWithoutTls;
    }

    public Duration getShutdownTimeout() {
        return shutdownTimeout;
    }

    /** How long a graceful stop waits for exchanges in flight before closing. */
    public void setShutdownTimeout(Duration shutdownTimeout) {
        this.shutdownTimeout = shutdownTimeout;
    }

    /** The publications named by {@link #getPublication()}, trimmed. */
    public List<String> publications() {
        return splitList(publication);
    }

    /** The tables named by {@link #getPublicationTables()}, trimmed. */
    public List<String> publicationTableList() {
        return splitList(publicationTables);
    }

    private static List<String> splitList(String text) {
        if (ObjectHelper.isEmpty(text)) {
            return List.of();
        }
        return Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** Checks the values the client does not check itself; the message names the option. */
    public void validate() {
        if (outputFormat == null) {
            throw new IllegalArgumentException("outputFormat must be set: change or raw");
        }
        if (failurePolicy == null) {
            throw new IllegalArgumentException("failurePolicy must be set: redeliver, stop or skip");
        }
        if (snapshotMode != SnapshotMode.NEVER && outputFormat == OutputFormat.RAW) {
            throw new IllegalArgumentException("snapshotMode=" + snapshotMode + " needs outputFormat=change or debezium:"
                    + " snapshot rows are decoded rows and have no pgoutput bytes");
        }
        if (maxInflight < 1) {
            throw new IllegalArgumentException("maxInflight must be at least 1, was " + maxInflight);
        }
        if (reconnectMaxAttempts < 0) {
            throw new IllegalArgumentException("reconnectMaxAttempts must be 0 (forever) or more, was " + reconnectMaxAttempts);
        }
        if (startLsn != null && !startLsn.isBlank()) {
            Lsn.parse(startLsn);
        }
        if (stopAtLsn != null && !stopAtLsn.isBlank()) {
            Lsn.parse(stopAtLsn);
        }
    }

    /**
     * The client configuration for one connection attempt.
     *
     * @param camelContext resolves {@link #getSslContextParameters()}
     * @param resumeFrom   the last acknowledged LSN to resume from, or null for the configured {@link #getStartLsn()}
     */
    public ReplicationConfig toReplicationConfig(CamelContext camelContext, Lsn resumeFrom) {
        ReplicationConfig.Builder b = ReplicationConfig.builder()
                .slot(slot)
                .host(host)
                .port(port)
                .database(database)
                .applicationName(applicationName)
                .connectTimeout(connectTimeout)
                .createSlotTimeout(createSlotTimeout)
                .publications(publications())
                .sslMode(sslMode)
                .sslNegotiation(sslNegotiation)
                .channelBinding(channelBinding)
                .statusInterval(statusInterval)
                .receiveTimeout(receiveTimeout)
                .protoVersion(protoVersion)
                .binary(binary)
                .messages(messages)
                .streaming(streaming)
                .twoPhase(twoPhase)
                .origin(origin)
                .ackIdleKeepalive(ackIdleKeepalive)
                .strictStartLsn(strictStartLsn)
                .bufferEvents(bufferEvents)
                .maxMessageSize(maxMessageSize)
                .readCoalesce(readCoalesce)
                .allowCleartextPasswordWithoutTls(allowCleartextPasswordWithoutTls)
                .createSlot(createSlot)
                .temporarySlot(temporarySlot)
                .failoverSlot(failoverSlot)
                .createPublication(createPublication)
                .publicationTables(publicationTableList())
                .dropSlotOnStop(dropSlotOnStop)
                .snapshotMode(snapshotMode);
        if (user != null) {
            b.user(user);
        }
        if (password != null) {
            b.password(password);
        }
        if (ObjectHelper.isNotEmpty(sslRootCert)) {
            b.sslRootCert(Path.of(sslRootCert));
        }
        if (ObjectHelper.isNotEmpty(sslCert)) {
            b.sslCert(Path.of(sslCert));
        }
        if (ObjectHelper.isNotEmpty(sslKey)) {
            b.sslKey(Path.of(sslKey));
        }
        if (sslKeyPassword != null) {
            b.sslKeyPassword(sslKeyPassword);
        }
        if (ObjectHelper.isNotEmpty(sslServerName)) {
            b.sslServerName(sslServerName);
        }
        if (sslContextParameters != null) {
            try {
                SSLContext ctx = sslContextParameters.createSSLContext(camelContext);
                b.sslContext(ctx);
            } catch (Exception e) {
                throw new RuntimeCamelException("sslContextParameters could not create an SSLContext: " + e.getMessage(), e);
            }
        }
        if (ObjectHelper.isNotEmpty(requireAuth)) {
            b.requireAuth(requireAuth);
        }
        if (ObjectHelper.isNotEmpty(expectedSystemId)) {
            b.expectedSystemId(Long.parseUnsignedLong(expectedSystemId.trim()));
        }
        if (resumeFrom != null && resumeFrom.isValid()) {
            b.startLsn(resumeFrom);
        } else if (ObjectHelper.isNotEmpty(startLsn)) {
            b.startLsn(Lsn.parse(startLsn));
        }
        if (ObjectHelper.isNotEmpty(stopAtLsn)) {
            b.stopAtLsn(Lsn.parse(stopAtLsn));
        }
        return b.build();
    }
}
