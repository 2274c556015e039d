package io.camelpgrepl.client;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The bounded hand-off between the I/O thread (the only producer) and the consumer (one thread at a time), in
 * batches: the reader adds everything it parsed before its next blocking read at once, and the consumer walks a
 * whole batch before looking again. No lock: a thread parks only when it must wait, and is unparked only when the
 * other side saw it waiting, so a busy stream costs no system calls for the hand-off. Capacity is counted in
 * events.
 */
final class EventBuffer {

    private final int capacity;
    private final ConcurrentLinkedQueue<List<Object>> batches = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private volatile Thread consumer;
    private volatile boolean consumerWaiting;
    private volatile Thread producer;
    private volatile boolean producerWaiting;
    private volatile long stalls;

    // Consumer-side state.
    private List<Object> current = List.of();
    private int index;

    EventBuffer(int capacity) {
        this.capacity = capacity;
    }

    /**
     * Adds a batch (which the buffer then owns), waiting while the buffer is full. A batch larger than the capacity
     * waits for an empty buffer.
     */
    void putAll(List<Object> batch) throws InterruptedException {
        if (isFull(batch.size())) {
            producer = Thread.currentThread();
            stalls++;
            while (isFull(batch.size())) {
                producerWaiting = true;
                if (isFull(batch.size())) {
                    LockSupport.park(this);
                }
                producerWaiting = false;
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
        }
        size.addAndGet(batch.size());
        batches.add(batch);
        if (consumerWaiting) {
            LockSupport.unpark(consumer);
        }
    }

    private boolean isFull(int incoming) {
        int s = size.get();
        return s > 0 && s + incoming > capacity;
    }

    /** The next element, waiting up to {@code timeoutNanos} (negative = forever); null on timeout. */
    Object take(long timeoutNanos) throws InterruptedException {
        if (index < current.size()) {
            return current.get(index++);
        }
        long deadline = timeoutNanos < 0 ? 0 : System.nanoTime() + timeoutNanos;
        while (true) {
            List<Object> next = batches.poll();
            if (next != null) {
                size.addAndGet(-next.size());
                if (producerWaiting) {
                    LockSupport.unpark(producer);
                }
                current = next;
                index = 1;
                return next.get(0);
            }
            consumer = Thread.currentThread();
            consumerWaiting = true;
            try {
                if (batches.peek() != null) {
                    continue;
                }
                if (timeoutNanos < 0) {
                    LockSupport.park(this);
                } else {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return null;
                    }
                    LockSupport.parkNanos(this, left);
                }
            } finally {
                consumerWaiting = false;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
        }
    }

    /** Drops everything buffered (abort) and releases a waiting producer. */
    void clear() {
        batches.clear();
        size.set(0);
        Thread p = producer;
        if (p != null) {
            LockSupport.unpark(p);
        }
    }

    /** Drops what the consumer side holds (only from the consumer thread). */
    void clearLocal() {
        current = List.of();
        index = 0;
    }

    /** How often the producer found the buffer full (counted when the wait begins). */
    long stalls() {
        return stalls;
    }
}
