package io.camelpgrepl.client.fake;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicReference;

import io.camelpgrepl.client.wire.StandbyStatusUpdate;

/**
 * A scripted stand-in for a PostgreSQL server, for what a real one will not do: send garbage, truncate frames,
 * hang, or go silent. One connection; the script runs on its own thread.
 */
public final class FakePgServer implements AutoCloseable {

    /** What the script does with an accepted connection. */
    @FunctionalInterface
    public interface Script {
        void run(Session session) throws Exception;
    }

    private final ServerSocket server;
    private final Thread thread;
    private final AtomicReference<Throwable> scriptFailure = new AtomicReference<>();

    public FakePgServer(Script script) throws IOException {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        thread = new Thread(() -> {
            try (Socket s = server.accept()) {
                script.run(new Session(s));
            } catch (Throwable t) {
                scriptFailure.set(t);
            }
        }, "fake-pg-server");
        thread.setDaemon(true);
        thread.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    public Throwable scriptFailure() {
        return scriptFailure.get();
    }

    @Override
    public void close() throws IOException {
        server.close();
        thread.interrupt();
    }

    /** One client connection, with helpers for the protocol's pieces. */
    public static final class Session {
        private final Socket socket;
        private final DataInputStream in;
        private final OutputStream out;
        /** Standby status updates the client sent, in order (filled by {@link #collectFeedback()}). */
        public final BlockingQueue<StandbyStatusUpdate> statusUpdates = new LinkedBlockingQueue<>();
        /** Set when the client sent CopyDone. */
        public final BlockingQueue<Character> controlMessages = new LinkedBlockingQueue<>();

        Session(Socket socket) throws IOException {
            this.socket = socket;
            this.in = new DataInputStream(socket.getInputStream());
            this.out = socket.getOutputStream();
        }

        /**
         * Reads the startup packet (answering 'N' to an SSLRequest first) and returns its parameters in the order
         * sent. A packet that is not protocol 3.0 or not well formed fails the script.
         */
        public Map<String, String> readStartup() throws IOException {
            while (true) {
                int len = in.readInt();
                int code = in.readInt();
                byte[] rest = new byte[len - 8];
                in.readFully(rest);
                if (code == 80877103) {
                    out.write('N');
                    out.flush();
                    continue;
                }
                if (code != 196608) {
                    throw new IOException("startup packet with protocol " + (code >> 16) + "." + (code & 0xFFFF)
                            + ", expected 3.0");
                }
                return startupParameters(rest);
            }
        }

        private static Map<String, String> startupParameters(byte[] rest) throws IOException {
            Map<String, String> params = new LinkedHashMap<>();
            int pos = 0;
            while (pos < rest.length && rest[pos] != 0) {
                int nameEnd = indexOfNul(rest, pos);
                int valueEnd = indexOfNul(rest, nameEnd + 1);
                params.put(new String(rest, pos, nameEnd - pos, StandardCharsets.UTF_8),
                        new String(rest, nameEnd + 1, valueEnd - nameEnd - 1, StandardCharsets.UTF_8));
                pos = valueEnd + 1;
            }
            if (pos != rest.length - 1) {
                throw new IOException("startup packet does not end with a single NUL after its parameters");
            }
            return params;
        }

        private static int indexOfNul(byte[] b, int from) throws IOException {
            for (int i = from; i < b.length; i++) {
                if (b[i] == 0) {
                    return i;
                }
            }
            throw new IOException("unterminated string in the startup packet");
        }

        /** AuthenticationOk, server_version, ReadyForQuery. */
        public void acceptLogin(String serverVersion) throws IOException {
            acceptLogin(serverVersion, false);
        }

        /** As {@link #acceptLogin(String)}, reporting {@code in_hot_standby} as a standby or a primary does. */
        public void acceptLogin(String serverVersion, boolean hotStandby) throws IOException {
            send('R', ByteBuffer.allocate(4).putInt(0).array());
            send('S', cstrings("server_version", serverVersion));
            send('S', cstrings("in_hot_standby", hotStandby ? "on" : "off"));
            send('Z', new byte[] {'I'});
        }

        /** Reads one typed frontend message; returns its type and body. */
        public Message readMessage() throws IOException {
            char type = (char) in.readUnsignedByte();
            int len = in.readInt();
            byte[] body = new byte[len - 4];
            in.readFully(body);
            return new Message(type, body);
        }

        /** Reads a Query and returns its SQL. */
        public String readQuery() throws IOException {
            Message m = readMessage();
            if (m.type != 'Q') {
                throw new IOException("expected Query, got " + m.type);
            }
            return new String(m.body, 0, m.body.length - 1, StandardCharsets.UTF_8);
        }

        /** Answers a query with rows of text columns. */
        public void rows(List<String> columns, List<List<String>> rows) throws IOException {
            ByteArrayOutputStream t = new ByteArrayOutputStream();
            t.write(columns.size() >> 8);
            t.write(columns.size());
            for (String c : columns) {
                t.writeBytes(cstrings(c));
                t.writeBytes(new byte[18]);
            }
            send('T', t.toByteArray());
            for (List<String> r : rows) {
                ByteBuffer d = ByteBuffer.allocate(2 + r.stream().mapToInt(v -> 4 + (v == null ? 0
                        : v.getBytes(StandardCharsets.UTF_8).length)).sum());
                d.putShort((short) r.size());
                for (String v : r) {
                    if (v == null) {
                        d.putInt(-1);
                    } else {
                        byte[] b = v.getBytes(StandardCharsets.UTF_8);
                        d.putInt(b.length).put(b);
                    }
                }
                send('D', d.array());
            }
            send('C', cstrings("SELECT " + rows.size()));
            send('Z', new byte[] {'I'});
        }

        /** Serves the client's pre-streaming queries and accepts START_REPLICATION; returns its SQL. */
        public String acceptUntilStreaming() throws IOException {
            while (true) {
                String sql = readQuery();
                if (sql.startsWith("IDENTIFY_SYSTEM")) {
                    identifySystem();
                } else if (sql.contains("wal_sender_timeout")) {
                    setupChecks();
                } else if (sql.contains("pg_replication_slots")) {
                    slot("0/1000000");
                } else if (sql.contains("indisprimary")) {
                    primaryKeys();
                } else if (sql.startsWith("START_REPLICATION")) {
                    send('W', new byte[] {0, 0, 0});
                    return sql;
                } else {
                    throw new IOException("unexpected query " + sql);
                }
            }
        }

        /** Answers IDENTIFY_SYSTEM: system 7000000000000000001, timeline 1, at 0/1000000, database postgres. */
        public void identifySystem() throws IOException {
            rows(List.of("systemid", "timeline", "xlogpos", "dbname"),
                    List.of(List.of("7000000000000000001", "1", "0/1000000", "postgres")));
        }

        /** The primary keys of the publication's tables: none. */
        public void primaryKeys() throws IOException {
            rows(List.of("oid", "attnum", "attname"), List.of());
        }

        /**
         * Reads and answers the bootstrap's queries in their order up to the slot query, and reads that one too:
         * IDENTIFY_SYSTEM, the setup checks, the primary keys (none). The caller answers the slot query.
         */
        public void answerUntilSlotQuery() throws IOException {
            readQuery();
            identifySystem();
            readQuery();
            setupChecks();
            readQuery();
            primaryKeys();
            readQuery();
        }

        /**
         * Answers the setup checks: wal_sender_timeout 60 s, wal_level logical, publications exist,
         * hot_standby_feedback on, no synchronized_standby_slots setting (before PostgreSQL 17).
         */
        public void setupChecks() throws IOException {
            setupChecks("on");
        }

        /** As {@link #setupChecks()}, with {@code hot_standby_feedback} as given. */
        public void setupChecks(String hotStandbyFeedback) throws IOException {
            rows(List.of("wal_sender_timeout", "wal_level", "missing_publications", "tables_without_identity",
                    "hot_standby_feedback", "synchronized_standby_slots"),
                    List.of(java.util.Arrays.asList("60000", "logical", null, null, hotStandbyFeedback, null)));
        }

        /**
         * Answers the slot query: a pgoutput slot of database postgres at {@code confirmedFlush}, WAL reserved, its
         * failover and synced flags unknown (as before PostgreSQL 17).
         */
        public void slot(String confirmedFlush) throws IOException {
            slot(confirmedFlush, null, null);
        }

        /** As {@link #slot(String)}, with the slot's {@code failover} and {@code synced} ({@code t}, {@code f}). */
        public void slot(String confirmedFlush, String failover, String synced) throws IOException {
            rows(List.of("plugin", "database", "confirmed_flush_lsn", "wal_status", "safe_wal_size",
                    "invalidation_reason", "failover", "synced"), List.of(java.util.Arrays.asList("pgoutput",
                    "postgres", confirmedFlush, "reserved", null, null, failover, synced)));
        }

        /** XLogData carrying one pgoutput message. */
        public void xlogData(long walStart, long walEnd, byte[] pgoutput) throws IOException {
            ByteBuffer b = ByteBuffer.allocate(25 + pgoutput.length);
            b.put((byte) 'w').putLong(walStart).putLong(walEnd).putLong(0).put(pgoutput);
            send('d', b.array());
        }

        public void keepalive(long walEnd, boolean replyRequested) throws IOException {
            ByteBuffer b = ByteBuffer.allocate(18);
            b.put((byte) 'k').putLong(walEnd).putLong(0).put((byte) (replyRequested ? 1 : 0));
            send('d', b.array());
        }

        /**
         * Reads frontend messages until the client sends CopyDone (or closes), recording status updates; answers
         * CopyDone with CopyDone, CommandComplete and ReadyForQuery, then waits for Terminate.
         */
        public void collectFeedback() throws IOException {
            while (true) {
                Message m;
                try {
                    m = readMessage();
                } catch (IOException closed) {
                    return;
                }
                if (m.type == 'd' && m.body.length > 0 && m.body[0] == 'r') {
                    statusUpdates.add(StandbyStatusUpdate.decode(ByteBuffer.wrap(m.body)));
                } else {
                    controlMessages.add(m.type);
                    if (m.type == 'c') {
                        send('c', new byte[0]);
                        send('C', cstrings("START_STREAMING"));
                        send('Z', new byte[] {'I'});
                    } else if (m.type == 'X') {
                        return;
                    }
                }
            }
        }

        public void send(char type, byte[] body) throws IOException {
            ByteBuffer b = ByteBuffer.allocate(5 + body.length);
            b.put((byte) type).putInt(4 + body.length).put(body);
            sendRaw(b.array());
        }

        public synchronized void sendRaw(byte[] bytes) throws IOException {
            out.write(bytes);
            out.flush();
        }

        public void close() throws IOException {
            socket.close();
        }

        private static byte[] cstrings(String... values) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            for (String v : values) {
                b.writeBytes(v.getBytes(StandardCharsets.UTF_8));
                b.write(0);
            }
            return b.toByteArray();
        }
    }

    /** A frontend message. */
    public record Message(char type, byte[] body) {
    }
}
