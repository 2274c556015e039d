package io.camelpgrepl.client;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One {@link ReplicationClient#connect(ReplicationConfig, ConnectAttempt) connect} in progress: it bounds every
 * phase between login and streaming, and lets another thread cancel it.
 *
 * <p>The connection's reads block without a timeout of their own (a read timeout mid-message would desynchronise
 * the stream), so a phase is bounded by closing the connection when its time is up: the blocked read fails, and
 * the failure is reported as the phase that did not finish, naming the option that bounds it. {@link #cancel()}
 * closes the connection the same way, at once. Login itself (socket, TLS, authentication) is bounded by
 * {@code connectTimeout} inside the connection; a cancel during login takes effect when login returns.
 */
public final class ConnectAttempt {

    private volatile boolean cancelled;
    private volatile PgConnection conn;
    private ScheduledFuture<?> deadline;
    private String phase;
    private String option;
    private Duration limit;
    private volatile boolean expired;

    /**
     * Aborts the attempt from any thread: closes its connection now; {@code connect} then fails with a
     * {@link ConnectionException} saying it was cancelled.
     */
    public void cancel() {
        cancelled = true;
        PgConnection c = conn;
        if (c != null) {
            c.close();
        }
    }

    public boolean isCancelled() {
        return cancelled;
    }

    /** Ends the connect with the cancel's error when {@link #cancel()} was called (between hosts of a list). */
    void checkNotCancelled() {
        if (cancelled) {
            throw cancelledError();
        }
    }

    /** The connection is logged in: from now on {@link #cancel()} closes it; a new host's connection starts afresh. */
    synchronized void attach(PgConnection c) {
        conn = c;
        expired = false;
        if (cancelled) {
            c.close();
            throw cancelledError();
        }
    }

    /** Starts the phase {@code name}, bounded by {@code limit} (the option {@code optionName}); ends the one before. */
    synchronized void phase(String name, Duration limit, String optionName) {
        end();
        this.phase = name;
        this.option = optionName;
        this.limit = limit;
        PgConnection c = conn;
        deadline = PgConnection.WATCHDOG.schedule(() -> {
            expired = true;
            c.close();
        }, limit.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Ends the current phase's bound. */
    synchronized void end() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    /** What {@code e}, raised while the connection was closed under it, really means: cancelled or timed out. */
    synchronized ReplicationException explain(ReplicationException e) {
        if (cancelled) {
            return cancelledError();
        }
        if (expired) {
            return new ConnectionException(phase + " did not complete within " + option + "=" + limit
                    + "; the server or the network stalled there (" + e.getMessage() + ")", e);
        }
        return e;
    }

    private static ConnectionException cancelledError() {
        return new ConnectionException("Connect cancelled (the client's owner is stopping)");
    }
}
