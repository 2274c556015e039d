package io.camelpgrepl.examples.main;

import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.camelpgrepl.testing.PostgresServer;
import io.camelpgrepl.testing.TestUsers;
import org.apache.camel.main.Main;

/**
 * {@code camel-main/routes.yaml} with {@code camel-main/application.properties}, run by camel-main as Camel JBang
 * runs them ({@code camel run routes.yaml application.properties --dep=io.camelpgrepl:camel-pgrepl:0.1.0-SNAPSHOT}).
 * With {@code PGHOST} set it streams from your server until Ctrl-C; without, it starts an embedded PostgreSQL,
 * creates table {@code orders} and writes three orders, then runs for {@code demo.seconds} (10) seconds.
 *
 * <pre>./mvnw -q -pl camel-pgrepl-examples -am -DskipTests package exec:exec -Dexec.mainClass=io.camelpgrepl.examples.main.CamelMainExample</pre>
 */
public final class CamelMainExample {

    /** The route and its configuration, as files in the examples' resources (JBang users take the same files). */
    public static final String ROUTES = "classpath:camel-main/routes.yaml";
    public static final String PROPERTIES = "classpath:camel-main/application.properties";
    public static final String ORDERS_TABLE = "CREATE TABLE IF NOT EXISTS orders "
            + "(id int PRIMARY KEY, customer text NOT NULL, amount numeric(10,2) NOT NULL)";

    private CamelMainExample() {
    }

    /**
     * camel-main configured as JBang configures it for {@code camel run routes.yaml application.properties}: the
     * routes file as the include pattern, the properties file as the property source; {@code overrides} win over
     * the file (what {@code --prop name=value} does for JBang).
     */
    public static Main camelMain(Map<String, Object> overrides) {
        Main main = new Main();
        main.configure().withRoutesIncludePattern(ROUTES);
        main.setPropertyPlaceholderLocations(PROPERTIES);
        main.setOverrideProperties(overrides);
        return main;
    }

    public static void main(String[] args) throws Exception {
        if (System.getenv("PGHOST") != null) { // PGUSER and PGPASSWORD too: application.properties reads them
            camelMain(Map.of()).run();
            return;
        }
        int seconds = Integer.getInteger("demo.seconds", 10);
        try (PostgresServer server = PostgresServer.start(PostgresServer.Options.builder().tls(false).build())) {
            server.execute("postgres", ORDERS_TABLE, "GRANT CREATE ON DATABASE postgres TO " + TestUsers.SCRAM_USER,
                    "ALTER TABLE orders OWNER TO " + TestUsers.SCRAM_USER);
            Main main = camelMain(Map.of("camel.component.pgrepl.host", server.host(),
                    "camel.component.pgrepl.port", String.valueOf(server.port()),
                    "camel.component.pgrepl.user", TestUsers.SCRAM_USER,
                    "camel.component.pgrepl.password", TestUsers.SCRAM_USER_PASSWORD));
            main.start();
            awaitStreaming(server, "orders_slot");
            server.execute("postgres", "INSERT INTO orders VALUES (1, 'Ada', 12.50)",
                    "INSERT INTO orders VALUES (2, 'Grace', 99.00)",
                    "UPDATE orders SET amount = 15.00 WHERE id = 1");
            CountDownLatch stop = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
            stop.await(seconds, TimeUnit.SECONDS);
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
