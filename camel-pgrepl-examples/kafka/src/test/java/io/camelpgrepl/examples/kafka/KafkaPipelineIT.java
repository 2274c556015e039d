package io.camelpgrepl.examples.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.camelpgrepl.client.Lsn;
import io.camelpgrepl.testing.PostgresServer;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.main.Main;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Kafka pipeline on a real PostgreSQL and a real (in-process KRaft) broker: killed mid-stream with SIGKILL and
 * restarted, it loses nothing, repeats only what the slot had not confirmed, and the reader route drops the repeats.
 * Throughout, the slot's confirmed position is sampled against the topic: it never passes a row not yet in Kafka.
 */
class KafkaPipelineIT {

    private static final String TOPIC = "orders-cdc";
    private static final String SLOT = "orders_kafka_slot";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static PostgresServer pg;
    private static InProcessKafka kafka;

    @BeforeAll
    static void start() throws Exception {
        pg = PostgresServer.start(PostgresServer.Options.builder().tls(false).build());
        pg.execute("postgres", KafkaPipeline.ORDERS_TABLE);
        kafka = InProcessKafka.start();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
            // one partition: the offsets then order every record, which tells the two runs apart
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        kafka.close();
        pg.close();
    }

    @Test
    void killedAndRestartedThePipelineLosesNothingAndTheReaderDropsTheRepeats() throws Exception {
        Writer writer = new Writer();
        TopicTail tail = new TopicTail();
        Sampler sampler = new Sampler(tail);
        Thread writing = new Thread(writer, "orders-writer");
        Main second = null;
        try {
            Process first = startPipelineInItsOwnJvm();
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                assertThat(first.isAlive()).as("first run alive (target/kafka-pipeline-first-run.log)").isTrue();
                return isStreaming();
            });
            writing.start();
            sampler.start();
            // enough rows, and the slot confirmed some of them: the kill then falls between two confirmations
            await().atMost(Duration.ofSeconds(60)).until(() -> tail.size() >= 300 && sampler.positionsSeen() >= 2);

            first.destroyForcibly().waitFor(10, TimeUnit.SECONDS); // mid-stream, no goodbye: SIGKILL
            Lsn confirmedAtKill = confirmedFlush();
            // a produce request already on its way when the process died may still land: wait until none does
            AtomicInteger stable = new AtomicInteger(-1);
            await().atMost(Duration.ofSeconds(10)).during(Duration.ofMillis(500))
                    .until(() -> stable.getAndSet(tail.size()) == tail.size());
            int firstRunRecords = tail.size();

