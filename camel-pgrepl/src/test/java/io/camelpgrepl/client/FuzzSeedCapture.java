package io.camelpgrepl.client;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

import io.camelpgrepl.client.auth.AuthenticatorFixtures;
import io.camelpgrepl.client.tls.TlsUpgrader;
import io.camelpgrepl.client.wire.FrontendMessages;
import io.camelpgrepl.testing.PostgresServer;
import io.camelpgrepl.testing.TestUsers;

/**
 * Writes the fuzz targets' seed corpora from a real PostgreSQL server: what it sends during startup and
 * authentication (recorded under the fuzz harness's fixed client nonce, so a replay goes through SCRAM), its replies
 * to the client's queries, and pgoutput streams of every protocol version with text and binary tuples, TOAST,
 * streamed and two-phase transactions and logical messages. Not a test; run it when the decoder or the protocol
 * grows, and commit what it writes:
 * <pre>
 * ./mvnw -pl camel-pgrepl -o test-compile
 * java -cp "camel-pgrepl/target/test-classes:camel-pgrepl/target/classes:$(cat cp.txt)" \
 *     -Dpgrepl.test.pg.binaries=camel-pgrepl/target/pg-binaries io.camelpgrepl.client.FuzzSeedCapture \
 *     camel-pgrepl/src/test/resources
 * </pre>
 */
public final class FuzzSeedCapture {

    private static final String AUTH_DIR =
            "io/camelpgrepl/client/AuthenticationFuzzTestInputs/startupAgainstHostileServerBytesEndsTypedAndNeverLeaksThePassword";
    private static final String FRAME_DIR =
            "io/camelpgrepl/client/wire/FrameReaderFuzzTestInputs/hostileBytesGiveFramesEndOfStreamOrAProtocolError";
    private static final String PGOUTPUT_DIR =
            "io/camelpgrepl/pgoutput/PgOutputStreamFuzzTestInputs/messageSequencesDecodeOrFailTyped";
    private static final int MAX_SEED_MESSAGES = 80;

