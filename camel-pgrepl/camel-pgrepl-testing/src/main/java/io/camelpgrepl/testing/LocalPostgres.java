package io.camelpgrepl.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A PostgreSQL server process on this machine, from zonky or machine binaries, started with
 * {@code pg_ctl} as an unprivileged user when the JVM is root. Its data directory is a copy of an
 * initdb template, so a new server costs a copy and a start.
 */
final class LocalPostgres implements PostgresBackend {

    private static final int START_ATTEMPTS = 3;

    private final PostgresServer.Options options;
    private final PostgresBinaries binaries;
    private final ServerOsUser user = ServerOsUser.current();
    private final Path instanceDir;
    private final Path dataDir;
    private final Path logFile;
    private int port;
    private volatile boolean running;
    private boolean destroyed;

    LocalPostgres(PostgresServer.Options options, PostgresBinaries binaries) {
        this(options, binaries, InitdbTemplate.forBinaries(binaries), null, null);
    }

    /**
     * A physical standby of {@code primary}, which must be stopped cleanly: a copy of its data directory without its
     * replication slots, with {@code standby.signal}, following it through {@code primarySlot} with
     * {@code hot_standby_feedback} and (PostgreSQL 17+) {@code sync_replication_slots} on.
     */
    LocalPostgres(LocalPostgres primary, PostgresServer.Options options, String primarySlot) {
        this(options, primary.binaries, primary.dataDir, primary, primarySlot);
    }

    private LocalPostgres(PostgresServer.Options options, PostgresBinaries binaries, Path source, LocalPostgres primary,
                          String primarySlot) {
        this.options = options;
        this.binaries = binaries;
        StaleServerSweeper.sweepOnce(binaries);
        try {
            // Short path under /tmp: the unix socket path must stay below ~100 characters.
            this.instanceDir = Files.createTempDirectory(Path.of("/tmp"), "pgrepl-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a directory under /tmp for a PostgreSQL server", e);
        }
        this.dataDir = instanceDir.resolve("data");
        this.logFile = dataDir.resolve("postgres.log");
        try {
            StaleServerSweeper.claim(instanceDir);
            InitdbTemplate.copyTo(source, dataDir);
            if (primary == null) {
                writeConfiguration();
            } else {
                makeStandbyOf(primary, primarySlot);
            }
            user.takeOwnership(instanceDir);
        } catch (RuntimeException e) {
            PostgresBinaries.deleteTree(instanceDir);
            throw e;
        }
    }

    private void makeStandbyOf(LocalPostgres primary, String primarySlot) {
        Map<String, String> settings = new java.util.LinkedHashMap<>();
        settings.put("unix_socket_directories", "'" + instanceDir + "'");
        settings.put("primary_conninfo", "'host=127.0.0.1 port=" + primary.port + " user=" + TestUsers.SUPERUSER
                + " dbname=postgres application_name=" + primarySlot + "'");
        settings.put("primary_slot_name", "'" + primarySlot + "'");
        settings.put("hot_standby", "on");
        settings.put("hot_standby_feedback", "on");
        if (binaries.major() >= 17) {
            settings.put("sync_replication_slots", "on");
            // once promoted, waiting for standbys of its own (the primary's list) would hold back every logical walsender
            settings.put("synchronized_standby_slots", "''");
        }
        options.settings().forEach(settings::put);
        StringBuilder conf = new StringBuilder("\n# camel-pgrepl test harness: standby of " + primary.describe() + "\n");
        settings.forEach((k, v) -> conf.append(k).append(" = ").append(v).append('\n'));
        try {
            try (java.util.stream.Stream<Path> slots = Files.list(dataDir.resolve("pg_replslot"))) {
                slots.forEach(PostgresBinaries::deleteTree); // the primary's slots are its own
            }
            Files.deleteIfExists(dataDir.resolve("postmaster.pid"));
            Files.writeString(dataDir.resolve("standby.signal"), "");
            Files.writeString(dataDir.resolve("postgresql.conf"), conf, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make " + dataDir + " a standby", e);
        }
    }

    /** Promotes a standby to primary and waits until it accepts writes. */
    @Override
    public synchronized void promote() {
        pgCtl("promote");
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        boolean firstStart = port == 0;
        for (int attempt = 1; ; attempt++) {
            if (firstStart) {
                port = freePort();
            }
            try {
                pgCtl("start", "-l", logFile.toString(), "-o", "-p " + port);
                running = true;
                return;
            } catch (IllegalStateException e) {
                // Another process may have taken the free port between probe and bind: retry on a new one.
                if (!firstStart || attempt >= START_ATTEMPTS || !logTail().contains("could not bind")) {
                    throw new IllegalStateException("PostgreSQL " + binaries.version() + " did not start on port " + port
                            + " (data " + dataDir + "). Log tail:\n" + logTail(), e);
                }
            }
        }
    }

    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        pgCtl("stop", "-m", "fast");
        running = false;
    }

