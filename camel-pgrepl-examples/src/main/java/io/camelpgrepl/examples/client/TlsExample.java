package io.camelpgrepl.examples.client;

import io.camelpgrepl.client.ReplicationConfig;

/**
 * The seed's {@code with_tls} example: the basic stream over TLS that verifies the server, {@code PGSSLMODE}
 * (default {@code verify-full}) against the CA in {@code PGTLS_CA}; {@code PGTLS_SNI} names the server when
 * {@code PGHOST} is an address not on its certificate. Without {@code PGHOST} it starts an embedded PostgreSQL with
 * TLS and a CA generated for the run, and logs in as a SCRAM user that the server accepts over TLS only.
 *
 * <pre>PGHOST=db.example.com PGUSER=repl_user PGPASSWORD=secret PGSLOT=example_slot_tls PGPUBLICATION=example_pub_tls \
 * PGTLS_CA=/path/to/ca.pem ./mvnw -q -pl camel-pgrepl-examples -am -DskipTests package exec:exec \
 *   -Dexec.mainClass=io.camelpgrepl.examples.client.TlsExample</pre>
 */
public final class TlsExample {

    private TlsExample() {
    }

    public static void main(String[] args) throws Exception {
        run(PgEnvironment.fromSystem(), false);
    }

    /** Shared with {@link MtlsExample}: the basic stream with the TLS settings checked first. */
    static void run(PgEnvironment env, boolean clientCertificate) throws Exception {
        if (env.has("PGHOST")) {
            BasicExample.stream(config(env, clientCertificate), BasicExample.maxTransactions(env), System.out);
            return;
        }
        try (Playground playground = Playground.start(true)) {
            playground.insert(3);
            BasicExample.stream(config(playground.tlsEnvironment(clientCertificate), clientCertificate), 3, System.out);
        }
    }

    /** The replication configuration, refusing to run without what TLS (and mTLS) verification needs. */
    public static ReplicationConfig config(PgEnvironment env, boolean clientCertificate) {
        env.require("PGTLS_CA", "PEM file of the CA that signed the server certificate");
        if (clientCertificate) {
            env.require("PGTLS_CLIENT_CERT", "PEM client certificate whose CN is PGUSER");
            env.require("PGTLS_CLIENT_KEY", "its PEM private key (PKCS#8, PKCS#1 or SEC1)");
        }
        return env.with("PGSSLMODE", env.get("PGSSLMODE", "verify-full")).replicationConfig().build();
    }
}
