package io.camelpgrepl.camel;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.support.DefaultEndpoint;

/**
 * Streams PostgreSQL logical replication (pgoutput) from one replication slot into a route.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "pgrepl", title = "PostgreSQL Logical Replication",
             syntax = "pgrepl:slot", consumerOnly = true, category = { Category.DATABASE },
             headersClass = PgReplConstants.class)
public class PgReplEndpoint extends DefaultEndpoint {

    @UriParam
    private PgReplConfiguration configuration;

    public PgReplEndpoint(String uri, PgReplComponent component, PgReplConfiguration configuration) {
        super(uri, component);
        this.configuration = configuration;
    }

    @Override
    public PgReplComponent getComponent() {
        return (PgReplComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() {
        throw new UnsupportedOperationException(
                "pgrepl is consumer only: it reads a replication slot; write to PostgreSQL with camel-sql or camel-jdbc");
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        configuration.validate();
        PgReplConsumer consumer = new PgReplConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    @Override
    public boolean isRemote() {
        return true;
    }

    public PgReplConfiguration getConfiguration() {
        return configuration;
    }

    /** The endpoint's configuration. */
    public void setConfiguration(PgReplConfiguration configuration) {
        this.configuration = configuration;
    }
}
