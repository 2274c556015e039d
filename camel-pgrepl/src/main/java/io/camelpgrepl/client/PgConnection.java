package io.camelpgrepl.client;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.camelpgrepl.client.auth.Authenticator;
import io.camelpgrepl.client.tls.TlsUpgrader;
import io.camelpgrepl.client.wire.BackendMessages;
import io.camelpgrepl.client.wire.Frame;
import io.camelpgrepl.client.wire.FrameReader;
import io.camelpgrepl.client.wire.FrontendMessages;

/**
 * One PostgreSQL connection in {@code replication=database} mode: socket (TCP or Unix-domain), TLS
 * negotiation, startup and authentication, simple queries, and the raw frame I/O the streaming loop uses.
 * Reads belong to one thread at a time; writes are serialised by a lock so the status-update thread and the
 * reader can both send.
 */
final class PgConnection implements Closeable {

    private static final Logger LOG = LoggerFactory.getLogger(PgConnection.class);

    /**
     * libpq's cap on a message before authentication completes (fe-connect.c/fe-protocol3.c: 30,000 bytes, length
     * word included): until then nothing large is legitimate, and an unauthenticated peer must not make us allocate.
     */
    static final int STARTUP_MESSAGE_LIMIT = 30_000;

    /** libpq's bounds for an authentication request, length word included (fe-connect.c). */
    private static final int AUTH_REQUEST_MIN = 8;
    private static final int AUTH_REQUEST_MAX = 2000;

    /** Bounds connect + TLS + startup (and, through ConnectAttempt, each step after it): closes what takes too long. */
    static final ScheduledThreadPoolExecutor WATCHDOG = newWatchdog();

    private final ReplicationConfig config;
    private final Closeable socket;
    private final InputStream in;
    private final OutputStream out;
    private final SSLSession tlsSession;
    private final FrameReader reader;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Map<String, String> parameters = new HashMap<>();
    private int backendPid;
    private volatile boolean closed;

    private PgConnection(ReplicationConfig config, Closeable socket, InputStream in, OutputStream out,
                         SSLSession tlsSession, InputStream beneathTls) {
        this.config = config;
        this.socket = socket;
        this.in = in;
        this.out = out;
        this.tlsSession = tlsSession;
        this.reader = new FrameReader(in, config.maxMessageSize(), beneathTls);
    }

    /** Over given streams, without a socket: lets tests and fuzzing play the server from bytes. */
    PgConnection(ReplicationConfig config, InputStream in, OutputStream out, SSLSession tlsSessionOrNull) {
        this(config, null, in, out, tlsSessionOrNull, null);
    }

    /** Connects, negotiates TLS per {@code sslMode}, authenticates, and waits for ReadyForQuery. */
    static PgConnection open(ReplicationConfig config) {
        SslMode mode = config.isUnixSocket() ? SslMode.DISABLE : config.sslMode();
        if (mode == SslMode.ALLOW) {
            try {
                return open(config, false);
            } catch (ServerErrorException | AuthenticationException plainRefused) {
                LOG.debug("Plain connection to {} refused ({}); retrying with TLS (sslMode=allow)",
                        config.endpoint(), plainRefused.getMessage());
                return open(config, true);
            }
        }
        return open(config, mode != SslMode.DISABLE);
    }

