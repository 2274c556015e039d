package io.camelpgrepl.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.camelpgrepl.client.Lsn;

/**
 * Who drains, over what, how many at once: pg_recvlogical, pgjdbc's replication API, our raw client or our
 * {@code pgrepl:} route, over TCP, TLS ({@code sslmode=require}), the Unix socket or a {@link ReplayServer}; with
 * {@code parallel > 1}, that many slots drained at once (pg_recvlogical as that many processes, the Java clients in one
 * JVM: a thread or a route per slot).
 *
 * @param classPath the Java worker's class path (null: this JVM's), e.g. another build's classes for an A/B run
 * @param heapMb    the Java worker's -Xmx
 */
record Contender(Client client, Transport transport, int parallel, String label, String classPath, int heapMb) {

    enum Client {
        RECVLOGICAL("pg_recvlogical"), PGJDBC("pgjdbc"), OURS("ours"), CAMEL("camel");

        final String label;

        Client(String label) {
            this.label = label;
        }
    }

    enum Transport { TCP, TLS, UNIX, REPLAY }

    /** The stderr line that stands for "first event": pg_recvlogical -v logs when streaming was initiated. */
    static final List<String> MARKERS = List.of(ProcessMeter.FIRST_EVENT, "streaming initiated");

    static Contender of(Client client) {
        return new Contender(client, Transport.TCP, 1, null, null, 256);
    }

    Contender over(Transport t) {
        return new Contender(client, t, parallel, label, classPath, heapMb);
    }

    Contender times(int n) {
        return new Contender(client, transport, n, label, classPath, heapMb);
    }

    Contender heap(int mb) {
        return new Contender(client, transport, parallel, label, classPath, mb);
    }

    Contender onClassPath(String name, String cp) {
        return new Contender(client, transport, parallel, name, cp, heapMb);
    }

    String name() {
        return (label != null ? label : client.label)
                + (transport == Transport.TCP ? "" : "/" + transport.name().toLowerCase(Locale.ROOT))
                + (parallel > 1 ? " ×" + parallel : "") + (isJava() && heapMb != 256 ? " -Xmx" + heapMb + "m" : "");
    }

    boolean isJava() {
        return client != Client.RECVLOGICAL;
    }

    /** Seconds from process start to the first event, as the stderr marker says. */
    double firstEventSeconds(ProcessMeter.Measurement m) {
        return isJava() ? m.marker(ProcessMeter.FIRST_EVENT) : m.marker(MARKERS.get(1));
    }

    /** The slots of one round (one per parallel drain). */
    List<String> slots(String workload, int round) {
        String key = name().replace("pg_recvlogical", "recv").replace("@", "_at_").replaceAll("[^a-z0-9_]", "_");
        List<String> slots = new ArrayList<>();
        for (int i = 0; i < parallel; i++) {
            slots.add(("b_" + workload + "_" + key + "_r" + round + "_" + i).replaceAll("_+", "_"));
        }
        return slots;
    }

    /**
     * The processes of one drain: {@code host}/{@code port} are the server's (or, for REPLAY, the replay server's);
     * {@code rows} is what a route must count per slot.
     */
    List<List<String>> commands(BenchServer s, String host, int port, List<String> slots, Lsn target, long rows,
                                String... extra) {
        String sslMode = transport == Transport.TLS ? "require" : "disable";
        String serverHost = transport == Transport.UNIX ? s.pg.socketDir().toString() : host;
        if (client == Client.RECVLOGICAL) {
            List<List<String>> commands = new ArrayList<>();
            for (String slot : slots) {
                commands.add(List.of(s.recvlogical.toString(), "-v", "-d", "host=" + serverHost + " port=" + port
                        + " user=" + BenchServer.USER + " dbname=" + BenchServer.DB + " sslmode=" + sslMode,
                        "-S", slot, "--start", "--no-loop", "-f", "/dev/null", "-o", "proto_version=1",
                        "-o", "publication_names=" + BenchServer.PUB, "-E", target.toString(), "-s", "10"));
            }
            return commands;
        }
        Class<?> main = client == Client.CAMEL ? CamelDrainWorker.class : DrainWorker.class;
        List<String> args = new ArrayList<>(List.of("host=" + serverHost, "port=" + port, "database=" + BenchServer.DB,
                "user=" + BenchServer.USER, "slots=" + String.join(",", slots), "publication=" + BenchServer.PUB,
                "target=" + target, "sslMode=" + sslMode, "client=" + client.label, "rows=" + rows,
                "uriOptions=" + System.getProperty("camel.uriOptions", "").trim()));
        args.addAll(List.of(extra));
        return List.of(java(main, heapMb, classPath, args));
    }

    /**
     * A Java worker in a JVM of its own ({@code -Xmx<heap>m -XX:+UseSerialGC}, then the options in system property
     * {@code bench.jvmOptions} with {@code {contender}} replaced by the contender's name; the test class path).
     */
    List<String> java(Class<?> main, int heap, String cp, List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heap + "m", "-XX:+UseSerialGC"));
        String jvmOptions = System.getProperty("bench.jvmOptions", "").trim();
        if (!jvmOptions.isEmpty()) {
            cmd.addAll(List.of(jvmOptions.replace("{contender}", name().replaceAll("[^A-Za-z0-9_.-]", "_"))
                    .split("\\s+")));
        }
        cmd.addAll(List.of("-cp", cp != null ? cp : System.getProperty("java.class.path"), main.getName()));
        cmd.addAll(args);
        return cmd;
    }
}
