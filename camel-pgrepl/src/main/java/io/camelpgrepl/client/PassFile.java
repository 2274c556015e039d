package io.camelpgrepl.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * libpq's password file ({@code ~/.pgpass}, {@code PGPASSFILE}, {@code passfile}): lines of
 * {@code hostname:port:database:username:password}, {@code *} matching anything, {@code \:} and {@code \\} escaping,
 * {@code #} comments, the first matching line wins. As libpq does, a file that is not a plain file, or that its group
 * or others may read, is ignored with a warning. A Unix-socket host matches its directory, and {@code localhost}
 * when it is a default socket directory.
 */
final class PassFile {

    private static final Logger LOG = LoggerFactory.getLogger(PassFile.class);
    private static final Set<PosixFilePermission> OTHERS = Set.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);
    private static final Set<String> DEFAULT_SOCKET_DIRS = Set.of("/tmp", "/var/run/postgresql", "/run/postgresql");

    private PassFile() {
    }

    /** The password for this server, database and user from {@code file}, or null (no file, no match, refused). */
    static String lookup(Path file, ServerAddress server, String database, String user) {
        if (file == null || !Files.exists(file)) {
            return null;
        }
        if (!Files.isRegularFile(file)) {
            LOG.warn("Password file {} is not a plain file; ignoring it", file);
            return null;
        }
        List<String> lines;
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.stream().anyMatch(OTHERS::contains)) {
                LOG.warn("Password file {} has group or world access; permissions should be u=rw (0600) or less;"
                        + " ignoring it", file);
                return null;
            }
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (UnsupportedOperationException e) {
            lines = readQuietly(file); // not a POSIX file system: libpq does not check there either
        } catch (IOException e) {
            LOG.warn("Password file {} cannot be read ({}); ignoring it", file, e.getMessage());
            return null;
        }
        if (lines == null) {
            return null;
        }
        String host = server.host();
        boolean localhostToo = server.isUnixSocket() && DEFAULT_SOCKET_DIRS.contains(host);
        String port = Integer.toString(server.port());
        for (String line : lines) {
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String password = match(line, host, localhostToo, port, database, user);
            if (password != null) {
                return password;
            }
        }
        return null;
    }

    /** The password of {@code line} when its first four fields match, else null. */
    static String match(String line, String host, boolean localhostToo, String port, String database, String user) {
        int[] pos = {0};
        String h = field(line, pos);
        if (h == null || !(matches(h, host) || localhostToo && matches(h, "localhost"))) {
            return null;
        }
        String[] wanted = {port, database, user};
        for (String w : wanted) {
            String f = field(line, pos);
            if (f == null || !matches(f, w)) {
                return null;
            }
        }
        String password = field(line, pos);
        return password == null || password.isEmpty() ? null : password;
    }

    private static boolean matches(String field, String value) {
        return field.equals("*") || field.equals(value);
    }

    /** The next field (unescaped) from pos[0], up to an unescaped ':' or the end; null past the end. */
    private static String field(String line, int[] pos) {
        if (pos[0] > line.length()) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        int i = pos[0];
        while (i < line.length() && line.charAt(i) != ':') {
            char c = line.charAt(i);
            if (c == '\\' && i + 1 < line.length()) {
                c = line.charAt(++i);
            }
            sb.append(c);
            i++;
        }
        pos[0] = i + 1;
        return sb.toString();
    }

    private static List<String> readQuietly(Path file) {
        try {
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            LOG.warn("Password file {} cannot be read ({}); ignoring it", file, e.getMessage());
            return null;
        }
    }
}
