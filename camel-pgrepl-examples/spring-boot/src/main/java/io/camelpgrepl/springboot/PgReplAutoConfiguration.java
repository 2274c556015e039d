package io.camelpgrepl.springboot;

import java.util.HashMap;
import java.util.Map;

import io.camelpgrepl.camel.PgReplComponent;
import org.apache.camel.CamelContext;
import org.apache.camel.spring.boot.CamelContextConfiguration;
import org.apache.camel.support.PropertyBindingSupport;
import org.apache.camel.util.StringHelper;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Binds {@code camel.component.pgrepl.*} from Spring's environment (application.yaml, environment variables, ...)
 * onto the pgrepl component before Camel starts, in Spring's relaxed spelling ({@code ssl-mode} or {@code sslMode}).
 * camel-spring-boot binds component options only through a component's starter; this is the part of a
 * camel-pgrepl starter the application needs (no IDE metadata: the component's JSON lists the options).
 */
@AutoConfiguration(afterName = "org.apache.camel.spring.boot.CamelAutoConfiguration")
public class PgReplAutoConfiguration {

    static final String PREFIX = "camel.component.pgrepl";

    @Bean
    CamelContextConfiguration pgreplComponentOptions(Environment environment) {
        Map<String, String> options = new HashMap<>();
        Binder.get(environment).bind(PREFIX, Bindable.mapOf(String.class, String.class))
                .ifBound(bound -> bound.forEach((name, value) -> options.put(StringHelper.dashToCamelCase(name), value)));
        return new CamelContextConfiguration() {
            @Override
            public void beforeApplicationStart(CamelContext camel) {
                if (options.isEmpty()) {
                    return;
                }
                PgReplComponent component = camel.getComponent("pgrepl", PgReplComponent.class);
                Map<String, Object> remaining = new HashMap<>(options);
                PropertyBindingSupport.build().withCamelContext(camel).withTarget(component)
                        .withConfigurer(component.getComponentPropertyConfigurer()).withProperties(remaining)
                        .withRemoveParameters(true).withIgnoreCase(true).withMandatory(false).bind();
                if (!remaining.isEmpty()) {
                    throw new IllegalArgumentException("unknown pgrepl component options under " + PREFIX + ": "
                            + remaining.keySet() + " (the options are listed on the component page)");
                }
            }

            @Override
            public void afterApplicationStart(CamelContext camel) {
                // nothing after start
            }
        };
    }
}
