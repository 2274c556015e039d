package io.camelpgrepl.examples.springboot;

import io.camelpgrepl.testing.PostgresServer;
import io.camelpgrepl.testing.TestUsers;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A Spring Boot 4 application with one pgrepl: route ({@link OrdersRoute}), configured only through
 * {@code application.yaml}: the component's connection ({@code camel.component.pgrepl.*}), Camel's health checks,
 * and the actuator's {@code /actuator/health}, where the pgrepl consumer's readiness check appears. With
 * {@code PGHOST} (and {@code PGUSER}, {@code PGPASSWORD}) it streams from your server; without, it starts an
 * embedded PostgreSQL with table {@code orders} first.
 *
 * <pre>./mvnw -q -pl camel-pgrepl-examples/spring-boot -am -DskipTests package exec:exec</pre>
 */
@SpringBootApplication
public class OrdersApplication {

    public static final String ORDERS_TABLE = "CREATE TABLE IF NOT EXISTS orders "
            + "(id int PRIMARY KEY, customer text NOT NULL, amount numeric(10,2) NOT NULL)";

    public static void main(String[] args) {
        if (System.getenv("PGHOST") == null) {
            PostgresServer server = PostgresServer.start(PostgresServer.Options.builder().tls(false).build());
            server.execute("postgres", ORDERS_TABLE, "GRANT CREATE ON DATABASE postgres TO " + TestUsers.SCRAM_USER,
                    "ALTER TABLE orders OWNER TO " + TestUsers.SCRAM_USER);
            // what application.yaml's placeholders read (system properties stand in for the environment)
            System.setProperty("PGHOST", server.host());
            System.setProperty("PGPORT", String.valueOf(server.port()));
            System.setProperty("PGUSER", TestUsers.SCRAM_USER);
            System.setProperty("PGPASSWORD", TestUsers.SCRAM_USER_PASSWORD);
            System.out.println("Embedded PostgreSQL on port " + server.port() + ": try INSERT INTO orders VALUES "
                    + "(1, 'Ada', 12.50) with psql, and curl localhost:8080/actuator/health");
        }
        SpringApplication.run(OrdersApplication.class, args);
    }
}
