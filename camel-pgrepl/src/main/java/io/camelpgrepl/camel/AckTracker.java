package io.camelpgrepl.camel;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.camelpgrepl.client.Lsn;

/**
 * Which LSN may be acknowledged to the server, given exchanges that complete in any order.
 *
 * <p>The dispatching thread {@link #register() registers} each event it hands to the route (a sequence number,
 * in stream order) and {@link #commit(Lsn) marks} each transaction's end with the LSN to acknowledge for it.
 * Completion callbacks, on any thread, {@link #complete(long) complete} sequence numbers. {@link #confirmedLsn()}
 * advances only to the ack LSN of a transaction whose events, and every earlier event, have completed.
 *
 * <p>The hot path (register, complete) takes no lock: incomplete sequences live in a concurrent skip list.
 * Only {@link #confirmedLsn()}, called by the consumer loop, serialises on this object to consume commit marks.
 * A failed event is never completed by this class; the consumer's failure policy decides what follows.
 */
public final class AckTracker {

    /** A transaction boundary: every sequence below {@code boundary} belongs to it or an earlier one. */
    private record CommitMark(long boundary, Lsn ackLsn) {
    }

    private final ConcurrentSkipListSet<Long> incomplete = new ConcurrentSkipListSet<>();
    private final ConcurrentLinkedQueue<CommitMark> marks = new ConcurrentLinkedQueue<>();
    private final AtomicLong nextSequence = new AtomicLong();
    private final AtomicReference<Failure> firstFailure = new AtomicReference<>();
    private volatile Lsn confirmed;

    /** What failed first: the event's sequence and LSN, and why. */
    public record Failure(long sequence, Lsn lsn, Throwable cause) {
    }

    /** @param confirmed the position already acknowledged (e.g. where streaming resumed), never null */
    public AckTracker(Lsn confirmed) {
        this.confirmed = confirmed == null ? Lsn.INVALID : confirmed;
    }

    /** Registers the next dispatched event (dispatching thread only); returns its sequence number. */
    public long register() {
        long seq = nextSequence.get();
        // Visible as incomplete before the sequence counter moves past it (confirmedLsn relies on this order).
        incomplete.add(seq);
        nextSequence.set(seq + 1);
        return seq;
    }

    /** Marks the end of the current transaction: once all events registered so far complete, ackLsn is confirmed. */
    public void commit(Lsn ackLsn) {
        marks.add(new CommitMark(nextSequence.get(), ackLsn));
    }

    /** The event finished successfully (or was handled by an error handler). Any thread; idempotent. */
    public void complete(long sequence) {
        incomplete.remove(sequence);
    }

    /**
     * The event failed. It stays incomplete, so nothing at or after its transaction is ever confirmed by this
     * tracker; the first failure is kept for the consumer to act on.
     */
    public void fail(long sequence, Lsn lsn, Throwable cause) {
        firstFailure.compareAndSet(null, new Failure(sequence, lsn, cause));
    }

    /** The first failure, or null. */
    public Failure failure() {
        return firstFailure.get();
    }

    /** Events registered but not completed. */
    public int inflight() {
        return incomplete.size();
    }

    /** The highest ack LSN whose transaction and every earlier event completed. */
    public synchronized Lsn confirmedLsn() {
        // Read the counter first: every sequence below it is already in 'incomplete' if it is not complete.
        long low = nextSequence.get();
        Long first = incomplete.isEmpty() ? null : firstOrNull();
        if (first != null && first < low) {
            low = first;
        }
        Lsn result = confirmed;
        CommitMark m;
        while ((m = marks.peek()) != null && m.boundary() <= low) {
            marks.poll();
            result = Lsn.max(result, m.ackLsn());
        }
        confirmed = result;
        return result;
    }

    /** The last confirmed LSN without advancing (for snapshots). */
    public Lsn lastConfirmedLsn() {
        return confirmed;
    }

    private Long firstOrNull() {
        try {
            return incomplete.first();
        } catch (java.util.NoSuchElementException e) {
            return null;
        }
    }
}
