package io.camelpgrepl.client.fake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Map;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import io.camelpgrepl.client.ConnectionException;
import io.camelpgrepl.client.Lsn;
import io.camelpgrepl.client.ProtocolException;
import io.camelpgrepl.client.ReplicationClient;
import io.camelpgrepl.client.ReplicationConfig;
import io.camelpgrepl.client.ReplicationEvent;
import io.camelpgrepl.client.ServerErrorException;
import io.camelpgrepl.client.SslMode;
import io.camelpgrepl.client.wire.StandbyStatusUpdate;

/** Client behaviour a real server cannot be made to show on demand: garbage, truncation, silence, exact feedback. */
class FakeServerClientTest {

    private static ReplicationConfig.Builder config(FakePgServer server) {
        return ReplicationConfig.builder().host("127.0.0.1").port(server.port()).user("u").database("postgres")
                .slot("s").publication("p").sslMode(SslMode.PREFER).connectTimeout(Duration.ofSeconds(5))
                .statusInterval(Duration.ofMillis(50));
    }

    static byte[] begin(long finalLsn, int xid) {
        return ByteBuffer.allocate(21).put((byte) 'B').putLong(finalLsn).putLong(0).putInt(xid).array();
    }

    static byte[] commit(long commitLsn, long endLsn) {
        return ByteBuffer.allocate(26).put((byte) 'C').put((byte) 0).putLong(commitLsn).putLong(endLsn).putLong(0)
                .array();
    }

    static byte[] insert() {
        return new byte[] {'I', 0, 0, 0, 1, 'N', 0, 0};
    }

    private static StandbyStatusUpdate nextUpdate(FakePgServer.Session s) throws InterruptedException {
        StandbyStatusUpdate u = s.statusUpdates.poll(10, TimeUnit.SECONDS);
        assertThat(u).as("a standby status update arrives").isNotNull();
        return u;
    }

    @Test
    void garbageInsteadOfAuthenticationIsAProtocolErrorFromConnect() throws Exception {
        try (FakePgServer server = new FakePgServer(s -> {
            s.readStartup();
            s.send('?', new byte[] {1, 2, 3});
        })) {
            assertThatThrownBy(() -> ReplicationClient.connect(config(server).build()))
                    .isInstanceOf(ProtocolException.class).hasMessageContaining("'?'");
        }
    }

    @Test
    void theClientOpensAReplicationSessionAndStartsExactlyTheSlotAndPublicationItWasGiven() throws Exception {
        AtomicReference<Map<String, String>> startup = new AtomicReference<>();
        AtomicReference<String> startReplication = new AtomicReference<>();
        try (FakePgServer server = new FakePgServer(s -> {
            startup.set(s.readStartup());
            s.acceptLogin("16.4");
            startReplication.set(s.acceptUntilStreaming());
            s.collectFeedback();
        }); ReplicationClient client = ReplicationClient.connect(config(server).startLsn(Lsn.of(0x1_0000_0050L))
                .publication("orders\"pub").applicationName("fake_check").build())) {
            assertThat(startup.get()).as("startup parameters, in the order sent").containsExactly(
                    Map.entry("user", "u"), Map.entry("database", "postgres"), Map.entry("replication", "database"),
                    Map.entry("client_encoding", "UTF8"), Map.entry("application_name", "fake_check"));
            assertThat(startReplication.get()).as("the START_REPLICATION command, byte for byte").isEqualTo(
                    "START_REPLICATION SLOT \"s\" LOGICAL 1/50 (proto_version '4', publication_names "
                            + "'\"orders\"\"pub\"')");
        }
    }

    @Test
    void anAuthenticationRequestShorterThanItsCodeIsAProtocolErrorAndTheSocketIsClosed() throws Exception {
        CountDownLatch closedByClient = new CountDownLatch(1);
        try (FakePgServer server = new FakePgServer(s -> {
            s.readStartup();
            s.send('R', new byte[] {0, 0});
            awaitClose(s, closedByClient);
        })) {
            assertThatThrownBy(() -> ReplicationClient.connect(config(server).build()))
                    .isInstanceOf(ProtocolException.class).hasMessageContaining("invalid authentication request");
            assertThat(closedByClient.await(10, TimeUnit.SECONDS)).as("the client closed the socket").isTrue();
        }
    }

