package io.camelpgrepl.client;

import java.nio.file.Path;

/**
 * One entry of the host list: a host name or IP address and a port, or (libpq convention) an absolute path naming
 * a Unix-domain socket directory.
 */
public record ServerAddress(String host, int port) {

    public boolean isUnixSocket() {
        return host.startsWith("/");
    }

    /** For a Unix-domain socket: {@code <host>/.s.PGSQL.<port>}. */
    public Path unixSocketPath() {
        return Path.of(host, ".s.PGSQL." + port);
    }

    /** {@code host:port} ({@code [v6]:port} for an IPv6 address) or the socket path. */
    @Override
    public String toString() {
        if (isUnixSocket()) {
            return unixSocketPath().toString();
        }
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
