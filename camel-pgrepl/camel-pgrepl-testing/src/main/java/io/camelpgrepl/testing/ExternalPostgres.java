package io.camelpgrepl.testing;

import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A server someone else runs, given as {@code -Dpgrepl.test.pg.url} or env {@code PGREPL_TEST_URL}:
 * {@code jdbc:postgresql://host:port/postgres?user=postgres&password=secret} (or {@code postgresql://user:password@host:port/db}).
 *
 * <p>Requirements: the user is a superuser; {@code wal_level=logical}, free replication slots and
 * walsenders; pg_hba lets the {@link TestUsers} roles log in with scram-sha-256 over TCP. The harness
 * creates the test roles when missing. TLS, cert, md5 and password-method tests need the embedded
 * server ({@link PostgresServer#hasFullAuthSetup()} is false here); stop/start are not possible.
 */
final class ExternalPostgres implements PostgresBackend {

    private final String host;
    private final int port;
    private final String user;
    private final String password;

    ExternalPostgres(String url) {
        if (url == null) {
            throw new IllegalStateException("source external needs -D" + PostgresSource.URL_PROPERTY + " or env "
                    + PostgresSource.URL_ENV + ", e.g. jdbc:postgresql://localhost:5432/postgres?user=postgres&password=...");
        }
        URI uri = URI.create(url.startsWith("jdbc:") ? url.substring("jdbc:".length()) : url);
        if (uri.getHost() == null) {
            throw new IllegalStateException("cannot read a host from " + PostgresSource.URL_PROPERTY
                    + " (expected jdbc:postgresql://host:port/db?user=...&password=...)");
        }
        Map<String, String> query = parseQuery(uri.getRawQuery());
        String userInfo = uri.getUserInfo();
        this.host = uri.getHost();
        this.port = uri.getPort() > 0 ? uri.getPort() : 5432;
        this.user = userInfo != null ? userInfo.split(":", 2)[0] : query.getOrDefault("user", TestUsers.SUPERUSER);
        this.password = userInfo != null && userInfo.contains(":") ? userInfo.split(":", 2)[1] : query.get("password");
    }

    @Override
    public void start() {
        // Already running; PostgresServer.start checks the connection by creating the roles.
    }

    @Override
    public void stop() {
        throw PostgresBackend.notSupported("stopping an external server", describe());
    }

    @Override
    public void destroy() {
        // Not ours to stop.
    }

    @Override
    public boolean isRunning() {
        return true;
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String superuser() {
        return user;
    }

    @Override
    public String superuserPassword() {
        return password;
    }






    @Override
    public String describe() {
        return "external PostgreSQL " + host + ":" + port + " as " + user;
    }

    private static Map<String, String> parseQuery(String query) {
        Map<String, String> values = new LinkedHashMap<>();
        if (query != null) {
            for (String pair : query.split("&")) {
                String[] kv = pair.split("=", 2);
                values.put(java.net.URLDecoder.decode(kv[0], java.nio.charset.StandardCharsets.UTF_8),
                        kv.length > 1 ? java.net.URLDecoder.decode(kv[1], java.nio.charset.StandardCharsets.UTF_8) : "");
            }
        }
        return values;
    }
}