    @Test
    void anAuthenticationRequestLargerThanLibpqAcceptsIsAProtocolErrorAndTheSocketIsClosed() throws Exception {
        CountDownLatch closedByClient = new CountDownLatch(1);
        try (FakePgServer server = new FakePgServer(s -> {
            s.readStartup();
            byte[] body = new byte[2500];
            body[3] = 11; // SASLContinue with 2,496 bytes of "server-first-message"
            s.send('R', body);
            awaitClose(s, closedByClient);
        })) {
            assertThatThrownBy(() -> ReplicationClient.connect(config(server).build()))
                    .isInstanceOf(ProtocolException.class).hasMessageContaining("invalid authentication request")
                    .hasMessageContaining("2504 bytes");
            assertThat(closedByClient.await(10, TimeUnit.SECONDS)).as("the client closed the socket").isTrue();
        }
    }

    @Test
    void beforeAuthenticationAMessageOverLibpqsCapIsRefusedWithoutWaitingForIt() throws Exception {
        CountDownLatch closedByClient = new CountDownLatch(1);
        try (FakePgServer server = new FakePgServer(s -> {
            s.readStartup();
            // an ErrorResponse header claiming 40,000 bytes, and nothing after it: a client that waits for the
            // body hangs until connectTimeout; one that allocates it gives an unauthenticated peer its memory
            s.sendRaw(new byte[] {'E', 0, 0, (byte) 0x9C, 0x40});
            awaitClose(s, closedByClient);
        })) {
            assertThatThrownBy(() -> ReplicationClient.connect(config(server).maxMessageSize(1 << 20)
                    .connectTimeout(Duration.ofSeconds(30)).build()))
                    .isInstanceOf(ProtocolException.class).hasMessageContaining("40000")
                    .hasMessageContaining("before authentication completes");
            assertThat(closedByClient.await(10, TimeUnit.SECONDS)).as("the client closed the socket").isTrue();
        }
    }

    @Test
    void aBackendKeyDataTooShortForProtocol3IsAProtocolError() throws Exception {
        try (FakePgServer server = new FakePgServer(s -> {
            s.readStartup();
            s.send('R', ByteBuffer.allocate(4).putInt(0).array());
            s.send('K', new byte[] {0, 0});
        })) {
            assertThatThrownBy(() -> ReplicationClient.connect(config(server).build()))
                    .isInstanceOf(ProtocolException.class).hasMessageContaining("BackendKeyData");
        }
    }

    /** Waits until the client closes the connection (the read ends), then counts {@code closed} down. */
    private static void awaitClose(FakePgServer.Session s, CountDownLatch closed) {
        try {
            while (true) {
                s.readMessage();
            }
        } catch (java.io.IOException endOfStream) {
            closed.countDown();
        }
    }

    @Test
    void oversizedFrameIsRefusedBeforeAllocation() throws Exception {
        try (FakePgServer server = new FakePgServer(s -> {
            s.readStartup();
            s.sendRaw(new byte[] {'R', 0x70, 0, 0, 0});
        })) {
            assertThatThrownBy(() -> ReplicationClient.connect(config(server).maxMessageSize(1 << 20).build()))
                    .isInstanceOf(ProtocolException.class).hasMessageContaining("before authentication completes");
        }
    }

