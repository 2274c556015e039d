package io.camelpgrepl.client;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Walks the host list as libpq does: hosts in order (shuffled with {@code loadBalanceHosts}), each connected and
 * logged in, then kept only if it is the kind {@code targetSessionAttrs} asks for; {@code prefer-standby} walks the
 * list a second time accepting any server when no standby answered. The password, when not given, comes from the
 * password file for each host. Every host's failure is kept: when none is usable, {@link AllHostsFailedException}
 * names each with its reason. The walk runs under the caller's {@link ConnectAttempt}: each host's login and its
 * check are bounded by {@code connectTimeout} (so the walk by the number of hosts times that, as in libpq), and a
 * cancel ends the walk at once instead of going on to the next host.
 */
final class HostSelector {

    private static final Logger LOG = LoggerFactory.getLogger(HostSelector.class);
    private static final Random RANDOM = new SecureRandom();
    /** The server refuses a walsender to a role without REPLICATION (and not superuser) with this SQLSTATE. */
    private static final String INSUFFICIENT_PRIVILEGE = "42501";

    private HostSelector() {
    }

    /** A logged-in connection and the configuration narrowed to its server. */
    record Connected(PgConnection connection, ReplicationConfig serverConfig) {
    }

    /** @return a logged-in connection attached to {@code attempt} */
    static Connected connect(ReplicationConfig config, ConnectAttempt attempt) {
        List<ServerAddress> order = new ArrayList<>(config.hosts());
        if (config.loadBalanceHosts()) {
            Collections.shuffle(order, RANDOM);
        }
        Map<ServerAddress, ReplicationException> failures = new LinkedHashMap<>();
        TargetSessionAttrs target = config.targetSessionAttrs();
        Connected c;
        try {
            c = walk(config, order, target, failures, attempt);
            if (c == null && target == TargetSessionAttrs.PREFER_STANDBY) {
                c = walk(config, order, TargetSessionAttrs.ANY, failures, attempt);
            }
        } finally {
            attempt.end();
        }
        if (c != null) {
            if (order.size() > 1) {
                LOG.info("Connected to {} (targetSessionAttrs={}{})", c.serverConfig().endpoint(), target,
                        failures.isEmpty() ? "" : "; passed over " + failures.keySet());
            }
            return c;
        }
        if (config.hosts().size() == 1) {
            throw failures.values().iterator().next(); // one host: its own error, as before host lists
        }
        throw new AllHostsFailedException(target, failures);
    }

    private static Connected walk(ReplicationConfig config, List<ServerAddress> order, TargetSessionAttrs target,
                                  Map<ServerAddress, ReplicationException> failures, ConnectAttempt attempt) {
        for (ServerAddress address : order) {
            attempt.checkNotCancelled();
            ReplicationConfig one = config.forServer(address, password(config, address));
            PgConnection conn;
            try {
                conn = login(one);
            } catch (ReplicationException e) {
                attempt.checkNotCancelled();
                LOG.debug("Host {} not usable: {}", address, e.getMessage());
                failures.put(address, e);
                continue;
            }
            try {
                attempt.attach(conn);
                attempt.phase("the targetSessionAttrs check of " + address, config.connectTimeout(), "connectTimeout");
                String mismatch = mismatch(conn, target);
                attempt.end();
                if (mismatch == null) {
                    failures.remove(address);
                    return new Connected(conn, one);
                }
                LOG.debug("Host {} passed over: {}", address, mismatch);
                failures.put(address, new ConnectionException(mismatch));
            } catch (ReplicationException e) {
                conn.close();
                attempt.checkNotCancelled();
                failures.put(address, attempt.explain(e));
                continue;
            }
            conn.close();
        }
        return null;
    }

    private static PgConnection login(ReplicationConfig config) {
        try {
            return PgConnection.open(config);
        } catch (ServerErrorException e) {
            if (INSUFFICIENT_PRIVILEGE.equals(e.sqlState())) {
                throw new ConfigurationException("Role '" + config.user() + "' may not open a replication connection"
                        + " to " + config.endpoint() + " (" + e.getMessage() + "); grant it the REPLICATION attribute"
                        + " (ALTER ROLE ... REPLICATION) or connect as a superuser", e);
            }
            throw e;
        }
    }

    private static String password(ReplicationConfig config, ServerAddress address) {
        if (config.password() != null || config.passfile() == null) {
            return config.password();
        }
        return PassFile.lookup(config.passfile(), address, config.database(), config.user());
    }

    /** Null when the server is what {@code target} asks for, else why not. */
    static String mismatch(PgConnection conn, TargetSessionAttrs target) {
        if (target == TargetSessionAttrs.ANY) {
            return null;
        }
        String hotStandby = conn.parameter("in_hot_standby");
        boolean inRecovery;
        boolean readOnly;
        if (target == TargetSessionAttrs.READ_WRITE || target == TargetSessionAttrs.READ_ONLY) {
            String defaultReadOnly = conn.parameter("default_transaction_read_only");
            readOnly = hotStandby != null && defaultReadOnly != null ? on(hotStandby) || on(defaultReadOnly)
                    : on(single(conn, "SHOW transaction_read_only"));
            inRecovery = readOnly;
        } else {
            inRecovery = hotStandby != null ? on(hotStandby)
                    : "t".equals(single(conn, "SELECT pg_catalog.pg_is_in_recovery()"));
            readOnly = inRecovery;
        }
        if (target.accepts(inRecovery, readOnly)) {
            return null;
        }
        String kind = target == TargetSessionAttrs.READ_WRITE || target == TargetSessionAttrs.READ_ONLY
                ? (readOnly ? "read-only" : "read-write") : (inRecovery ? "a standby (in recovery)" : "a primary");
        return "server is " + kind + ", targetSessionAttrs=" + target + " wants " + target.wanted();
    }

    private static boolean on(String value) {
        return "on".equalsIgnoreCase(value) || "true".equalsIgnoreCase(value) || "t".equalsIgnoreCase(value);
    }

    private static String single(PgConnection conn, String sql) {
        return ReplicationBootstrap.singleRow(conn.query(sql), sql, 1).get(0);
    }
}
