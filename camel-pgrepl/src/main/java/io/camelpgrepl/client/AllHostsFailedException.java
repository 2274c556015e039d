package io.camelpgrepl.client;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * No host of the list gave a usable connection. Lists every host with the reason it was passed over; transient
 * when any reason was (a host that is down or not yet promoted may be fine on the next walk), permanent when every
 * host failed in a way that repeats (authentication, configuration).
 */
public final class AllHostsFailedException extends ReplicationException {

    private static final long serialVersionUID = 1L;

    private final transient Map<ServerAddress, ReplicationException> failures;

    AllHostsFailedException(TargetSessionAttrs target, Map<ServerAddress, ReplicationException> failures) {
        super("No usable server among " + failures.size() + " host(s) (targetSessionAttrs=" + target + "): "
                + failures.entrySet().stream().map(e -> e.getKey() + ": " + e.getValue().getMessage())
                .collect(Collectors.joining("; ")),
                failures.values().stream().findFirst().orElse(null),
                failures.values().stream().anyMatch(ReplicationException::isTransient));
        this.failures = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(failures));
    }

    /** Each host tried, in the order tried, with why it was not used. */
    public Map<ServerAddress, ReplicationException> failures() {
        return failures;
    }

    /** The hosts tried. */
    public List<ServerAddress> hosts() {
        return List.copyOf(failures.keySet());
    }
}