    private static PgConnection open(ReplicationConfig config, boolean tryTls) {
        Closeable raw = null;
        ScheduledFuture<?> watchdog = null;
        final Closeable[] toClose = new Closeable[1];
        // Set before the watchdog closes the socket: the blocked read may fail before the watchdog task returns.
        AtomicBoolean expired = new AtomicBoolean();
        try {
            InputStream in;
            OutputStream out;
            InputStream beneathTls = null;
            SSLSession session = null;
            if (config.isUnixSocket()) {
                SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
                raw = ch;
                toClose[0] = ch;
                watchdog = scheduleWatchdog(config, toClose, expired);
                ch.connect(UnixDomainSocketAddress.of(config.unixSocketPath()));
                in = new ChannelIn(ch);
                out = new ChannelOut(ch);
            } else {
                Socket s = new Socket();
                raw = s;
                toClose[0] = s;
                watchdog = scheduleWatchdog(config, toClose, expired);
                s.setTcpNoDelay(true);
                s.setKeepAlive(true);
                s.connect(new InetSocketAddress(config.host(), config.port()),
                        (int) Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis()));
                Socket active = s;
                if (tryTls) {
                    if (config.sslNegotiation() == SslNegotiation.DIRECT) {
                        active = TlsUpgrader.upgrade(s, config, config.host(), config.port());
                    } else {
                        s.getOutputStream().write(FrontendMessages.sslRequest());
                        s.getOutputStream().flush();
                        int answer = s.getInputStream().read();
                        if (answer == 'S') {
                            active = TlsUpgrader.upgrade(s, config, config.host(), config.port());
                        } else if (answer == 'N') {
                            if (config.sslMode() != SslMode.PREFER && config.sslMode() != SslMode.ALLOW) {
                                throw new TlsException("Server " + config.endpoint() + " does not accept TLS, but sslMode="
                                        + config.sslMode().libpqName() + " requires it; enable ssl on the server or "
                                        + "lower sslMode");
                            }
                        } else {
                            throw new ProtocolException("Server " + config.endpoint()
                                    + " answered the SSLRequest with " + (answer < 0 ? "end of stream" : "byte " + answer)
                                    + "; is this a PostgreSQL server?");
                        }
                    }
                }
                toClose[0] = active;
                raw = active;
                if (active instanceof SSLSocket) {
                    session = ((SSLSocket) active).getSession();
                }
                in = active.getInputStream();
                out = active.getOutputStream();
                if (active != s) {
                    beneathTls = s.getInputStream();
                }
            }
            PgConnection c = new PgConnection(config, raw, in, out, session, beneathTls);
            c.startup(new Authenticator(config, session));
            if (!watchdog.cancel(false)) {
                throw new ConnectionException("Connecting to " + config.endpoint() + " took longer than connectTimeout="
                        + config.connectTimeout());
            }
            return c;
        } catch (ReplicationException e) {
            closeQuietly(raw);
            throw watchdogExpired(expired, config, e);
        } catch (IOException e) {
            closeQuietly(raw);
            throw watchdogExpired(expired, config, new ConnectionException(
                    "Cannot connect to " + config.endpoint() + ": " + e.getMessage(), e));
        } catch (RuntimeException e) {
            // A malformed message that slipped past the checks must still close the socket and stay typed.
            closeQuietly(raw);
            throw new ProtocolException("Malformed message from " + config.endpoint() + " during startup ("
                    + e.getClass().getSimpleName() + "); is this a PostgreSQL server?", e);
        } finally {
            if (watchdog != null) {
                watchdog.cancel(false);
            }
        }
    }

    /** Closes whatever {@code toClose} holds when connectTimeout passes, after marking {@code expired}. */
    private static ScheduledFuture<?> scheduleWatchdog(ReplicationConfig config, Closeable[] toClose, AtomicBoolean expired) {
        return WATCHDOG.schedule(() -> {
            expired.set(true);
            closeQuietly(toClose[0]);
        }, config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }

    private static ReplicationException watchdogExpired(AtomicBoolean expired, ReplicationConfig config,
                                                        ReplicationException e) {
        if (expired.get()) {
            return new ConnectionException("Connecting to " + config.endpoint() + " did not complete within connectTimeout="
                    + config.connectTimeout() + " (" + e.getMessage() + ")", e);
        }
        return e;
    }

    /** Sends the startup packet and answers the server until ReadyForQuery, with {@code auth}'s policy. */
    void startup(Authenticator auth) throws IOException {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("user", config.user());
        params.put("database", config.database());
        params.put("replication", "database");
        params.put("client_encoding", "UTF8");
        params.put("application_name", config.applicationName());
        write(FrontendMessages.startup(params));
        reader.limit(STARTUP_MESSAGE_LIMIT - 4, "before authentication completes, messages are capped at "
                + STARTUP_MESSAGE_LIMIT + " bytes, as libpq does");
        while (true) {
            Frame f = readFrame();
            switch (f.type()) {
                case 'R': {
                    if (f.body().length + 4 < AUTH_REQUEST_MIN || f.body().length + 4 > AUTH_REQUEST_MAX) {
                        throw new ProtocolException("Server " + config.endpoint() + " sent an invalid authentication"
                                + " request (" + (f.body().length + 4) + " bytes; libpq accepts " + AUTH_REQUEST_MIN
                                + " to " + AUTH_REQUEST_MAX + "); is this a PostgreSQL server?");
                    }
                    ByteBuffer body = f.buffer();
                    if (body.remaining() >= 4 && body.getInt(0) == 0) {
                        auth.onAuthenticationOk();
                    } else {
                        byte[] reply = auth.onAuthenticationRequest(body);
                        if (reply != null) {
                            write(FrontendMessages.typed('p', reply));
                        }
                    }
                    break;
                }
                case 'S': {
                    Map.Entry<String, String> e = BackendMessages.parameterStatus(f);
                    parameters.put(e.getKey(), e.getValue());
                    break;
                }
                case 'K':
                    if (f.body().length < 8) {
                        throw new ProtocolException("Server " + config.endpoint() + " sent a BackendKeyData of "
                                + f.body().length + " bytes; protocol 3.0 sends 8 (process id and key)");
                    }
                    backendPid = f.buffer().getInt();
                    break;
                case 'N':
                    logNotice(f);
                    break;
                case 'v':
                    LOG.debug("Server {} negotiated a lower protocol minor version", config.endpoint());
                    break;
                case 'E': {
                    ServerError err = BackendMessages.serverError(f);
                    if (err.sqlState().startsWith("28")) {
                        String action = "28P01".equals(err.sqlState()) ? "check the user and password"
                                : "check the role (LOGIN, REPLICATION) and the server's pg_hba.conf for this user,"
                                  + " database and address";
                        throw new AuthenticationException("Authentication as user '" + config.user() + "' to "
                                + config.endpoint() + " failed: " + err.describe() + "; " + action,
                                new ServerErrorException("startup", err));
                    }
                    throw new ServerErrorException("Connecting to " + config.endpoint() + " as '" + config.user()
                            + "' (database '" + config.database() + "') failed", err);
                }
                case 'Z':
                    reader.liftLimit();
                    return;
                default:
                    throw new ProtocolException("Unexpected message '" + f.typeChar() + "' from " + config.endpoint()
                            + " during startup");
            }
        }
    }

    /** Runs one simple query and returns its rows (text values; null for SQL NULL). */
    List<List<String>> query(String sql) {
        try {
            write(FrontendMessages.query(sql));
            List<List<String>> rows = new ArrayList<>();
            ServerError error = null;
            while (true) {
                Frame f = readFrame();
                switch (f.type()) {
                    case 'D':
                        rows.add(BackendMessages.dataRow(f));
                        break;
                    case 'E':
                        error = BackendMessages.serverError(f);
                        break;
                    case 'N':
                        logNotice(f);
                        break;
                    case 'S': {
                        Map.Entry<String, String> e = BackendMessages.parameterStatus(f);
                        parameters.put(e.getKey(), e.getValue());
                        break;
                    }
                    case 'T':
                    case 'C':
                    case 'I':
                        break;
                    case 'Z':
                        if (error != null) {
                            throw new ServerErrorException(firstWord(sql) + " on " + config.endpoint() + " failed", error);
                        }
                        return rows;
                    default:
                        throw new ProtocolException("Unexpected message '" + f.typeChar() + "' in reply to "
                                + firstWord(sql));
                }
            }
        } catch (IOException e) {
            throw new ConnectionException("Connection to " + config.endpoint() + " lost during " + firstWord(sql)
                    + ": " + e.getMessage(), e);
        }
    }

    /** Sends a command that answers with CopyBothResponse (START_REPLICATION) and waits for it. */
    void startCopyBoth(String sql, String context) {
        try {
            write(FrontendMessages.query(sql));
            while (true) {
                Frame f = readFrame();
                switch (f.type()) {
                    case 'W':
                        return;
                    case 'N':
                        logNotice(f);
                        break;
                    case 'S':
                        break;
                    case 'E': {
                        ServerError err = BackendMessages.serverError(f);
                        throw new ServerErrorException(context, err);
                    }
                    default:
                        throw new ProtocolException("Unexpected message '" + f.typeChar() + "' in reply to "
                                + firstWord(sql) + " (expected CopyBothResponse)");
                }
            }
        } catch (IOException e) {
            throw new ConnectionException(context + ": connection lost: " + e.getMessage(), e);
        }
    }

    /**
     * Streaming has begun: reads gather what a busy server sent for up to {@code coalesce} (see FrameReader). Not on
     * a Unix socket: its queue is bounded by the server's send buffer counted per write, and a walsender writes each
     * message on its own, so a few hundred messages fill it and a reader that waits stalls the server (a 1M-row drain
     * at 0.57x pg_recvlogical over the same socket with the wait).
     */
    void coalesceReads(java.time.Duration coalesce) {
        if (!config.isUnixSocket()) {
            reader.coalesceReads(coalesce);
        }
    }

    /** Blocks for the next frame; a timed-out read keeps waiting (the watchdog or close() ends a hang). */
    Frame readFrame() throws IOException {
        while (true) {
            Frame f = reader.next();
            if (f != null) {
                return f;
            }
            if (closed) {
                throw new EOFException("connection closed");
            }
        }
    }

    /** True when a whole frame is already buffered, so the next read will not block. */
    boolean hasBufferedFrame() {
        return reader.hasCompleteFrame();
    }

    /** True when the next frame can be read without waiting for the network (buffered here or in the socket). */
    boolean canReadWithoutBlocking() {
        if (reader.hasCompleteFrame()) {
            return true;
        }
        try {
            return in.available() > 0;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Bytes received on this connection so far: monotonic, cheap, safe to read from any thread. It moves while a
     * large message is still arriving, so a liveness check should watch it rather than whole frames.
     */
    long bytesRead() {
        return reader.bytesRead();
    }

    void write(byte[] message) throws IOException {
        writeLock.lock();
        try {
            out.write(message);
            out.flush();
        } finally {
            writeLock.unlock();
        }
    }

    String parameter(String name) {
        return parameters.get(name);
    }

    int backendPid() {
        return backendPid;
    }

    boolean isTls() {
        return tlsSession != null;
    }

    void logNotice(Frame f) {
        ServerError n = BackendMessages.serverError(f);
        LOG.info("Server {} says: {}", config.endpoint(), n.describe());
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(socket);
    }

    static void closeQuietly(Closeable c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException | RuntimeException ignored) {
                // closing is best effort
            }
        }
    }

    private static String firstWord(String sql) {
        int sp = sql.indexOf(' ');
        return sp < 0 ? sql : sql.substring(0, sp);
    }

    private static ScheduledThreadPoolExecutor newWatchdog() {
        ScheduledThreadPoolExecutor ex = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "pgrepl-connect-watchdog");
            t.setDaemon(true);
            return t;
        });
        ex.setKeepAliveTime(1, TimeUnit.SECONDS);
        ex.allowCoreThreadTimeOut(true);
        ex.setRemoveOnCancelPolicy(true);
        return ex;
    }

    /** Reads straight from the channel: Channels.newInputStream would hold the channel's lock while blocked. */
    private static final class ChannelIn extends InputStream {
        private final SocketChannel ch;

        ChannelIn(SocketChannel ch) {
            this.ch = ch;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return ch.read(ByteBuffer.wrap(b, off, len));
        }
    }

    private static final class ChannelOut extends OutputStream {
        private final SocketChannel ch;

        ChannelOut(SocketChannel ch) {
            this.ch = ch;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            ByteBuffer bb = ByteBuffer.wrap(b, off, len);
            while (bb.hasRemaining()) {
                ch.write(bb);
            }
        }
    }

}
