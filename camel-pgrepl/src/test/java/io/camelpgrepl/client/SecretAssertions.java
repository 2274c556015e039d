package io.camelpgrepl.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

/** Checks that a secret appears nowhere in an error: not in any cause or suppressed error, not URL-encoded either. */
public final class SecretAssertions {

    private SecretAssertions() {
    }

    public static void assertNoSecretIn(Throwable error, String secret) {
        String encoded = URLEncoder.encode(secret, StandardCharsets.UTF_8);
        String encodedSpaces = encoded.replace("+", "%20");
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        check(error, secret, encoded, encodedSpaces, seen);
    }

    private static void check(Throwable t, String secret, String encoded, String encodedSpaces, Set<Throwable> seen) {
        if (t == null || !seen.add(t)) {
            return;
        }
        String text = t + " / " + t.getMessage() + " / " + t.getLocalizedMessage();
        assertThat(text).as("%s in the error chain shows no secret", t.getClass().getSimpleName())
                .doesNotContain(secret).doesNotContain(encoded).doesNotContain(encodedSpaces);
        check(t.getCause(), secret, encoded, encodedSpaces, seen);
        for (Throwable s : t.getSuppressed()) {
            check(s, secret, encoded, encodedSpaces, seen);
        }
    }
}
