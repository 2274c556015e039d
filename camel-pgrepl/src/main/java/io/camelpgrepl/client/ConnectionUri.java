package io.camelpgrepl.client;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A libpq connection URI ({@code postgresql://user:secret@h1:5432,[::1]:5433/db?sslmode=verify-full}) read into
 * libpq keywords, as libpq's {@code conninfo_uri_parse} does: {@code postgres://} too, user info up to the first
 * {@code @}, a comma-separated host list (IPv6 addresses in brackets; a percent-encoded path is a socket
 * directory), {@code host} and {@code port} as parallel comma lists, the database after {@code /}, and keyword
 * parameters after {@code ?}. Every part is percent-decoded ({@code +} stays a plus, as in libpq). Errors never
 * repeat the URI: it may hold a password.
 */
final class ConnectionUri {

    private static final String[] PREFIXES = {"postgresql://", "postgres://"};

    private ConnectionUri() {
    }

    /**
     * @return libpq keyword to value, in the URI's order
     * @throws ConfigurationException naming what is wrong (never the password)
     */
    static Map<String, String> parse(String uri) {
        String rest = null;
        for (String prefix : PREFIXES) {
            if (uri.regionMatches(true, 0, prefix, 0, prefix.length())) {
                rest = uri.substring(prefix.length());
                break;
            }
        }
        if (rest == null) {
            throw new ConfigurationException("url must start with postgresql:// or postgres://");
        }
        Map<String, String> out = new LinkedHashMap<>();
        int p = 0;
        int at = indexOfAny(rest, 0, "@/");
        if (at >= 0 && rest.charAt(at) == '@') {
            String userInfo = rest.substring(0, at);
            int colon = userInfo.indexOf(':');
            String user = colon < 0 ? userInfo : userInfo.substring(0, colon);
            if (!user.isEmpty()) {
                out.put("user", decode(user, "the user name"));
            }
            if (colon >= 0 && colon + 1 < userInfo.length()) {
                out.put("password", decode(userInfo.substring(colon + 1), "the password"));
            }
            p = at + 1;
        }
        StringBuilder hosts = new StringBuilder();
        StringBuilder ports = new StringBuilder();
        boolean anyHost = false;
        boolean anyPort = false;
        boolean first = true;
        while (true) {
            String host;
            if (p < rest.length() && rest.charAt(p) == '[') {
                int close = rest.indexOf(']', p);
                if (close < 0) {
                    throw new ConfigurationException("url: an IPv6 host address is missing its closing ']'");
                }
                host = rest.substring(p + 1, close);
                if (host.isEmpty()) {
                    throw new ConfigurationException("url: an IPv6 host address must not be empty");
                }
                p = close + 1;
            } else {
                int end = endOf(rest, p, ":/?,");
                host = decode(rest.substring(p, end), "a host");
                p = end;
            }
            String port = "";
            if (p < rest.length() && rest.charAt(p) == ':') {
                int end = endOf(rest, p + 1, "/?,");
                port = decode(rest.substring(p + 1, end), "a port");
                p = end;
            }
            if (p < rest.length() && "/?,".indexOf(rest.charAt(p)) < 0) {
                throw new ConfigurationException("url: unexpected character '" + rest.charAt(p) + "' after a host");
            }
            hosts.append(first ? "" : ",").append(host);
            ports.append(first ? "" : ",").append(port);
            anyHost |= !host.isEmpty();
            anyPort |= !port.isEmpty();
            first = false;
            if (p < rest.length() && rest.charAt(p) == ',') {
                p++;
                continue;
            }
            break;
        }
        if (anyHost) {
            out.put("host", hosts.toString());
        }
        if (anyPort) {
            out.put("port", ports.toString());
        }
        if (p < rest.length() && rest.charAt(p) == '/') {
            int end = endOf(rest, p + 1, "?");
            String db = rest.substring(p + 1, end);
            if (!db.isEmpty()) {
                out.put("dbname", decode(db, "the database name"));
            }
            p = end;
        }
        if (p < rest.length() && rest.charAt(p) == '?') {
            for (String pair : rest.substring(p + 1).split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                if (eq <= 0) {
                    throw new ConfigurationException("url: query parameter '" + decode(pair, "a query parameter")
                            + "' must be keyword=value");
                }
                String key = decode(pair.substring(0, eq), "a query parameter name");
                String value = decode(pair.substring(eq + 1), "the value of " + key);
                if (key.equals("ssl") && value.equals("true")) {
                    key = "sslmode"; // JDBC's spelling, which libpq accepts too
                    value = "require";
                }
                out.put(key, value);
            }
        }
        return out;
    }

    private static int indexOfAny(String s, int from, String chars) {
        for (int i = from; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    private static int endOf(String s, int from, String stops) {
        int i = indexOfAny(s, from, stops);
        return i < 0 ? s.length() : i;
    }

    /** Percent-decoding as libpq does it: %XX only, %00 refused, UTF-8 bytes. */
    static String decode(String s, String what) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '%') {
                bytes.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
                continue;
            }
            int hi = i + 2 < s.length() ? Character.digit(s.charAt(i + 1), 16) : -1;
            int lo = hi >= 0 ? Character.digit(s.charAt(i + 2), 16) : -1;
            if (hi < 0 || lo < 0) {
                throw new ConfigurationException("url: invalid percent-encoding in " + what);
            }
            int b = hi * 16 + lo;
            if (b == 0) {
                throw new ConfigurationException("url: forbidden %00 in " + what);
            }
            bytes.write(b);
            i += 2;
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
