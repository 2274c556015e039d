package io.camelpgrepl.examples.springboot;

import java.util.Map;

import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

/** The change feed of table {@code orders}; connection and TLS come from application.yaml's component options. */
@Component
public class OrdersRoute extends RouteBuilder {

    @Override
    public void configure() {
        from("pgrepl:{{orders.slot}}?publication={{orders.publication}}"
                + "&createPublication=true&publicationTables=orders&createSlot=true")
                .routeId("orders-feed")
                .convertBodyTo(Map.class)
                .log("${header.CamelPgReplOperation} ${header.CamelPgReplTable} at ${header.CamelPgReplLsn}: ${body}")
                .to("{{orders.target}}");
    }
}