    @Test
    void aServerThatNeverAnswersFailsConnectAfterTheConnectTimeout() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (FakePgServer server = new FakePgServer(s -> {
            s.readStartup();
            release.await();
        })) {
            assertThatThrownBy(() -> ReplicationClient.connect(config(server).connectTimeout(Duration.ofMillis(300))
                    .build()))
                    .isInstanceOf(ConnectionException.class).hasMessageContaining("connectTimeout")
                    .satisfies(e -> assertThat(((ConnectionException) e).isTransient()).isTrue());
        } finally {
            release.countDown();
        }
    }

    @Test
    void aServerThatStallsAfterAuthenticationFailsConnectWithinConnectTimeout() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (FakePgServer server = new FakePgServer(s -> {
            s.readStartup();
            s.acceptLogin("16.4");
            s.readQuery(); // IDENTIFY_SYSTEM, never answered
            release.await();
        })) {
            long start = System.nanoTime();
            assertThatThrownBy(() -> ReplicationClient.connect(config(server).connectTimeout(Duration.ofMillis(500))
                    .build()))
                    .isInstanceOf(ConnectionException.class).hasMessageContaining("IDENTIFY_SYSTEM")
                    .hasMessageContaining("connectTimeout=PT0.5S")
                    .satisfies(e -> assertThat(((ConnectionException) e).isTransient()).isTrue());
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("bounded by connectTimeout")
                    .isLessThan(Duration.ofSeconds(5));
        } finally {
            release.countDown();
        }
    }

    @Test
    void createReplicationSlotThatNeverAnswersFailsWithinCreateSlotTimeout() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (FakePgServer server = new FakePgServer(s -> {
            s.readStartup();
            s.acceptLogin("16.4");
            s.answerUntilSlotQuery();
            s.rows(List.of("plugin"), List.of()); // no such slot
            s.readQuery(); // CREATE_REPLICATION_SLOT: waits as for a long transaction
            release.await();
        })) {
            assertThatThrownBy(() -> ReplicationClient.connect(config(server).createSlot(true)
                    .createSlotTimeout(Duration.ofMillis(500)).build()))
                    .isInstanceOf(ConnectionException.class).hasMessageContaining("CREATE_REPLICATION_SLOT")
                    .hasMessageContaining("createSlotTimeout=PT0.5S");
        } finally {
            release.countDown();
        }
    }

    @Test
    void cancellingAConnectInProgressEndsItAtOnce() throws Exception {
        CancelledConnect.assertCancelEndsIt(FakeServerClientTest::config, "connect reached IDENTIFY_SYSTEM");
    }

    @Test
    void anUnsolicitedCopyDoneIsATransientErrorAndNeverDropsTheSlot() throws Exception {
        List<String> queriesAfterCopy = new CopyOnWriteArrayList<>();
        try (FakePgServer server = new FakePgServer(s -> {
            s.readStartup();
            s.acceptLogin("16.4");
            s.acceptUntilStreaming();
            s.send('c', new byte[0]); // the server ends the copy on its own
            while (true) {
                FakePgServer.Message m = s.readMessage();
                if (m.type() == 'c') {
                    s.send('C', "COPY 0\0".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    s.send('Z', new byte[] {'I'});
                } else if (m.type() == 'Q') {
                    queriesAfterCopy.add(new String(m.body(), java.nio.charset.StandardCharsets.UTF_8));
                    s.send('Z', new byte[] {'I'});
                } else if (m.type() == 'X') {
                    return;
                }
            }
        }); ReplicationClient client = ReplicationClient.connect(config(server).dropSlotOnStop(true).build())) {
            assertThatThrownBy(client::recv).as("the stream fails, it does not end cleanly")
                    .isInstanceOf(ConnectionException.class).hasMessageContaining("CopyDone")
                    .satisfies(e -> assertThat(((ConnectionException) e).isTransient()).as("transient").isTrue());
            assertThat(queriesAfterCopy).as("no DROP_REPLICATION_SLOT on an end the owner did not ask for").isEmpty();
        }
    }

    @Test
    void afterAnUnsolicitedCopyDoneTheLivenessCheckStillEndsASilentConnection() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (FakePgServer server = new FakePgServer(s -> {
            s.readStartup();
            s.acceptLogin("16.4");
            s.acceptUntilStreaming();
            s.send('c', new byte[0]);
            release.await(); // never finishes the copy
        }); ReplicationClient client = ReplicationClient.connect(config(server)
                .receiveTimeout(Duration.ofSeconds(1)).build())) {
            long start = System.nanoTime();
            assertThatThrownBy(client::recv).isInstanceOf(ConnectionException.class)
                    .hasMessageContaining("receiveTimeout");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("found dead after about receiveTimeout")
                    .isLessThan(Duration.ofSeconds(10));
        } finally {
            release.countDown();
        }
    }

    @Test
    void truncatedXLogDataFailsTheStreamWithAProtocolError() throws Exception {
        try (FakePgServer server = new FakePgServer(s -> {
            s.readStartup();
            s.acceptLogin("16.4");
            s.acceptUntilStreaming();
            s.send('d', new byte[] {'w', 0, 0, 0});
            s.collectFeedback();
        }); ReplicationClient client = ReplicationClient.connect(config(server).build())) {
            assertThatThrownBy(client::recv).isInstanceOf(ProtocolException.class).hasMessageContaining("XLogData");
        }
    }

    @Test
    void feedbackAcknowledgesOnlyWhatTheApplicationAcknowledged() throws Exception {
        CountDownLatch sessionReady = new CountDownLatch(1);
        FakePgServer.Session[] session = new FakePgServer.Session[1];
        try (FakePgServer server = new FakePgServer(s -> {
            session[0] = s;
            s.readStartup();
            s.acceptLogin("16.4");
            s.acceptUntilStreaming();
            sessionReady.countDown();
            s.xlogData(0x100, 0x100, begin(0x180, 7));
            s.xlogData(0x110, 0x110, insert());
            s.xlogData(0x190, 0x190, commit(0x180, 0x190));
            s.collectFeedback();
        })) {
            ReplicationClient client = ReplicationClient.connect(config(server).ackIdleKeepalive(false)
                    .startLsn(Lsn.of(0x50)).build());
            assertThat(sessionReady.await(10, TimeUnit.SECONDS)).isTrue();
            FakePgServer.Session s = session[0];
            assertThat(client.recv()).isInstanceOf(ReplicationEvent.Begin.class);
            assertThat(client.recv()).isInstanceOf(ReplicationEvent.XLogData.class);
            ReplicationEvent.Commit commit = (ReplicationEvent.Commit) client.recv();
            assertThat(commit.endLsn()).isEqualTo(Lsn.of(0x190));

            StandbyStatusUpdate before = nextUpdate(s);
            assertThat(before.flush()).as("nothing acknowledged yet, not even startLsn").isEqualTo(Lsn.INVALID);
            assertThat(before.apply()).isEqualTo(Lsn.INVALID);

            client.updateAppliedLsn(commit.endLsn());
            client.updateAppliedLsn(Lsn.of(0x120)); // older: ignored
            StandbyStatusUpdate after;
            do {
                after = nextUpdate(s);
            } while (!after.flush().isValid());
            assertThat(after.flush()).as("flush = the acknowledged commit end").isEqualTo(Lsn.of(0x190));
            assertThat(after.apply()).isEqualTo(Lsn.of(0x190));
            assertThat(after.write()).as("write = highest received").isEqualTo(Lsn.of(0x190));

            s.statusUpdates.clear();
            s.keepalive(0x200, true);
            // a scheduled update (every 50 ms) may still be on its way; the reply is the first one past 0x190
            StandbyStatusUpdate reply;
            do {
                reply = nextUpdate(s);
            } while (reply.write().equals(Lsn.of(0x190)));
            assertThat(reply.write()).as("a keepalive asking for a reply is answered with its position")
                    .isEqualTo(Lsn.of(0x200));
            assertThat(reply.flush()).as("idle advancement is off").isEqualTo(Lsn.of(0x190));

            client.updateAppliedLsn(Lsn.of(0x1A0));
            assertThat(client.shutdown(Duration.ofSeconds(10))).as("graceful shutdown completes").isTrue();
            assertThat(s.controlMessages.poll(10, TimeUnit.SECONDS)).as("CopyDone sent").isEqualTo('c');
            StandbyStatusUpdate last = null;
            for (StandbyStatusUpdate u : s.statusUpdates) {
                last = u;
            }
            assertThat(last).isNotNull();
            assertThat(last.flush()).as("the final update before CopyDone carries the latest ack")
                    .isEqualTo(Lsn.of(0x1A0));
        }
    }

    @Test
    void idleKeepaliveIsAcknowledgedOnlyWhenEverythingReceivedWasAcknowledged() throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        FakePgServer.Session[] session = new FakePgServer.Session[1];
        try (FakePgServer server = new FakePgServer(s -> {
            session[0] = s;
            s.readStartup();
            s.acceptLogin("16.4");
            s.acceptUntilStreaming();
            s.xlogData(0x100, 0x100, begin(0x180, 7));
            s.xlogData(0x190, 0x190, commit(0x180, 0x190));
            s.keepalive(0x300, false); // commit not yet acknowledged: must not advance
            go.countDown();
            s.collectFeedback();
        }); ReplicationClient client = ReplicationClient.connect(config(server).build())) {
            assertThat(go.await(10, TimeUnit.SECONDS)).isTrue();
            client.recv();
            ReplicationEvent.Commit commit = (ReplicationEvent.Commit) client.recv();
            assertThat(client.recv()).isInstanceOf(ReplicationEvent.KeepAlive.class);
            FakePgServer.Session s = session[0];
            s.statusUpdates.clear();
            for (int i = 0; i < 3; i++) {
                assertThat(nextUpdate(s).flush()).as("unacknowledged commit pins the position")
                        .isEqualTo(Lsn.INVALID);
            }
            client.updateAppliedLsn(commit.endLsn());
            s.keepalive(0x400, false);
            assertThat(client.recv()).isInstanceOf(ReplicationEvent.KeepAlive.class);
            StandbyStatusUpdate u;
            do {
                u = nextUpdate(s);
            } while (!u.flush().equals(Lsn.of(0x400)) && u.flush().compareTo(Lsn.of(0x400)) < 0);
            assertThat(u.flush()).as("idle keepalive acknowledged once all was acknowledged").isEqualTo(Lsn.of(0x400));

            s.xlogData(0x500, 0x500, begin(0x580, 8));
            assertThat(client.recv()).isInstanceOf(ReplicationEvent.Begin.class);
            s.keepalive(0x600, false);
            assertThat(client.recv()).isInstanceOf(ReplicationEvent.KeepAlive.class);
            s.statusUpdates.clear();
            for (int i = 0; i < 3; i++) {
                assertThat(nextUpdate(s).flush()).as("an open transaction blocks idle advancement")
                        .isEqualTo(Lsn.of(0x400));
            }
        }
    }

    @Test
    void aLargeMessageArrivingSlowerThanTheReceiveTimeoutIsNotADeadConnection() throws Exception {
        byte[] large = new byte[200_000];
        large[0] = 'I';
        large[4] = 1; // relation id 1; the framing reads no further, the rest is the tuple's bytes
        try (FakePgServer server = new FakePgServer(s -> {
            s.readStartup();
            s.acceptLogin("16.4");
            s.acceptUntilStreaming();
            ByteBuffer frame = ByteBuffer.allocate(5 + 25 + large.length);
            frame.put((byte) 'd').putInt(4 + 25 + large.length)
                    .put((byte) 'w').putLong(0x100).putLong(0x200).putLong(0).put(large);
            byte[] bytes = frame.array();
            // 20 pieces, 100 ms apart: the message takes about 2 s, five times the receive timeout
            for (int off = 0; off < bytes.length; off += bytes.length / 20 + 1) {
                s.sendRaw(java.util.Arrays.copyOfRange(bytes, off, Math.min(bytes.length, off + bytes.length / 20 + 1)));
                Thread.sleep(100); // the server's pace, not the test's synchronisation
            }
            s.collectFeedback();
        }); ReplicationClient client = ReplicationClient.connect(config(server)
                .receiveTimeout(Duration.ofMillis(400)).build())) {
            ReplicationEvent event = client.recv();
            assertThat(event).as("the slowly arriving message is delivered, not a dead connection")
                    .isInstanceOf(ReplicationEvent.XLogData.class);
            assertThat(((ReplicationEvent.XLogData) event).data().remaining()).isEqualTo(large.length);
        }
    }

    @Test
    void silenceBeyondTheReceiveTimeoutIsADeadConnection() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (FakePgServer server = new FakePgServer(s -> {
            s.readStartup();
            s.acceptLogin("16.4");
            s.acceptUntilStreaming();
            release.await(); // never answers probes, never closes: a half-open connection
        }); ReplicationClient client = ReplicationClient.connect(config(server)
                .receiveTimeout(Duration.ofMillis(400)).build())) {
            assertThatThrownBy(client::recv).isInstanceOf(ConnectionException.class)
                    .hasMessageContaining("presumed dead").hasMessageContaining("receiveTimeout");
        } finally {
            release.countDown();
        }
    }

    @Test
    void stopAtLsnNeverDeliversABeginPastTheBoundAndEndsCleanly() throws Exception {
        FakePgServer.Session[] session = new FakePgServer.Session[1];
        try (FakePgServer server = new FakePgServer(s -> {
            session[0] = s;
            s.readStartup();
            s.acceptLogin("16.4");
            s.acceptUntilStreaming();
            s.xlogData(0x100, 0x100, begin(0x180, 7));
            s.xlogData(0x190, 0x190, commit(0x180, 0x190));
            s.xlogData(0x200, 0x200, begin(0x280, 8));
            s.xlogData(0x210, 0x210, insert());
            s.collectFeedback();
        }); ReplicationClient client = ReplicationClient.connect(config(server).stopAtLsn(Lsn.of(0x200)).build())) {
            assertThat(client.recv()).isInstanceOf(ReplicationEvent.Begin.class);
            assertThat(client.recv()).isInstanceOf(ReplicationEvent.Commit.class);
            ReplicationEvent stopped = client.recv();
            assertThat(stopped).as("the Begin of the transaction past the bound is not delivered")
                    .isEqualTo(new ReplicationEvent.StoppedAt(Lsn.of(0x280)));
            assertThat(client.recv()).as("the stream ends after StoppedAt").isNull();
            assertThat(client.isEnded()).isTrue();
            assertThat(session[0].controlMessages.poll(10, TimeUnit.SECONDS)).as("CopyDone").isEqualTo('c');
        }
    }

    @Test
    void serverShutdownDuringStreamingIsATransientServerError() throws Exception {
        try (FakePgServer server = new FakePgServer(s -> {
            s.readStartup();
            s.acceptLogin("16.4");
            s.acceptUntilStreaming();
            s.send('E', "SFATAL\0VFATAL\0C57P01\0Mterminating connection due to administrator command\0\0"
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            s.close();
        }); ReplicationClient client = ReplicationClient.connect(config(server).build())) {
            assertThatThrownBy(client::recv).isInstanceOf(ServerErrorException.class)
                    .hasMessageContaining("57P01")
                    .satisfies(e -> assertThat(((ServerErrorException) e).isTransient()).isTrue());
        }
    }

    @Test
    void aWalsenderEndingTheCopyOnServerShutdownIsATransientConnectionError() throws Exception {
        try (FakePgServer server = new FakePgServer(s -> {
            s.readStartup();
            s.acceptLogin("16.4");
            s.acceptUntilStreaming();
            // what WalSndDone sends before proc_exit: CommandComplete "COPY 0", no CopyDone
            s.send('C', "COPY 0\0".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            s.close();
        }); ReplicationClient client = ReplicationClient.connect(config(server).build())) {
            assertThatThrownBy(client::recv).isInstanceOf(ConnectionException.class)
                    .hasMessageContaining("shutting down").hasMessageContaining("'s'")
                    .satisfies(e -> assertThat(((ConnectionException) e).isTransient()).isTrue());
        }
    }
}
