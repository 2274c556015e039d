package io.camelpgrepl.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The operating-system user the PostgreSQL server runs as. PostgreSQL refuses to start as root, so
 * when the JVM is root the server runs as {@code postgres} (or {@code nobody}) through {@code runuser}.
 */
final class ServerOsUser {

    private static final ServerOsUser CURRENT = detect();

    private final String name; // null: the JVM's own user

    private ServerOsUser(String name) {
        this.name = name;
    }

    static ServerOsUser current() {
        return CURRENT;
    }

    /** True when commands run as another user than the JVM's (the JVM is root). */
    boolean isSwitched() {
        return name != null;
    }

    /** Prefixes {@code command} so it runs as the server user. */
    List<String> wrap(List<String> command) {
        if (name == null) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of("runuser", "-u", name, "--"));
        wrapped.addAll(command);
        return wrapped;
    }

    /** Gives the server user ownership of {@code path} (recursively), so it may read its own files. */
    void takeOwnership(Path path) {
        if (name != null) {
            ProcessRunner.run(List.of("chown", "-R", name + ":", path.toString()), null, 60);
        }
    }

    private static ServerOsUser detect() {
        if (!isRoot()) {
            return new ServerOsUser(null);
        }
        return new ServerOsUser(userExists("postgres") ? "postgres" : "nobody");
    }

    private static boolean isRoot() {
        try {
            return ((Number) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue() == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    private static boolean userExists(String user) {
        try {
            return Files.readAllLines(Path.of("/etc/passwd")).stream().anyMatch(l -> l.startsWith(user + ":"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read /etc/passwd to find an unprivileged user for PostgreSQL", e);
        }
    }

    @Override
    public String toString() {
        return name == null ? System.getProperty("user.name") : name;
    }
}
