package io.camelpgrepl.examples.kafka;

import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.camelpgrepl.testing.PostgresServer;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.kafka.KafkaConstants;
import org.apache.camel.main.Main;
import org.apache.camel.support.processor.idempotent.MemoryIdempotentRepository;

/**
 * PostgreSQL to Kafka, at least once: table {@code orders} through a {@code pgrepl:} route to topic
 * {@code orders-cdc}, one record per row change, keyed by the row's primary key, the change as JSON. The pgrepl
 * consumer acknowledges a transaction to the slot only when all its exchanges completed, and the Kafka producer
 * completes an exchange when the broker acknowledged the record ({@code acks=all}): so the slot never moves past a
 * row that is not in the topic. After a crash the stream resumes from the slot and may send a record again; a
 * second route reads the topic and drops those duplicates with an idempotent consumer on the event id.
 *
 * <p>Settings: {@code PGHOST}, {@code PGPORT}, {@code PGDATABASE}, {@code PGUSER}, {@code PGPASSWORD} and
 * {@code KAFKA_BROKERS}; without them it starts an embedded PostgreSQL and an in-process Kafka broker, creates
 * {@code orders} and writes a few rows. System properties {@code pipeline.*} (below) tune it.
 *
 * <pre>./mvnw -q -pl camel-pgrepl-examples/kafka -am -DskipTests package exec:exec</pre>
 */
public final class KafkaPipeline extends RouteBuilder {

    public static final String ROUTE = "orders-to-kafka";
    public static final String READER_ROUTE = "orders-reader";
    /** Kafka record headers the pipeline adds (Camel's own headers, CamelPgRepl*, are not copied to records). */
    public static final String EVENT_ID_HEADER = "pgrepl.eventId";
    public static final String COMMIT_LSN_HEADER = "pgrepl.commitLsn";
    public static final String ORDERS_TABLE = "CREATE TABLE IF NOT EXISTS orders "
            + "(id int PRIMARY KEY, customer text NOT NULL, amount numeric(10,2) NOT NULL)";

    @Override
    public void configure() {
        from("pgrepl:{{pipeline.slot:orders_kafka_slot}}?publication={{pipeline.publication:orders_kafka_pub}}"
                + "&createPublication=true&publicationTables=orders&createSlot=true"
                // many records in flight, acknowledged in commit order however the broker's acks come back
                + "&maxInflight={{pipeline.maxInflight:256}}&statusInterval={{pipeline.statusInterval:10s}}")
                .routeId(ROUTE)
                // the row's key as JSON ({"id":42}) partitions the topic; the event id travels as a record header
                .setHeader(KafkaConstants.KEY, header("CamelPgReplKey").convertToString())
                .setHeader(EVENT_ID_HEADER, header("CamelPgReplEventId"))
                .setHeader(COMMIT_LSN_HEADER, header("CamelPgReplCommitLsn").convertToString())
                .convertBodyTo(String.class) // the change as JSON (the component's converter, no Jackson needed)
                .to("kafka:{{pipeline.topic:orders-cdc}}?brokers={{kafka.brokers}}&requestRequiredAcks=all");

        from("kafka:{{pipeline.topic:orders-cdc}}?brokers={{kafka.brokers}}&groupId={{pipeline.group:orders-reader}}"
                + "&autoOffsetReset=earliest")
                .routeId(READER_ROUTE)
                // record headers arrive as bytes: compare them as text
                .idempotentConsumer(header(EVENT_ID_HEADER).convertToString(),
                        MemoryIdempotentRepository.memoryIdempotentRepository(100_000))
                .to("{{pipeline.sink:log:orders-cdc}}");
    }

    /**
     * camel-main with both routes; {@code properties} hold the connection ({@code camel.component.pgrepl.*},
     * {@code kafka.brokers}) and any {@code pipeline.*} setting. System properties win, as always in Camel.
     */
    public static Main camelMain(Properties properties) {
        Main main = new Main();
        main.configure().addRoutesBuilder(new KafkaPipeline());
        main.setInitialProperties(properties);
        return main;
    }

    /** Connection properties from the PG* variables and {@code KAFKA_BROKERS}. */
    public static Properties fromEnvironment(Map<String, String> env) {
        Properties p = new Properties();
        p.setProperty("camel.component.pgrepl.host", env.getOrDefault("PGHOST", "localhost"));
        p.setProperty("camel.component.pgrepl.port", env.getOrDefault("PGPORT", "5432"));
        p.setProperty("camel.component.pgrepl.database", env.getOrDefault("PGDATABASE", "postgres"));
        p.setProperty("camel.component.pgrepl.user", env.getOrDefault("PGUSER", "postgres"));
        if (env.get("PGPASSWORD") != null) {
            p.setProperty("camel.component.pgrepl.password", env.get("PGPASSWORD"));
        }
        p.setProperty("kafka.brokers", env.getOrDefault("KAFKA_BROKERS", "localhost:9092"));
        return p;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> env = System.getenv();
        if (env.containsKey("PGHOST") && env.containsKey("KAFKA_BROKERS")) {
            camelMain(fromEnvironment(env)).run();
            return;
        }
        try (PostgresServer pg = PostgresServer.start(PostgresServer.Options.builder().tls(false).build());
             InProcessKafka kafka = InProcessKafka.start()) {
            pg.execute("postgres", ORDERS_TABLE);
            Main main = camelMain(fromEnvironment(Map.of("PGHOST", pg.host(), "PGPORT", String.valueOf(pg.port()),
                    "KAFKA_BROKERS", kafka.bootstrapServers())));
            main.start();
            awaitStreaming(pg, "orders_kafka_slot");
            pg.execute("postgres", "INSERT INTO orders VALUES (1, 'Ada', 12.50), (2, 'Grace', 99.00)",
                    "UPDATE orders SET amount = 15.00 WHERE id = 1", "DELETE FROM orders WHERE id = 2");
            System.out.println("Streaming orders to Kafka topic orders-cdc at " + kafka.bootstrapServers()
                    + "; the reader route logs each record once. Ctrl-C stops.");
            CountDownLatch stop = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
            stop.await(Long.getLong("demo.seconds", 20), TimeUnit.SECONDS);
            main.stop();
        }
    }

    /** Waits until the route streams from {@code slot} (it creates the slot on start), so rows written next reach it. */
    static void awaitStreaming(PostgresServer pg, String slot) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (pg.queryLong("postgres", "SELECT count(*) FROM pg_replication_slots WHERE slot_name = ? AND active",
                slot) == 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the route is not streaming from slot " + slot + " after 30 s");
            }
            Thread.sleep(100);
        }
    }
}
