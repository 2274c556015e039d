package io.camelpgrepl.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * libpq's connection service file ({@code pg_service.conf}): INI-style sections {@code [name]} of
 * {@code keyword=value} lines, {@code #} comments. Looked up as libpq does: {@code PGSERVICEFILE} (or
 * {@code ~/.pg_service.conf}) first; when the service is not there, {@code PGSYSCONFDIR/pg_service.conf}.
 */
final class ServiceFile {

    private ServiceFile() {
    }

    /**
     * The keywords of {@code service}.
     *
     * @param env the environment: {@code PGSERVICEFILE}, {@code PGSYSCONFDIR}, {@code HOME}
     * @throws ConfigurationException when no file defines the service, or a file has a syntax error
     */
    static Map<String, String> lookup(String service, Map<String, String> env) {
        String userFile = env.get("PGSERVICEFILE");
        Path first = userFile != null ? Path.of(userFile) : LibpqSettings.home(env).resolve(".pg_service.conf");
        Map<String, String> found = read(first, service);
        if (found != null) {
            return found;
        }
        String sysconf = env.get("PGSYSCONFDIR");
        Path second = sysconf == null ? null : Path.of(sysconf, "pg_service.conf");
        found = second == null ? null : read(second, service);
        if (found != null) {
            return found;
        }
        throw new ConfigurationException("definition of service '" + service + "' not found (looked in " + first
                + (second == null ? "; set PGSYSCONFDIR for a system-wide pg_service.conf" : " and " + second) + ")");
    }

    /** The service's keywords from {@code file}, or null when the file or the section does not exist. */
    static Map<String, String> read(Path file, String service) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ConfigurationException("service file " + file + " cannot be read: " + e.getMessage(), e);
        }
        Map<String, String> values = null;
        for (int n = 0; n < lines.size(); n++) {
            String line = lines.get(n).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            if (line.startsWith("[")) {
                if (values != null) {
                    break; // the next section: this service is complete
                }
                if (line.equals("[" + service + "]")) {
                    values = new LinkedHashMap<>();
                }
                continue;
            }
            if (values == null) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new ConfigurationException("syntax error in service file " + file + ", line " + (n + 1)
                        + ": expected keyword=value");
            }
            String key = line.substring(0, eq).strip();
            if (key.equals("service")) {
                throw new ConfigurationException("nested service specifications are not supported (service file "
                        + file + ", line " + (n + 1) + ")");
            }
            values.putIfAbsent(key, line.substring(eq + 1).strip());
        }
        return values;
    }
}
