package io.camelpgrepl.client;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bounded hand-off between the I/O thread and the consumer, in batches: the reader adds everything it parsed
 * from one socket read at once, and the consumer takes everything available at once, so each side pays for a
 * lock and a wake-up per batch rather than per event. Capacity is counted in events.
 */
final class EventBuffer {

    private final int capacity;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notEmpty = lock.newCondition();
    private final Condition notFull = lock.newCondition();
    private ArrayDeque<Object> shared = new ArrayDeque<>();
    private ArrayDeque<Object> local = new ArrayDeque<>();
    private volatile long stalls;

    EventBuffer(int capacity) {
        this.capacity = capacity;
    }

    /** Adds a batch, waiting while the buffer is full. A batch larger than the capacity waits for an empty buffer. */
    void putAll(List<Object> batch) throws InterruptedException {
        lock.lockInterruptibly();
        try {
            if (!shared.isEmpty() && shared.size() + batch.size() > capacity) {
                stalls++;
                do {
                    notFull.await();
                } while (!shared.isEmpty() && shared.size() + batch.size() > capacity);
            }
            boolean wasEmpty = shared.isEmpty();
            shared.addAll(batch);
            if (wasEmpty) {
                notEmpty.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** How often the producer found the buffer full (counted when the wait begins). */
    long stalls() {
        return stalls;
    }

    /** The next element, waiting up to {@code timeoutNanos} (negative = forever); null on timeout. */
    Object take(long timeoutNanos) throws InterruptedException {
        Object o = local.poll();
        if (o != null) {
            return o;
        }
        lock.lockInterruptibly();
        try {
            long left = timeoutNanos;
            while (shared.isEmpty()) {
                if (timeoutNanos < 0) {
                    notEmpty.await();
                } else {
                    if (left <= 0) {
                        return null;
                    }
                    left = notEmpty.awaitNanos(left);
                }
            }
            ArrayDeque<Object> filled = shared;
            shared = local;
            local = filled;
            notFull.signal();
        } finally {
            lock.unlock();
        }
        return local.poll();
    }

    /** Drops everything buffered (abort). */
    void clear() {
        lock.lock();
        try {
            shared.clear();
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Drops what the consumer side holds (only from the consumer thread). */
    void clearLocal() {
        local.clear();
    }
}