    @Override
    public synchronized void crash() {
        if (!running) {
            return;
        }
        pgCtl("stop", "-m", "immediate");
        running = false;
    }

    @Override
    public synchronized void destroy() {
        if (destroyed) {
            return;
        }
        try {
            stop();
        } finally {
            destroyed = true;
            PostgresBinaries.deleteTree(instanceDir);
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public String host() {
        return "localhost";
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String superuser() {
        return TestUsers.SUPERUSER;
    }

    @Override
    public String superuserPassword() {
        return null;
    }

    @Override
    public boolean hasFullAuthSetup() {
        return true;
    }

    @Override
    public Path socketDir() {
        return instanceDir;
    }

    @Override
    public Path binDir() {
        return binaries.binDir();
    }

    @Override
    public Path dataDir() {
        return dataDir;
    }

    @Override
    public Path logFile() {
        return logFile;
    }

    @Override
    public String describe() {
        return "embedded PostgreSQL " + binaries.version() + " on 127.0.0.1:" + port + " (data " + dataDir
                + ", log " + logFile + ")";
    }

    private void pgCtl(String action, String... args) {
        List<String> command = new ArrayList<>(List.of(binaries.tool("pg_ctl").toString(), "-D", dataDir.toString(),
                "-w", "-t", "60"));
        command.add(action);
        command.addAll(List.of(args));
        ProcessRunner.run(user.wrap(command), instanceDir, 90);
    }

    private void writeConfiguration() {
        StringBuilder conf = new StringBuilder("\n# camel-pgrepl test harness\n");
        Map<String, String> settings = new java.util.LinkedHashMap<>();
        settings.put("listen_addresses", "'127.0.0.1'");
        settings.put("unix_socket_directories", "'" + instanceDir + "'");
        settings.put("wal_level", "logical");
        settings.put("max_replication_slots", "256");
        settings.put("max_wal_senders", "64");
        settings.put("max_connections", "100");
        settings.put("shared_buffers", "32MB");
        settings.put("fsync", "off");
        settings.put("full_page_writes", "off");
        settings.put("password_encryption", "'scram-sha-256'");
        settings.put("ssl", options.tls() ? "on" : "off");
        if (options.tls()) {
            settings.put("ssl_cert_file", "'server.crt'");
            settings.put("ssl_key_file", "'server.key'");
            settings.put("ssl_ca_file", "'root.crt'");
        }
        settings.put("log_line_prefix", "'%m [%p] %q%u@%d '");
        settings.put("log_connections", "on");
        options.settings().forEach(settings::put);
        settings.forEach((k, v) -> conf.append(k).append(" = ").append(v).append('\n'));
        try {
            Files.writeString(dataDir.resolve("postgresql.conf"), conf, StandardOpenOption.APPEND);
            Files.writeString(dataDir.resolve("pg_hba.conf"), TestUsers.pgHbaConf());
            if (options.tls()) {
                TlsMaterial.ServerFiles server = TlsMaterial.serverFiles(options.serverCertSignature());
                Files.copy(server.cert(), dataDir.resolve("server.crt"), StandardCopyOption.REPLACE_EXISTING);
                Files.copy(server.key(), dataDir.resolve("server.key"), StandardCopyOption.REPLACE_EXISTING);
                Files.setPosixFilePermissions(dataDir.resolve("server.key"), PosixFilePermissions.fromString("rw-------"));
                Files.copy(TlsMaterial.get().caCert(), dataDir.resolve("root.crt"), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the configuration of " + dataDir, e);
        }
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log at " + logFile + ")";
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free TCP port on 127.0.0.1", e);
        }
    }
}
