package io.camelpgrepl.examples.client;

/**
 * The seed's {@code with_mtls} example: {@link TlsExample} plus a client certificate ({@code PGTLS_CLIENT_CERT},
 * {@code PGTLS_CLIENT_KEY}), so a pg_hba {@code cert} line authenticates the user by it (no password). Without
 * {@code PGHOST} it starts an embedded PostgreSQL with TLS and logs in as {@code cert_user} with a certificate
 * generated for the run.
 *
 * <pre>PGHOST=db.example.com PGUSER=repl_user PGSLOT=example_slot_mtls PGPUBLICATION=example_pub_mtls \
 * PGTLS_CA=/etc/ssl/ca.pem PGTLS_CLIENT_CERT=/etc/ssl/client.crt.pem PGTLS_CLIENT_KEY=/etc/ssl/client.key.pem \
 * ./mvnw -q -pl camel-pgrepl-examples -am -DskipTests package exec:exec -Dexec.mainClass=io.camelpgrepl.examples.client.MtlsExample</pre>
 */
public final class MtlsExample {

    private MtlsExample() {
    }

    public static void main(String[] args) throws Exception {
        TlsExample.run(PgEnvironment.fromSystem(), true);
    }
}
