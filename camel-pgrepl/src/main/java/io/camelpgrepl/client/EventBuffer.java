package io.camelpgrepl.client;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The bounded hand-off between the I/O thread (the only producer) and the consumer (one thread at a time), in
 * batches: the reader adds everything it parsed before its next blocking read at once, and the consumer walks a
 * whole batch before looking again. No lock: a thread parks only when it must wait, and is unparked only when the
 * other side saw it waiting, so a busy stream costs no system calls for the hand-off. Capacity is counted in
 * events and in message bytes: 8,192 events of 1 MiB rows would be 8 GiB, so the bytes bound it first.
 */
final class EventBuffer {

    /** Message bytes buffered at most (besides the event count): a few large rows, never the heap. */
    static final long MAX_BYTES = 8L << 20;

    /** A batch as the reader handed it over, with the message bytes it holds. */
    private record Batch(List<Object> events, long bytes) {
    }

    private final int capacity;
    private final long maxBytes;
    private final ConcurrentLinkedQueue<Batch> batches = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicLong bytes = new AtomicLong();
    private volatile Thread consumer;
    private volatile boolean consumerWaiting;
    private volatile Thread producer;
    private volatile boolean producerWaiting;
    private volatile long stalls;

    // Consumer-side state.
    private List<Object> current = List.of();
    private int index;

    EventBuffer(int capacity) {
        this(capacity, MAX_BYTES);
    }

    EventBuffer(int capacity, long maxBytes) {
        this.capacity = capacity;
        this.maxBytes = maxBytes;
    }

    /**
     * Adds a batch (which the buffer then owns) of {@code batchBytes} message bytes, waiting while the buffer is full.
     * A batch larger than the capacity (in events or bytes) waits for an empty buffer.
     */
    void putAll(List<Object> batch, long batchBytes) throws InterruptedException {
        if (isFull(batch.size(), batchBytes)) {
            producer = Thread.currentThread();
            stalls++;
            while (isFull(batch.size(), batchBytes)) {
                producerWaiting = true;
                if (isFull(batch.size(), batchBytes)) {
                    LockSupport.park(this);
                }
                producerWaiting = false;
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
        }
        size.addAndGet(batch.size());
        bytes.addAndGet(batchBytes);
        batches.add(new Batch(batch, batchBytes));
        if (consumerWaiting) {
            LockSupport.unpark(consumer);
        }
    }

    private boolean isFull(int incoming, long incomingBytes) {
        int s = size.get();
        return s > 0 && (s + incoming > capacity || bytes.get() + incomingBytes > maxBytes);
    }

    /** The next element, waiting up to {@code timeoutNanos} (negative = forever); null on timeout. */
    Object take(long timeoutNanos) throws InterruptedException {
        if (index < current.size()) {
            return current.get(index++);
        }
        long deadline = timeoutNanos < 0 ? 0 : System.nanoTime() + timeoutNanos;
        while (true) {
            Batch next = batches.poll();
            if (next != null) {
                size.addAndGet(-next.events().size());
                bytes.addAndGet(-next.bytes());
                if (producerWaiting) {
                    LockSupport.unpark(producer);
                }
                current = next.events();
                index = 1;
                return current.get(0);
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
        bytes.set(0);
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