            second = KafkaPipeline.camelMain(settings("verify-reader", "mock:deduped"));
            second.start();
            // the second run confirms too (status every second), however fast the rows go through
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> tail.size() >= firstRunRecords + 300 && sampler.positionsSeen() >= 3);
            int written = writer.stop(writing);
            MockEndpoint deduped = second.getCamelContext().getEndpoint("mock:deduped", MockEndpoint.class);
            await().atMost(Duration.ofSeconds(60)).until(() -> deduped.getReceivedCounter() >= written);
            sampler.stop();

            List<Row> topic = topicRecords();
            List<Row> firstRun = topic.subList(0, firstRunRecords);
            List<Row> secondRun = topic.subList(firstRunRecords, topic.size());
            assertThat(ids(topic)).as("every row written is in the topic").containsAll(range(written));
            assertThat(repeats(firstRun)).as("no event twice within the first run").isEmpty();
            assertThat(repeats(secondRun)).as("no event twice within the second run").isEmpty();
            Set<String> repeated = new HashSet<>(eventIds(firstRun));
            repeated.retainAll(eventIds(secondRun));
            assertThat(repeated).as("rows sent but not yet confirmed when the first run died come again")
                    .isNotEmpty()
                    .allSatisfy(id -> assertThat(commitLsnOf(topic, id).isAfter(confirmedAtKill))
                            .as("only what the slot had not confirmed (%s) is repeated: %s", confirmedAtKill, id).isTrue());
            assertThat(deduped.getReceivedCounter()).as("the reader's idempotent consumer passes each row once")
                    .isEqualTo(written);
            assertThat(topic.get(0).key()).as("records are keyed by the primary key").isEqualTo("{\"id\":1}");
            sampler.assertConfirmedNeverAheadOfTheTopic(topic);
        } finally {
            writer.stopQuietly(writing);
            sampler.stop();
            tail.close();
            if (second != null) {
                second.stop();
            }
        }
    }

    // --- the pipeline's first run: as users run it, in a JVM of its own, with settings from the environment

    private static Process startPipelineInItsOwnJvm() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dpipeline.statusInterval=1s", "-Dpipeline.group=first-run-reader",
                "-cp", System.getProperty("java.class.path"), KafkaPipeline.class.getName());
        pb.environment().put("PGHOST", pg.host());
        pb.environment().put("PGPORT", String.valueOf(pg.port()));
        pb.environment().put("PGUSER", "postgres");
        pb.environment().put("KAFKA_BROKERS", kafka.bootstrapServers());
        pb.redirectErrorStream(true);
        pb.redirectOutput(Path.of("target", "kafka-pipeline-first-run.log").toFile());
        return pb.start();
    }

    private static Properties settings(String readerGroup, String sink) {
        Properties p = KafkaPipeline.fromEnvironment(Map.of("PGHOST", pg.host(), "PGPORT", String.valueOf(pg.port()),
                "KAFKA_BROKERS", kafka.bootstrapServers()));
        p.setProperty("pipeline.statusInterval", "1s");
        p.setProperty("pipeline.group", readerGroup);
        p.setProperty("pipeline.sink", sink);
        return p;
    }

    private static boolean isStreaming() {
        return pg.queryLong("postgres", "SELECT count(*) FROM pg_replication_slots WHERE slot_name = ? AND active",
                SLOT) == 1;
    }

    private static Lsn confirmedFlush() {
        String lsn = pg.queryString("postgres",
                "SELECT confirmed_flush_lsn::text FROM pg_replication_slots WHERE slot_name = ?", SLOT);
        return lsn == null ? Lsn.INVALID : Lsn.parse(lsn);
    }

    // --- the topic

    record Row(int id, String eventId, Lsn commitLsn, String key) {
    }

    /** Everything in the topic now, in offset order. */
    private static List<Row> topicRecords() {
        try (TopicTail all = new TopicTail()) {
            all.catchUp();
            return all.rows();
        }
    }

    /** One consumer reading the topic from its beginning, on demand up to the end offset of that moment. */
    static final class TopicTail implements AutoCloseable {
        private final TopicPartition partition = new TopicPartition(TOPIC, 0);
        private final KafkaConsumer<String, String> consumer;
        private final List<Row> rows = new CopyOnWriteArrayList<>();

        TopicTail() {
            consumer = new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers(),
                    ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                    ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false"));
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
        }

        /** Reads every record up to the end offset as of now (one thread at a time: the consumer is not shared). */
        synchronized void catchUp() {
            long end = consumer.endOffsets(List.of(partition)).get(partition);
            while (consumer.position(partition) < end) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    rows.add(new Row(idOf(r.value()), header(r, KafkaPipeline.EVENT_ID_HEADER),
                            Lsn.parse(header(r, KafkaPipeline.COMMIT_LSN_HEADER)), r.key()));
                }
            }
        }

        int size() {
            return rows.size();
        }

        List<Row> rows() {
            return List.copyOf(rows);
        }

        @Override
        public synchronized void close() {
            consumer.close();
        }
    }

    private static int idOf(String json) {
        try {
            JsonNode change = JSON.readTree(json);
            return change.get("after").get("id").asInt();
        } catch (java.io.IOException e) {
            throw new AssertionError("record value is not the change as JSON: " + json, e);
        }
    }

    private static String header(ConsumerRecord<String, String> r, String name) {
        return new String(r.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static Set<Integer> ids(List<Row> rows) {
        Set<Integer> ids = new HashSet<>();
        rows.forEach(r -> ids.add(r.id()));
        return ids;
    }

    private static List<String> eventIds(List<Row> rows) {
        return rows.stream().map(Row::eventId).toList();
    }

    private static List<String> repeats(List<Row> rows) {
        Set<String> seen = new HashSet<>();
        return rows.stream().map(Row::eventId).filter(id -> !seen.add(id)).toList();
    }

    private static Lsn commitLsnOf(List<Row> rows, String eventId) {
        return rows.stream().filter(r -> r.eventId().equals(eventId)).findFirst().orElseThrow().commitLsn();
    }

    private static List<Integer> range(int count) {
        List<Integer> ids = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            ids.add(i);
        }
        return ids;
    }

    // --- load and observation

    /** Commits transactions of two new orders each, about one a millisecond, until stopped. */
    static final class Writer implements Runnable {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicInteger lastId = new AtomicInteger();

        @Override
        public void run() {
            try (Connection c = pg.connect("postgres");
                 PreparedStatement insert = c.prepareStatement("INSERT INTO orders VALUES (?, 'c', 1.00), (?, 'c', 2.00)")) {
                while (running.get()) {
                    int id = lastId.get();
                    insert.setInt(1, id + 1);
                    insert.setInt(2, id + 2);
                    insert.executeUpdate();
                    lastId.set(id + 2);
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)); // a pace, not a synchronisation
                }
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Stops writing; returns how many rows were committed (ids 1..n). */
        int stop(Thread thread) throws InterruptedException {
            running.set(false);
            thread.join(10_000);
            return lastId.get();
        }

        void stopQuietly(Thread thread) throws InterruptedException {
            running.set(false);
            if (thread.isAlive()) {
                thread.join(10_000);
            }
        }
    }

    /** Reads the slot's confirmed position, then the topic up to its end, again and again while the pipeline runs. */
    static final class Sampler {
        /** The slot had confirmed {@code confirmed} when the topic held (at least) its first {@code records}. */
        record Sample(Lsn confirmed, int records) {
        }

        private final TopicTail tail;
        private final List<Sample> samples = new CopyOnWriteArrayList<>();
        private final AtomicBoolean running = new AtomicBoolean();
        private Thread thread;

        Sampler(TopicTail tail) {
            this.tail = tail;
        }

        void start() {
            running.set(true);
            thread = new Thread(() -> {
                while (running.get()) {
                    Lsn confirmed = confirmedFlush(); // first the slot, then the topic: the topic can only have grown
                    tail.catchUp();
                    samples.add(new Sample(confirmed, tail.size()));
                    LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // a pace, not a synchronisation
                }
            }, "slot-vs-topic-sampler");
            thread.start();
        }

        /** How many distinct confirmed positions the samples saw so far. */
        long positionsSeen() {
            return samples.stream().map(Sample::confirmed).distinct().count();
        }

        void stop() throws InterruptedException {
            running.set(false);
            if (thread != null) {
                thread.join(10_000);
            }
        }

        /** Each row whose transaction committed at or before a sampled confirmed position was in the topic then. */
        void assertConfirmedNeverAheadOfTheTopic(List<Row> topic) {
            assertThat(samples).as("samples taken while the pipeline ran").hasSizeGreaterThan(5);
            assertThat(positionsSeen()).as("the slot advanced while sampled").isGreaterThan(2);
            for (Sample sample : samples) {
                Set<String> inTopic = new HashSet<>(eventIds(topic.subList(0, sample.records())));
                List<String> confirmedButMissing = topic.stream()
                        .filter(r -> !r.commitLsn().isAfter(sample.confirmed()))
                        .map(Row::eventId)
                        .filter(id -> !inTopic.contains(id))
                        .toList();
                assertThat(confirmedButMissing).as("confirmed at %s but not in the topic", sample.confirmed()).isEmpty();
            }
        }
    }
}
