package io.camelpgrepl.client;

import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * What the client's three parties share: the application (through {@link ReplicationClient}), the
 * {@link StreamReader} thread and the {@link FeedbackLoop} thread. Positions are unsigned LSN values; each is
 * written by one party and read by the others. The condition wakes a paused reader and the feedback loop.
 */
final class StreamState {

    /** Highest LSN the application acknowledged ({@link ReplicationClient#updateAppliedLsn(Lsn)}). */
    final AtomicLong applied = new AtomicLong();
    /** Highest WAL end received (reader). */
    volatile long received;
    volatile long serverWalEnd;
    /** A keepalive position acknowledged while idle (reader, with {@code ackIdleKeepalive}). */
    volatile long idleAck;
    volatile long events;
    /** When the reader last got a message or stopped waiting for the consumer (feedback's liveness clock). */
    volatile long lastReceivedNanos = System.nanoTime();
    volatile Instant lastReceived;
    /** The reader is blocked on the consumer or on pause, not on the socket: silence is then not the server's. */
    volatile boolean readerWaiting;
    volatile boolean paused;
    volatile boolean stopRequested;
    /** The owner stops the stream (not a stop to reconnect): dropSlotOnStop applies. */
    volatile boolean dropSlot;
    volatile boolean aborted;
    /** The reader has ended. */
    volatile boolean terminated;
    volatile ReplicationException failure;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();

    /** Everything acknowledged: by the application or, while idle, by a keepalive. */
    long flushPosition() {
        return maxUnsigned(applied.get(), idleAck);
    }

    void updateApplied(long lsn) {
        long cur = applied.get();
        while (Long.compareUnsigned(lsn, cur) > 0 && !applied.compareAndSet(cur, lsn)) {
            cur = applied.get();
        }
    }

    void advanceReceived(long walEnd) {
        if (Long.compareUnsigned(walEnd, received) > 0) {
            received = walEnd;
        }
        if (Long.compareUnsigned(walEnd, serverWalEnd) > 0) {
            serverWalEnd = walEnd;
        }
        lastReceived = Instant.now();
    }

    void resume() {
        lock.lock();
        try {
            paused = false;
            lastReceivedNanos = System.nanoTime();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Wakes whoever waits on the state (the feedback loop, a paused reader). */
    void signal() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Blocks the reader while paused, unless the stream is stopping. */
    void awaitNotPaused() throws InterruptedException {
        if (!paused) {
            return;
        }
        lock.lock();
        try {
            while (paused && !stopRequested && !aborted) {
                readerWaiting = true;
                changed.await();
            }
        } finally {
            readerWaiting = false;
            lock.unlock();
        }
    }

    /** Waits up to {@code nanos} (at most half a second) unless {@code done} already holds. */
    void awaitChange(long nanos, BooleanSupplier done) throws InterruptedException {
        lock.lock();
        try {
            if (!done.getAsBoolean()) {
                changed.awaitNanos(Math.min(nanos, TimeUnit.MILLISECONDS.toNanos(500)));
            }
        } finally {
            lock.unlock();
        }
    }

    static long maxUnsigned(long a, long b) {
        return Long.compareUnsigned(a, b) >= 0 ? a : b;
    }
}
