package io.camelpgrepl.camel;

import java.util.Map;

import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;

/**
 * The {@code pgrepl} component. Options set here are the defaults of every endpoint it creates; each endpoint
 * works on its own copy.
 */
@Component("pgrepl")
public class PgReplComponent extends DefaultComponent {

    @Metadata(description = "Component configuration shared by every endpoint (each endpoint copies it).")
    private PgReplConfiguration configuration = new PgReplConfiguration();

    @Metadata(label = "health", defaultValue = "true",
              description = "Used for enabling or disabling all consumer based health checks from this component")
    private boolean healthCheckConsumerEnabled = true;

    public PgReplComponent() {
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        if (remaining == null || remaining.isBlank()) {
            throw new IllegalArgumentException("The replication slot must be given: pgrepl:slot?publication=...");
        }
        PgReplConfiguration copy = configuration.copy();
        copy.setSlot(remaining);
        PgReplEndpoint endpoint = new PgReplEndpoint(uri, this, copy);
        setProperties(endpoint, parameters);
        return endpoint;
    }

    public PgReplConfiguration getConfiguration() {
        return configuration;
    }

    public boolean isHealthCheckConsumerEnabled() {
        return healthCheckConsumerEnabled;
    }

    /** Used for enabling or disabling all consumer based health checks from this component. */
    public void setHealthCheckConsumerEnabled(boolean healthCheckConsumerEnabled) {
        this.healthCheckConsumerEnabled = healthCheckConsumerEnabled;
    }

    /** Component configuration shared by every endpoint (each endpoint copies it). */
    public void setConfiguration(PgReplConfiguration configuration) {
        this.configuration = configuration;
    }
}