    private FuzzSeedCapture() {
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : "src/test/resources");
        PostgresServer.Options options = PostgresServer.Options.defaults().toBuilder()
                .setting("max_prepared_transactions", "10").setting("logical_decoding_work_mem", "64kB").build();
        try (PostgresServer pg = PostgresServer.start(options)) {
            pg.execute("postgres", "CREATE ROLE repl LOGIN REPLICATION PASSWORD '" + AuthenticationFuzzTest.PASSWORD + "'");
            authentication(pg, root.resolve(AUTH_DIR), root.resolve(FRAME_DIR));
            pgoutput(pg, root.resolve(PGOUTPUT_DIR));
        }
    }

    // ---- startup, authentication and query replies ----

    private static void authentication(PostgresServer pg, Path authDir, Path frameDir) throws Exception {
        Files.createDirectories(authDir);
        Files.createDirectories(frameDir);
        // policy bits as AuthenticationFuzzTest reads them: 1 prefer, 2 require, 4 TLS, 16 allow cleartext
        recordStartup(pg, authDir, "trust", TestUsers.TRUST_USER, null, 0x01, frameDir);
        recordStartup(pg, authDir, "cleartext-password", TestUsers.PASSWORD_USER, TestUsers.PASSWORD_USER_PASSWORD,
                0x11, null);
        recordStartup(pg, authDir, "md5", TestUsers.MD5_USER, TestUsers.MD5_USER_PASSWORD, 0x01, null);
        recordStartup(pg, authDir, "scram", "repl", AuthenticationFuzzTest.PASSWORD, 0x01, frameDir);
        recordStartup(pg, authDir, "scram-plus-prefer-tls", TestUsers.SCRAM_SSL_USER,
                TestUsers.SCRAM_SSL_USER_PASSWORD, 0x05, null);
        recordStartup(pg, authDir, "scram-plus-require-tls", "repl", AuthenticationFuzzTest.PASSWORD, 0x06, null);
        recordStartup(pg, authDir, "wrong-password", "repl", "not-the-password", 0x01, null);
    }

    private static void recordStartup(PostgresServer pg, Path authDir, String name, String user, String password,
                                      int policy, Path frameDirOrNull) throws Exception {
        boolean tls = (policy & 4) != 0;
        ReplicationConfig config = ReplicationConfig.builder().host("localhost").port(pg.port()).user(user)
                .password(password).database("postgres").slot("s").publication("p")
                .sslMode(tls ? SslMode.REQUIRE : SslMode.DISABLE)
                .channelBinding((policy & 3) == 2 ? ChannelBinding.REQUIRE : ChannelBinding.PREFER)
                .allowCleartextPasswordWithoutTls((policy & 16) != 0).build();
        try (Socket s = new Socket("localhost", pg.port())) {
            Socket active = s;
            SSLSession session = null;
            if (tls) {
                s.getOutputStream().write(FrontendMessages.sslRequest());
                if (s.getInputStream().read() != 'S') {
                    throw new IllegalStateException("the server refused TLS");
                }
                SSLSocket upgraded = TlsUpgrader.upgrade(s, config, "localhost", pg.port());
                session = upgraded.getSession();
                active = upgraded;
            }
            Recording in = new Recording(active.getInputStream());
            PgConnection conn = new PgConnection(config, in, active.getOutputStream(), session);
            try {
                conn.startup(AuthenticatorFixtures.withNonce(config, session, AuthenticationFuzzTest.NONCE));
            } catch (ReplicationException refused) {
                System.out.println(name + ": " + refused.getMessage());
            }
            write(authDir.resolve(name), policy, in.bytes());
            if (frameDirOrNull != null) {
                for (String sql : List.of("IDENTIFY_SYSTEM", "SHOW wal_sender_timeout",
                        "SELECT slot_name, plugin, confirmed_flush_lsn FROM pg_catalog.pg_replication_slots",
                        "SELECT 1/0", "SELECT NULL::text, 'x'::text, 42")) {
                    try {
                        conn.query(sql);
                    } catch (ReplicationException expected) {
                        // the error reply is what we want recorded
                    }
                }
                // chop seed 0, no startup limit
                write(frameDirOrNull.resolve(name + "-startup-and-queries"), 0, new byte[] {0}, in.bytes());
            }
        }
    }

    // ---- pgoutput streams ----

    private static void pgoutput(PostgresServer pg, Path dir) throws Exception {
        Files.createDirectories(dir);
        pg.execute("postgres",
                "CREATE TABLE fz (id int PRIMARY KEY, b bool, i2 int2, i8 int8, f4 float4, f8 float8, n numeric,"
                        + " t text, vc varchar(10), bp char(3), by bytea, u uuid, d date, tm time, ttz timetz,"
                        + " ts timestamp, tstz timestamptz, iv interval, j json, jb jsonb, ai int[], at text[],"
                        + " big text)",
                "ALTER TABLE fz ALTER COLUMN big SET STORAGE EXTERNAL",
                "CREATE TABLE fz_full (k text, v int)", "ALTER TABLE fz_full REPLICA IDENTITY FULL",
                "CREATE PUBLICATION fzpub FOR TABLE fz, fz_full");
        int major = pg.majorVersion();
        capture(pg, dir, "v1-text", 1, StreamingMode.OFF, false, false, false, FuzzSeedCapture::rows);
        capture(pg, dir, "v1-binary", 1, StreamingMode.OFF, true, false, false, FuzzSeedCapture::rows);
        capture(pg, dir, "v2-streamed-with-messages", 2, StreamingMode.ON, false, true, false,
                FuzzSeedCapture::streamed);
        capture(pg, dir, "v3-two-phase", 3, StreamingMode.OFF, false, false, true, FuzzSeedCapture::twoPhase);
        if (major >= 16) {
            capture(pg, dir, "v4-parallel-streamed-binary", 4, StreamingMode.PARALLEL, true, true, false,
                    FuzzSeedCapture::streamed);
        }
    }

    private interface Workload {
        void run(PostgresServer pg);
    }

    private static void rows(PostgresServer pg) {
        pg.execute("postgres",
                "INSERT INTO fz VALUES (1, true, -2, 9007199254740993, 1.5, 'NaN', '-123.4500e-3', 'it''s', 'äöü',"
                        + " 'ab', '\\x00ff', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '2024-02-29', '23:59:59.999999',"
                        + " '01:02:03+05:30', 'infinity', '2000-01-01 00:00:00+00', '1 year 2 mons -3 days 04:05:06',"
                        + " '{\"a\": [1, 2]}', '{\"b\": null}', '{{1,2},{3,NULL}}', '{\"x,y\",\"\"}',"
                        + " repeat('toast ', 2000))",
                "INSERT INTO fz (id) VALUES (2)",
                "UPDATE fz SET t = 'changed' WHERE id = 1",
                "UPDATE fz SET id = 3 WHERE id = 2",
                "DELETE FROM fz WHERE id = 3",
                "INSERT INTO fz_full VALUES ('k', 1)", "UPDATE fz_full SET v = 2", "DELETE FROM fz_full",
                "TRUNCATE fz_full");
    }

    private static void streamed(PostgresServer pg) {
        pg.execute("postgres",
                "SELECT pg_logical_emit_message(false, 'fz', 'outside a transaction')",
                "BEGIN; INSERT INTO fz (id, t) SELECT g, repeat('s', 100) FROM generate_series(100, 1200) g;"
                        + " SAVEPOINT a; INSERT INTO fz (id) VALUES (5000); ROLLBACK TO a;"
                        + " SELECT pg_logical_emit_message(true, 'fz', 'inside'); COMMIT",
                "BEGIN; INSERT INTO fz (id, t) SELECT g, repeat('r', 100) FROM generate_series(2000, 3100) g;"
                        + " ROLLBACK");
    }

    private static void twoPhase(PostgresServer pg) {
        pg.execute("postgres",
                "BEGIN; INSERT INTO fz (id, t) VALUES (10, 'prepared'); PREPARE TRANSACTION 'fz1'",
                "COMMIT PREPARED 'fz1'",
                "BEGIN; INSERT INTO fz (id, t) VALUES (11, 'rolled back'); PREPARE TRANSACTION 'fz2'",
                "ROLLBACK PREPARED 'fz2'");
    }

    private static void capture(PostgresServer pg, Path dir, String name, int proto, StreamingMode streaming,
                                boolean binary, boolean messages, boolean twoPhase, Workload workload)
            throws Exception {
        String slot = "fz_" + name.replace('-', '_');
        pg.execute("postgres", "SELECT pg_create_logical_replication_slot('" + slot + "', 'pgoutput', false, "
                + twoPhase + ")");
        pg.execute("postgres", "TRUNCATE fz, fz_full");
        workload.run(pg);
        ReplicationConfig config = ReplicationConfig.builder().host("localhost").port(pg.port()).user("postgres")
                .database("postgres").sslMode(SslMode.DISABLE).slot(slot).publication("fzpub").protoVersion(proto)
                .streaming(streaming).binary(binary).messages(messages).twoPhase(twoPhase).build();
        List<byte[]> stream = new ArrayList<>();
        try (ReplicationClient client = ReplicationClient.connect(config)) {
            ReplicationEvent e;
            while ((e = client.poll(Duration.ofSeconds(3))) != null) {
                if (e instanceof ReplicationEvent.WalMessage m) {
                    ByteBuffer data = m.data();
                    byte[] bytes = new byte[data.remaining()];
                    data.get(bytes);
                    stream.add(bytes);
                }
            }
        }
        pg.dropSlot(slot);
        List<byte[]> seed = stream.size() <= MAX_SEED_MESSAGES ? stream : new ArrayList<>(stream.subList(0,
                MAX_SEED_MESSAGES / 2));
        if (stream.size() > MAX_SEED_MESSAGES) {
            seed.addAll(stream.subList(stream.size() - MAX_SEED_MESSAGES / 2, stream.size()));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] m : seed) {
            if (m.length <= 0xFFFF) {
                out.write(m.length >> 8);
                out.write(m.length);
                out.writeBytes(m);
            }
        }
        int header = (proto - 1) | (streaming.ordinal() << 2);
        write(dir.resolve(name), header, out.toByteArray());
        System.out.println(name + ": " + stream.size() + " messages, " + seed.size() + " kept");
    }

    private static void write(Path file, int firstByte, byte[]... parts) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(firstByte);
            for (byte[] p : parts) {
                out.write(p);
            }
        }
    }

    /** Keeps a copy of every byte read. */
    private static final class Recording extends FilterInputStream {
        private final ByteArrayOutputStream copy = new ByteArrayOutputStream();

        Recording(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                copy.write(b);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                copy.write(b, off, n);
            }
            return n;
        }

        byte[] bytes() {
            return copy.toByteArray();
        }
    }
}
