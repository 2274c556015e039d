package io.camelpgrepl.examples;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * The demo: a Camel route that prints a live change feed from PostgreSQL while a writer inserts, updates and
 * deletes orders. Runs for {@code demo.seconds} (30) seconds, or until Ctrl-C.
 *
 * <pre>./mvnw -q -pl camel-pgrepl-examples -am -DskipTests package exec:exec</pre>
 */
public final class Demo {

    private Demo() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = Integer.getInteger("demo.seconds", 30);
        try (DemoDatabase db = DemoDatabase.open(); DefaultCamelContext camel = new DefaultCamelContext()) {
            db.execute("CREATE TABLE IF NOT EXISTS demo_orders (id serial PRIMARY KEY, customer text NOT NULL, "
                    + "amount numeric(10,2) NOT NULL, status text NOT NULL, updated timestamptz DEFAULT now())",
                    // The old row travels with updates and deletes, so the feed shows before -> after.
                    "ALTER TABLE demo_orders REPLICA IDENTITY FULL");

            camel.getPropertiesComponent().setInitialProperties(props(db));
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("pgrepl:demo_slot?host={{db.host}}&port={{db.port}}&database={{db.database}}"
                            + "&user={{db.user}}&password=RAW({{db.password}})&publication=demo_pub"
                            + "&createPublication=true&publicationTables=demo_orders"
                            + "&createSlot=true&temporarySlot=true&includeTransactionEvents=true")
                            .routeId("change-feed")
                            .choice()
                                .when(header("CamelPgReplMessageType").in("BEGIN", "COMMIT"))
                                    .log("${header.CamelPgReplMessageType} xid=${header.CamelPgReplXid} "
                                            + "commit=${header.CamelPgReplCommitLsn}")
                                .otherwise()
                                    .convertBodyTo(Map.class)
                                    .setBody(exchange -> describe(exchange.getMessage().getBody(Map.class)))
                                    .log("  ${header.CamelPgReplOperation} ${header.CamelPgReplSchema}."
                                            + "${header.CamelPgReplTable} at ${header.CamelPgReplLsn}: ${body}");
                }
            });
            camel.start();

            CountDownLatch stop = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
            System.out.println("Streaming changes of demo_orders for " + seconds + " s (Ctrl-C stops) ...");
            write(db, stop, seconds);
            camel.stop();
        }
    }

    /** The row change as {@code before -> after}, using only the Map view a route gets from the type converter. */
    private static String describe(Map<?, ?> change) {
        return change.get("before") + " -> " + change.get("after");
    }

    /** One small transaction every 700 ms: a new order, a status change, now and then a deletion. */
    private static void write(DemoDatabase db, CountDownLatch stop, int seconds) throws Exception {
        Random random = new Random();
        String[] customers = {"Ada", "Grace", "Linus", "Barbara", "Edsger", "Margaret"};
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        try (Connection c = db.connect();
             PreparedStatement insert = c.prepareStatement(
                     "INSERT INTO demo_orders (customer, amount, status) VALUES (?, ?, 'new')");
             PreparedStatement ship = c.prepareStatement(
                     "UPDATE demo_orders SET status = 'shipped', updated = now() WHERE id = "
                             + "(SELECT min(id) FROM demo_orders WHERE status = 'new')");
             PreparedStatement delete = c.prepareStatement(
                     "DELETE FROM demo_orders WHERE id = (SELECT min(id) FROM demo_orders WHERE status = 'shipped')")) {
            int round = 0;
            while (System.nanoTime() < end && !stop.await(700, TimeUnit.MILLISECONDS)) {
                insert.setString(1, customers[random.nextInt(customers.length)]);
                insert.setBigDecimal(2, java.math.BigDecimal.valueOf(random.nextInt(100_000), 2));
                insert.executeUpdate();
                if (round % 2 == 1) {
                    ship.executeUpdate();
                }
                if (round % 5 == 4) {
                    delete.executeUpdate();
                }
                round++;
            }
        }
    }

    private static java.util.Properties props(DemoDatabase db) {
        java.util.Properties p = new java.util.Properties();
        p.setProperty("db.host", db.host);
        p.setProperty("db.port", String.valueOf(db.port));
        p.setProperty("db.database", db.database);
        p.setProperty("db.user", db.user);
        p.setProperty("db.password", db.password == null ? "" : db.password);
        return p;
    }
}
