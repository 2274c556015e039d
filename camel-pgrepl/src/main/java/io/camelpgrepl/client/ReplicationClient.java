package io.camelpgrepl.client;

import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.ArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.camelpgrepl.client.ReplicationEvent.KeepAlive;
import io.camelpgrepl.client.ReplicationEvent.StoppedAt;
import io.camelpgrepl.client.wire.BackendMessages;
import io.camelpgrepl.client.wire.Frame;
import io.camelpgrepl.client.wire.FrontendMessages;
import io.camelpgrepl.client.wire.PgTime;
import io.camelpgrepl.client.wire.StandbyStatusUpdate;
import io.camelpgrepl.client.wire.XLogDataFrame;

/**
 * A logical replication stream from one slot, over one connection.
 *
 * <p>{@link #connect(ReplicationConfig)} returns once the server accepted {@code START_REPLICATION}, so bad
 * credentials, TLS failures and a missing slot surface there. Events are then read by one I/O thread into a
 * bounded buffer and handed out by {@link #recv()} in stream order. Progress is reported with
 * {@link #updateAppliedLsn(Lsn)}; a second thread sends standby status updates on schedule, even while the buffer
 * is full and the reader has stopped reading (TCP flow control then slows the walsender down, but its timeout
 * never fires).
 *
 * <p>Status updates carry {@code write} = the highest LSN received and {@code flush} = {@code apply} = the highest
 * LSN acknowledged; nothing is acknowledged on the application's behalf except, when {@code ackIdleKeepalive} is
 * on, a keepalive's position while no transaction is open and everything received has been acknowledged.
 */
