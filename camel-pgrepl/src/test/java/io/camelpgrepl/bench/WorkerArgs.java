package io.camelpgrepl.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A worker's command line: {@code key=value} arguments (values may be empty), read by name. */
final class WorkerArgs {

    private final Map<String, String> values = new LinkedHashMap<>();

    WorkerArgs(String[] args) {
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("worker argument without '=': " + a);
            }
            values.put(a.substring(0, eq), a.substring(eq + 1));
        }
    }

    String get(String key) {
        String v = values.get(key);
        if (v == null) {
            throw new IllegalArgumentException("worker argument " + key + "= missing (have " + values.keySet() + ")");
        }
        return v;
    }

    String get(String key, String fallback) {
        return values.getOrDefault(key, fallback);
    }

    int getInt(String key, int fallback) {
        String v = values.get(key);
        return v == null || v.isBlank() ? fallback : Integer.parseInt(v);
    }

    long getLong(String key, long fallback) {
        String v = values.get(key);
        return v == null || v.isBlank() ? fallback : Long.parseLong(v);
    }

    List<String> list(String key) {
        return List.of(get(key).split(","));
    }
}
