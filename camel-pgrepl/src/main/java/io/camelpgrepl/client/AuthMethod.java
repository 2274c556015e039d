package io.camelpgrepl.client;

import java.util.EnumSet;
import java.util.Set;

/** Authentication methods the server may ask for, named as libpq's {@code require_auth} names them. */
public enum AuthMethod {
    /** The server asked for nothing (trust, peer over a socket, cert-only). */
    NONE("none"),
    PASSWORD("password"),
    MD5("md5"),
    SCRAM_SHA_256("scram-sha-256");

    private final String libpqName;

    AuthMethod(String libpqName) {
        this.libpqName = libpqName;
    }

    public String libpqName() {
        return libpqName;
    }

    public static AuthMethod parse(String text) {
        return OptionValues.parse(AuthMethod.class, "requireAuth method", text, AuthMethod::libpqName);
    }

    /**
     * Parses a libpq {@code require_auth} list: comma-separated methods that are allowed, or, when every entry
     * starts with {@code !}, methods that are forbidden. Empty or null allows every method.
     */
    public static Set<AuthMethod> parseAllowList(String list) {
        if (list == null || list.isBlank()) {
            return EnumSet.allOf(AuthMethod.class);
        }
        String[] parts = list.split(",");
        boolean negated = parts[0].trim().startsWith("!");
        EnumSet<AuthMethod> named = EnumSet.noneOf(AuthMethod.class);
        for (String p : parts) {
            String t = p.trim();
            if (t.startsWith("!") != negated) {
                throw new ConfigurationException("requireAuth '" + list
                        + "' mixes allowed and forbidden (!) methods; use one kind only");
            }
            named.add(parse(negated ? t.substring(1) : t));
        }
        return negated ? EnumSet.complementOf(named) : named;
    }
}