public final class ReplicationClient implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ReplicationClient.class);
    private static final Object END = new Object();

    private final ReplicationConfig config;
    private final PgConnection conn;
    private final ServerInfo serverInfo;
    private final EventBuffer queue;
    private List<Object> batch = new ArrayList<>();
    private static final int MAX_BATCH = 512;
    private final Thread reader;
    private final Thread feedback;
    private final long statusIntervalNanos;
    private final long receiveTimeoutNanos;

    private final AtomicLong applied = new AtomicLong();
    private volatile long received;
    private volatile long serverWalEnd;
    private volatile long idleAck;
    private volatile long events;
    private volatile long statusSent;
    private volatile long lastReceivedNanos = System.nanoTime();
    private volatile Instant lastReceived;
    private volatile boolean readerWaiting;
    private volatile boolean paused;
    private volatile boolean stopRequested;
    private volatile boolean aborted;
    private volatile boolean terminated;
    private volatile ReplicationException failure;
    private final AtomicBoolean copyDoneSent = new AtomicBoolean();
    private final ReentrantLock sendLock = new ReentrantLock();
    private final ReentrantLock stateLock = new ReentrantLock();
    private final Condition stateChanged = stateLock.newCondition();

    // Reader-thread state: what is open and what must be acknowledged before idle advancement.
    private boolean inTransaction;
    private boolean inStreamBlock;
    private final Set<Integer> openStreamedXids = new HashSet<>();
    private long ackPointReceived;
    private boolean discarding;

    // Consumer-side state.
    private boolean endSeen;

    private ReplicationClient(ReplicationConfig config, PgConnection conn, ServerInfo serverInfo,
                              long walSenderTimeoutMillis) {
        this.config = config;
        this.conn = conn;
        this.serverInfo = serverInfo;
        this.queue = new EventBuffer(config.bufferEvents());
        long interval = config.statusInterval().toNanos();
        if (walSenderTimeoutMillis > 0) {
            // Keep the walsender's timeout from firing even when we cannot read its keepalive requests.
            interval = Math.min(interval, TimeUnit.MILLISECONDS.toNanos(walSenderTimeoutMillis) / 2);
        }
        this.statusIntervalNanos = Math.max(interval, TimeUnit.MILLISECONDS.toNanos(10));
        this.receiveTimeoutNanos = config.receiveTimeout().toNanos();
        String name = "pgrepl-" + config.slot();
        this.reader = new Thread(this::readLoop, name + "-reader");
        this.feedback = new Thread(this::feedbackLoop, name + "-feedback");
        reader.setDaemon(true);
        feedback.setDaemon(true);
    }

    /**
     * Connects, authenticates, runs IDENTIFY_SYSTEM, prepares the publication and slot when asked to, and starts
     * streaming. Returns only after the server accepted START_REPLICATION.
     *
     * @throws ReplicationException a typed error; {@link ReplicationException#isTransient()} tells whether a later
     *                              attempt may succeed
     */
    public static ReplicationClient connect(ReplicationConfig config) {
        PgConnection conn = PgConnection.open(config);
        try {
            List<String> id = single(conn.query("IDENTIFY_SYSTEM"), "IDENTIFY_SYSTEM");
            String systemId = id.get(0);
            int timeline = Integer.parseInt(id.get(1));
            Lsn xlogPos = Lsn.parse(id.get(2));
            String dbName = id.size() > 3 ? id.get(3) : config.database();
            if (config.expectedSystemId() != null
                    && !Long.toUnsignedString(config.expectedSystemId()).equals(systemId)) {
                throw new ConfigurationException("Server " + config.endpoint() + " belongs to cluster " + systemId
                        + ", not the expected " + Long.toUnsignedString(config.expectedSystemId())
                        + " (expectedSystemId); refusing to stream or acknowledge anything from it");
            }
            String versionText = conn.parameter("server_version");
            int versionNum = parseServerVersion(versionText);
            long walSenderTimeout = Long.parseLong(single(conn.query(
                    "SELECT setting FROM pg_catalog.pg_settings WHERE name = 'wal_sender_timeout'"),
                    "wal_sender_timeout").get(0));
            int proto = ProtocolVersions.choose(config, versionNum);
            if (config.createPublication()) {
                ensurePublications(conn, config);
            }
            Lsn slotPosition = prepareSlot(conn, config, versionNum);
            Lsn start = config.startLsn();
            if (start.isValid() && slotPosition != null && start.isBefore(slotPosition)) {
                String msg = "startLsn " + start + " is older than slot '" + config.slot() + "' confirmed_flush_lsn "
                        + slotPosition + "; the server will start at " + slotPosition
                        + " (what lies between was acknowledged before and is not replayed)";
                if (config.strictStartLsn()) {
                    throw new ConfigurationException(msg + "; refusing because strictStartLsn is set");
                }
                LOG.warn(msg);
            }
            conn.startCopyBoth(startReplicationCommand(config, proto, versionNum),
                    "START_REPLICATION for slot '" + config.slot() + "' on " + config.endpoint() + " failed");
            ServerInfo info = new ServerInfo(systemId, timeline, xlogPos, dbName, versionNum, versionText, proto);
            ReplicationClient client = new ReplicationClient(config, conn, info, walSenderTimeout);
            LOG.info("Streaming slot '{}' (publications {}) from {}: PostgreSQL {}, system {}, timeline {}, from {}, "
                    + "pgoutput v{}", config.slot(), config.publications(), config.endpoint(), versionText, systemId,
                    timeline, start.isValid() ? start : "the slot's position", proto);
            conn.coalesceReads(config.readCoalesce());
            client.reader.start();
            client.feedback.start();
            return client;
        } catch (RuntimeException e) {
            conn.close();
            throw e;
        }
    }

    // ---------------------------------------------------------------- consumer API

    /**
     * The next event, waiting as long as needed. Returns null once the stream has ended cleanly (after
     * {@link #stop()}, after {@link ReplicationEvent.StoppedAt}, or after {@link #abort()}).
     *
     * @throws ReplicationException the stream failed (connection lost, server error...)
     */
    public ReplicationEvent recv() throws InterruptedException {
        if (endSeen) {
            return endOfStream();
        }
        return unwrap(queue.take(-1));
    }

    /** As {@link #recv()}, but waits at most {@code timeout}; null on timeout or end ({@link #isEnded()} tells). */
    public ReplicationEvent poll(Duration timeout) throws InterruptedException {
        if (endSeen) {
            return endOfStream();
        }
        Object o = queue.take(Math.max(0, timeout.toNanos()));
        return o == null ? null : unwrap(o);
    }

    /** True once {@link #recv()} has returned the end of the stream. */
    public boolean isEnded() {
        return endSeen;
    }

    /**
     * Reports that everything up to {@code lsn} has been processed durably. Cheap, thread-safe and monotonic:
     * an older value than one already reported is ignored. Sent with the next status update.
     */
    public void updateAppliedLsn(Lsn lsn) {
        long v = lsn.asLong();
        long cur = applied.get();
        while (Long.compareUnsigned(v, cur) > 0 && !applied.compareAndSet(cur, v)) {
            cur = applied.get();
        }
    }

    /** Stops reading the socket after the current message; status updates keep going out. */
    public void pauseReading() {
        paused = true;
    }

    /** Undoes {@link #pauseReading()}. */
    public void resumeReading() {
        stateLock.lock();
        try {
            paused = false;
            lastReceivedNanos = System.nanoTime();
            stateChanged.signalAll();
        } finally {
            stateLock.unlock();
        }
    }

    public ServerInfo serverInfo() {
        return serverInfo;
    }

    public ReplicationConfig config() {
        return config;
    }

    public ClientStats stats() {
        return new ClientStats(Lsn.of(received), Lsn.of(flushPosition()), Lsn.of(serverWalEnd), events,
                conn.bytesRead(), queue.stalls(), statusSent, lastReceived);
    }

    /** The failure that ended the stream, or null. */
    public ReplicationException failure() {
        return failure;
    }

    // ---------------------------------------------------------------- lifecycle

    /**
     * Graceful stop: sends a last status update with the latest acknowledgement, then CopyDone. Events already
     * buffered are still delivered; then {@link #recv()} returns null.
     */
    public void stop() {
        stopRequested = true;
        resumeReading();
        endCopy();
    }

    /**
     * {@link #stop()}, then discards whatever is still buffered, and waits for the I/O threads to finish.
     *
     * @return true when the stream ended within the timeout; otherwise the connection is aborted
     */
    public boolean shutdown(Duration timeout) {
        stop();
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (!endSeen) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                Object o = queue.take(left);
                if (o == END) {
                    endSeen = true;
                }
            }
            reader.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            feedback.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        boolean clean = !reader.isAlive() && !feedback.isAlive();
        if (!clean) {
            LOG.warn("Replication stream of slot '{}' did not end within {}; closing the connection", config.slot(),
                    timeout);
            abort();
        }
        return clean;
    }

    /** {@link #shutdown(Duration)} with a 30 second bound. */
    public void shutdown() {
        shutdown(Duration.ofSeconds(30));
    }

    /** Closes the connection now, without CopyDone. Buffered events are dropped; I/O threads end. */
    public void abort() {
        aborted = true;
        conn.close();
        reader.interrupt();
        wakeFeedback();
        try {
            reader.join(5000);
            feedback.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Graceful shutdown bounded to 10 seconds; aborts past that. Safe to call more than once. */
    @Override
    public void close() {
        if (reader.isAlive() || feedback.isAlive()) {
            shutdown(Duration.ofSeconds(10));
        }
        conn.close();
    }

    // ---------------------------------------------------------------- reader thread

    private void readLoop() {
        try {
            while (true) {
                if (!batch.isEmpty() && (batch.size() >= MAX_BATCH || !conn.canReadWithoutBlocking())) {
                    flushBatch();
                }
                awaitNotPaused();
                Frame f = conn.readFrame();
                lastReceivedNanos = System.nanoTime();
                switch (f.type()) {
                    case 'd':
                        onCopyData(f.body());
                        break;
                    case 'c':
                        finishAfterServerCopyDone();
                        return;
                    case 'C':
                        // A walsender whose server shuts down (WalSndDone) ends the copy with CommandComplete and
                        // exits, without CopyDone: the stream did not end because we asked.
                        if (stopRequested) {
                            return;
                        }
                        throw new ConnectionException("Server " + config.endpoint() + " ended the replication stream"
                                + " of slot '" + config.slot() + "' (it is shutting down); connect again once it is"
                                + " back");
                    case 'E':
                        throw new ServerErrorException("Replication stream of slot '" + config.slot() + "' from "
                                + config.endpoint() + " ended", BackendMessages.serverError(f));
                    case 'N':
                        conn.logNotice(f);
                        break;
                    case 'S':
                        break;
                    default:
                        throw new ProtocolException("Unexpected message '" + f.typeChar()
                                + "' in the replication stream of slot '" + config.slot() + "'");
                }
            }
        } catch (InterruptedException e) {
            if (!aborted) {
                failure = new ConnectionException("Reader of slot '" + config.slot() + "' was interrupted", e);
            }
        } catch (IOException e) {
            if (!aborted && !stopRequested && failure == null) {
                failure = new ConnectionException("Connection to " + config.endpoint() + " lost while streaming slot '"
                        + config.slot() + "': " + e.getMessage(), e);
            }
        } catch (ReplicationException e) {
            if (failure == null) {
                failure = e;
            }
        } catch (RuntimeException e) {
            failure = new ProtocolException("Unexpected failure reading slot '" + config.slot() + "': " + e, e);
        } finally {
            terminated = true;
            if (failure != null && !aborted) {
                LOG.warn("Replication stream of slot '{}' failed: {}", config.slot(), failure.getMessage());
            }
            conn.close();
            wakeFeedback();
            enqueueEnd();
        }
    }

    private void onCopyData(byte[] body) throws InterruptedException, IOException {
        if (body.length == 0) {
            throw new ProtocolException("Empty CopyData in the replication stream");
        }
        ByteBuffer b = ByteBuffer.wrap(body);
        byte kind = b.get();
        if (kind == 'w') {
            XLogDataFrame x = XLogDataFrame.parse(body);
            advanceReceived(x.walEnd());
            if (discarding) {
                return;
            }
            onWalMessage(Lsn.of(x.walStart()), Lsn.of(x.walEnd()), PgTime.toInstant(x.sendTime()), x.data());
        } else if (kind == 'k') {
            if (body.length < 18) {
                throw new ProtocolException("Keepalive of " + body.length + " bytes is shorter than 18");
            }
            long walEnd = b.getLong();
            Instant sent = PgTime.toInstant(b.getLong());
            boolean reply = b.get() != 0;
            advanceReceived(walEnd);
            if (config.ackIdleKeepalive() && !inTransaction && openStreamedXids.isEmpty()
                    && Long.compareUnsigned(applied.get(), ackPointReceived) >= 0
                    && Long.compareUnsigned(walEnd, idleAck) > 0) {
                idleAck = walEnd;
            }
            if (reply) {
                sendStatus(false);
            }
            if (discarding) {
                return;
            }
            Lsn stopAt = config.stopAtLsn();
            if (stopAt != null && !inTransaction && Long.compareUnsigned(walEnd, stopAt.asLong()) >= 0) {
                reachStop(Lsn.of(walEnd));
                return;
            }
            deliver(new KeepAlive(Lsn.of(walEnd), sent, reply));
        } else {
            throw new ProtocolException("Unknown CopyData message '" + (char) kind + "' in the replication stream");
        }
    }

    private void onWalMessage(Lsn walStart, Lsn walEnd, Instant sent, ByteBuffer data)
            throws InterruptedException, IOException {
        byte type = data.get(0);
        Lsn stopAt = config.stopAtLsn();
        try {
            switch (type) {
                case 'B': {
                    Lsn finalLsn = Lsn.of(data.getLong(1));
                    Instant commitTime = PgTime.toInstant(data.getLong(9));
                    int xid = data.getInt(17);
                    if (stopAt != null && finalLsn.isAfter(stopAt)) {
                        reachStop(finalLsn);
                        return;
                    }
                    inTransaction = true;
                    deliver(new ReplicationEvent.Begin(walStart, walEnd, sent, data, finalLsn, commitTime, xid));
                    return;
                }
                case 'C': {
                    int flags = data.get(1);
                    Lsn commitLsn = Lsn.of(data.getLong(2));
                    Lsn endLsn = Lsn.of(data.getLong(10));
                    Instant commitTime = PgTime.toInstant(data.getLong(18));
                    inTransaction = false;
                    ackPointReceived = maxUnsigned(ackPointReceived, endLsn.asLong());
                    deliver(new ReplicationEvent.Commit(walStart, walEnd, sent, data, flags, commitLsn, endLsn,
                            commitTime));
                    if (stopAt != null && commitLsn.compareTo(stopAt) >= 0) {
                        reachStop(commitLsn);
                    }
                    return;
                }
                case 'M': {
                    ReplicationEvent.Message m = parseMessage(walStart, walEnd, sent, data);
                    if (!m.transactional()) {
                        if (stopAt != null && m.messageLsn().isAfter(stopAt)) {
                            reachStop(m.messageLsn());
                            return;
                        }
                        ackPointReceived = maxUnsigned(ackPointReceived, m.messageLsn().asLong());
                    }
                    deliver(m);
                    return;
                }
                case 'S':
                    inStreamBlock = true;
                    openStreamedXids.add(data.getInt(1));
                    break;
                case 'E':
                    inStreamBlock = false;
                    break;
                case 'c':
                    openStreamedXids.remove(data.getInt(1));
                    ackPointReceived = maxUnsigned(ackPointReceived, data.getLong(14));
                    break;
                case 'A': {
                    int xid = data.getInt(1);
                    if (xid == data.getInt(5)) {
                        openStreamedXids.remove(xid);
                    }
                    break;
                }
                case 'b':
                    inTransaction = true;
                    break;
                case 'P':
                    inTransaction = false;
                    ackPointReceived = maxUnsigned(ackPointReceived, data.getLong(10));
                    break;
                case 'K':
                case 'p':
                    if (type == 'p') {
                        openStreamedXids.remove(data.getInt(26));
                    }
                    ackPointReceived = maxUnsigned(ackPointReceived, data.getLong(10));
                    break;
                case 'r':
                    ackPointReceived = maxUnsigned(ackPointReceived, data.getLong(10));
                    break;
                default:
                    break;
            }
        } catch (IndexOutOfBoundsException | BufferUnderflowException e) {
            throw new ProtocolException("pgoutput message '" + (char) type + "' at " + walStart + " is truncated ("
                    + data.remaining() + " bytes)", e);
        }
        deliver(new ReplicationEvent.XLogData(walStart, walEnd, sent, data));
    }

    private ReplicationEvent.Message parseMessage(Lsn walStart, Lsn walEnd, Instant sent, ByteBuffer data) {
        ByteBuffer b = data.duplicate();
        b.position(1);
        int xid = inStreamBlock ? b.getInt() : 0;
        boolean transactional = (b.get() & 1) != 0;
        Lsn lsn = Lsn.of(b.getLong());
        int from = b.position();
        int nul = -1;
        for (int i = from; i < b.limit(); i++) {
            if (b.get(i) == 0) {
                nul = i;
                break;
            }
        }
        if (nul < 0) {
            throw new ProtocolException("pgoutput Message at " + walStart + " has an unterminated prefix");
        }
        byte[] prefixBytes = new byte[nul - from];
        b.get(prefixBytes);
        b.get();
        int len = b.getInt();
        if (len < 0 || len > b.remaining()) {
            throw new ProtocolException("pgoutput Message at " + walStart + " declares " + len + " content bytes but "
                    + b.remaining() + " remain");
        }
        byte[] content = new byte[len];
        b.get(content);
        return new ReplicationEvent.Message(walStart, walEnd, sent, data, transactional, lsn, xid,
                new String(prefixBytes, StandardCharsets.UTF_8), content);
    }

    private void advanceReceived(long walEnd) {
        if (Long.compareUnsigned(walEnd, received) > 0) {
            received = walEnd;
        }
        if (Long.compareUnsigned(walEnd, serverWalEnd) > 0) {
            serverWalEnd = walEnd;
        }
        lastReceived = Instant.now();
    }

    private void deliver(ReplicationEvent event) {
        batch.add(event);
        events++;
    }

    /** Hands the parsed events to the consumer; while it is behind, the socket is not read (backpressure). */
    private void flushBatch() throws InterruptedException {
        readerWaiting = true;
        try {
            queue.putAll(batch);
            batch = new ArrayList<>(Math.min(MAX_BATCH, Math.max(16, batch.size() * 2)));
        } finally {
            readerWaiting = false;
            lastReceivedNanos = System.nanoTime();
        }
    }

    /** Bounded replay reached its end: tell the consumer, end the copy, and drop what the server still sends. */
    private void reachStop(Lsn reached) throws InterruptedException {
        LOG.info("Slot '{}' reached stopAtLsn {} (at {}); ending the stream", config.slot(), config.stopAtLsn(), reached);
        discarding = true;
        deliver(new StoppedAt(reached));
        flushBatch();
        stopRequested = true;
        endCopy();
    }

    private void finishAfterServerCopyDone() throws IOException {
        endCopy();
        while (true) {
            Frame f = conn.readFrame();
            if (f.type() == 'Z') {
                break;
            }
            if (f.type() == 'E') {
                throw new ServerErrorException("Ending the stream of slot '" + config.slot() + "'",
                        BackendMessages.serverError(f));
            }
        }
        if (config.dropSlotOnStop() && !config.temporarySlot()) {
            conn.query("DROP_REPLICATION_SLOT " + SqlQuoting.identifier(config.slot()));
            LOG.info("Dropped replication slot '{}' (dropSlotOnStop)", config.slot());
        }
        conn.write(FrontendMessages.terminate());
    }

    private void awaitNotPaused() throws InterruptedException {
        if (!paused) {
            return;
        }
        stateLock.lock();
        try {
            while (paused && !stopRequested && !aborted) {
                readerWaiting = true;
                stateChanged.await();
            }
        } finally {
            readerWaiting = false;
            stateLock.unlock();
        }
    }

    private void enqueueEnd() {
        if (aborted) {
            batch.clear();
            queue.clear();
        }
        batch.add(END);
        while (true) {
            try {
                flushBatch();
                return;
            } catch (InterruptedException e) {
                if (aborted) {
                    queue.clear();
                    batch.clear();
                    batch.add(END);
                }
            }
        }
    }

    // ---------------------------------------------------------------- feedback thread

    private void feedbackLoop() {
        long lastStatus = System.nanoTime();
        long probeSentAt = 0;
        while (!terminated && !copyDoneSent.get()) {
            long now = System.nanoTime();
            long next = lastStatus + statusIntervalNanos;
            boolean reading = !readerWaiting && !paused;
            if (reading) {
                long silentSince = lastReceivedNanos;
                if (probeSentAt != 0 && silentSince - probeSentAt >= 0) {
                    probeSentAt = 0;
                }
                if (probeSentAt == 0 && now - silentSince >= receiveTimeoutNanos / 2) {
                    LOG.debug("Nothing from {} for {} ms; asking the server to answer", config.endpoint(),
                            TimeUnit.NANOSECONDS.toMillis(now - silentSince));
                    sendStatus(true);
                    lastStatus = now;
                    probeSentAt = now;
                    next = lastStatus + statusIntervalNanos;
                }
                if (probeSentAt != 0 && now - silentSince >= receiveTimeoutNanos) {
                    failure = new ConnectionException("No message from " + config.endpoint() + " for "
                            + config.receiveTimeout() + " and no answer to a probe (receiveTimeout); the connection "
                            + "is presumed dead");
                    LOG.warn(failure.getMessage());
                    conn.close();
                    return;
                }
                next = Math.min(next, probeSentAt == 0 ? silentSince + receiveTimeoutNanos / 2
                        : silentSince + receiveTimeoutNanos);
            }
            if (now - next >= 0) {
                sendStatus(false);
                lastStatus = System.nanoTime();
                continue;
            }
            stateLock.lock();
            try {
                if (!terminated && !copyDoneSent.get()) {
                    stateChanged.awaitNanos(Math.min(next - now, TimeUnit.MILLISECONDS.toNanos(500)));
                }
            } catch (InterruptedException e) {
                return;
            } finally {
                stateLock.unlock();
            }
        }
    }

    private void wakeFeedback() {
        stateLock.lock();
        try {
            stateChanged.signalAll();
        } finally {
            stateLock.unlock();
        }
    }

    private long flushPosition() {
        return maxUnsigned(applied.get(), idleAck);
    }

    /** Sends a standby status update unless the copy has ended. Never throws: a failed send ends the stream. */
    private void sendStatus(boolean replyRequested) {
        sendLock.lock();
        try {
            if (copyDoneSent.get() || terminated) {
                return;
            }
            writeStatus(replyRequested);
        } finally {
            sendLock.unlock();
        }
    }

    private void writeStatus(boolean replyRequested) {
        long flush = flushPosition();
        byte[] msg = new StandbyStatusUpdate(Lsn.of(received), Lsn.of(flush), Lsn.of(flush), PgTime.now(),
                replyRequested).encode();
        try {
            conn.write(msg);
            statusSent++;
        } catch (IOException e) {
            if (!aborted && !stopRequested) {
                LOG.debug("Sending a status update for slot '{}' failed: {}", config.slot(), e.getMessage());
            }
            conn.close();
        }
    }

    /** The last status update (with the latest acknowledgement), then CopyDone; once. */
    private void endCopy() {
        sendLock.lock();
        try {
            if (terminated || !copyDoneSent.compareAndSet(false, true)) {
                return;
            }
            writeStatus(false);
            conn.write(FrontendMessages.copyDone());
        } catch (IOException e) {
            LOG.debug("Sending CopyDone for slot '{}' failed: {}", config.slot(), e.getMessage());
            conn.close();
        } finally {
            sendLock.unlock();
        }
        wakeFeedback();
    }

    // ---------------------------------------------------------------- helpers

    private ReplicationEvent unwrap(Object o) {
        if (aborted) {
            queue.clearLocal();
            endSeen = true;
            return null;
        }
        if (o == END) {
            endSeen = true;
            return endOfStream();
        }
        return (ReplicationEvent) o;
    }

    private ReplicationEvent endOfStream() {
        ReplicationException f = failure;
        if (f != null && !aborted) {
            throw f;
        }
        return null;
    }

    private static long maxUnsigned(long a, long b) {
        return Long.compareUnsigned(a, b) >= 0 ? a : b;
    }

    private static List<String> single(List<List<String>> rows, String what) {
        if (rows.size() != 1) {
            throw new ProtocolException(what + " returned " + rows.size() + " rows, expected 1");
        }
        return rows.get(0);
    }

    static int parseServerVersion(String text) {
        if (text == null) {
            throw new ProtocolException("Server did not report server_version at startup");
        }
        int i = 0;
        int major = 0;
        while (i < text.length() && Character.isDigit(text.charAt(i))) {
            major = major * 10 + (text.charAt(i++) - '0');
        }
        int minor = 0;
        if (i < text.length() && text.charAt(i) == '.') {
            i++;
            while (i < text.length() && Character.isDigit(text.charAt(i))) {
                minor = minor * 10 + (text.charAt(i++) - '0');
            }
        }
        if (major < 10) {
            throw new ConfigurationException("Server version '" + text + "' is not supported; PostgreSQL 14 or newer "
                    + "is needed");
        }
        return major * 10000 + minor;
    }

    private static void ensurePublications(PgConnection conn, ReplicationConfig config) {
        for (String pub : config.publications()) {
            List<List<String>> rows = conn.query("SELECT 1 FROM pg_catalog.pg_publication WHERE pubname = "
                    + SqlQuoting.literal(pub));
            if (!rows.isEmpty()) {
                continue;
            }
            StringBuilder sql = new StringBuilder("CREATE PUBLICATION ").append(SqlQuoting.identifier(pub));
            if (config.publicationTables().isEmpty()) {
                sql.append(" FOR ALL TABLES");
            } else {
                sql.append(" FOR TABLE ");
                for (int i = 0; i < config.publicationTables().size(); i++) {
                    sql.append(i == 0 ? "" : ", ").append(SqlQuoting.qualifiedName(config.publicationTables().get(i)));
                }
            }
            try {
                conn.query(sql.toString());
                LOG.info("Created publication '{}' {}", pub, config.publicationTables().isEmpty() ? "for all tables"
                        : "for " + config.publicationTables());
            } catch (ServerErrorException e) {
                if (!"42710".equals(e.sqlState())) {
                    throw e;
                }
            }
        }
    }

    /** Checks (and creates, when asked) the slot; returns its confirmed_flush_lsn, or null when unknown. */
    private static Lsn prepareSlot(PgConnection conn, ReplicationConfig config, int versionNum) {
        String slot = config.slot();
        List<List<String>> rows = conn.query("SELECT plugin, database, confirmed_flush_lsn FROM "
                + "pg_catalog.pg_replication_slots WHERE slot_name = " + SqlQuoting.literal(slot));
        if (!rows.isEmpty()) {
            List<String> r = rows.get(0);
            if (!"pgoutput".equals(r.get(0))) {
                throw new ConfigurationException("Slot '" + slot + "' uses plugin " + r.get(0) + ", but this client "
                        + "reads pgoutput; use a slot created with pgoutput");
            }
            if (r.get(1) != null && !r.get(1).equals(config.database())) {
                throw new ConfigurationException("Slot '" + slot + "' belongs to database '" + r.get(1)
                        + "', not '" + config.database() + "'; connect to that database");
            }
            return r.get(2) == null ? null : Lsn.parse(r.get(2));
        }
        if (!config.createSlot()) {
            return null; // START_REPLICATION reports the missing slot with the server's own error (42704).
        }
        if (config.failoverSlot() && versionNum < 170000) {
            throw new ConfigurationException("failoverSlot needs PostgreSQL 17 or newer");
        }
        if (config.twoPhase() && versionNum < 150000) {
            throw new ConfigurationException("twoPhase needs PostgreSQL 15 or newer");
        }
        StringBuilder sql = new StringBuilder("CREATE_REPLICATION_SLOT ").append(SqlQuoting.identifier(slot));
        if (config.temporarySlot()) {
            sql.append(" TEMPORARY");
        }
        sql.append(" LOGICAL pgoutput");
        if (versionNum >= 150000) {
            sql.append(" (SNAPSHOT 'nothing'");
            if (config.twoPhase()) {
                sql.append(", TWO_PHASE true");
            }
            if (config.failoverSlot()) {
                sql.append(", FAILOVER true");
            }
            sql.append(')');
        } else {
            sql.append(" NOEXPORT_SNAPSHOT");
        }
        try {
            List<List<String>> created = conn.query(sql.toString());
            LOG.info("Created {}replication slot '{}' at {}", config.temporarySlot() ? "temporary " : "", slot,
                    created.isEmpty() ? "?" : created.get(0).get(1));
            return created.isEmpty() || created.get(0).get(1) == null ? null : Lsn.parse(created.get(0).get(1));
        } catch (ServerErrorException e) {
            if ("42710".equals(e.sqlState())) {
                return null; // created concurrently by another consumer
            }
            throw e;
        }
    }

    static String startReplicationCommand(ReplicationConfig config, int proto, int versionNum) {
        StringBuilder sql = new StringBuilder("START_REPLICATION SLOT ").append(SqlQuoting.identifier(config.slot()))
                .append(" LOGICAL ").append(config.startLsn()).append(" (proto_version '").append(proto)
                .append("', publication_names ").append(SqlQuoting.publicationNames(config.publications()));
        if (config.binary()) {
            sql.append(", binary 'true'");
        }
        if (config.messages()) {
            sql.append(", messages 'true'");
        }
        if (config.streaming() != StreamingMode.OFF) {
            sql.append(", streaming ").append(SqlQuoting.literal(
                    config.streaming() == StreamingMode.PARALLEL || versionNum >= 160000
                            ? config.streaming().optionValue() : "true"));
        }
        if (config.twoPhase()) {
            sql.append(", two_phase 'true'");
        }
        if (config.origin() != null) {
            sql.append(", origin ").append(SqlQuoting.literal(config.origin().toLowerCase(java.util.Locale.ROOT)));
        }
        return sql.append(')').toString();
    }
}
