package io.camelpgrepl.camel;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicReference;

import io.camelpgrepl.client.Lsn;

/**
 * Which LSN may be acknowledged to the server, given exchanges that complete in any order.
 *
 * <p>The dispatching thread {@link #register() registers} each event it hands to the route (a {@link Ticket} with
 * a sequence number, in stream order) and {@link #commit(Lsn) marks} each transaction's end with the LSN to
 * acknowledge for it. Completion callbacks, on any thread, {@link #complete(Ticket) complete} tickets.
 * {@link #confirmedLsn()} advances only to the ack LSN of a transaction whose events, and every earlier event, have
 * completed.
 *
 * <p>Events are counted per segment: the events registered between two commit marks. A ticket knows its segment;
 * completing it decrements the segment's count. {@link #confirmedLsn()} walks the closed segments in order and
 * confirms each whose count is zero, stopping at the first that still has an incomplete event. The hot path
 * (register, complete) is a few uncontended atomic operations and takes no lock; only {@link #confirmedLsn()},
 * called by the consumer loop, serialises on this object. A failed event is never completed by this class; the
 * consumer's failure policy decides what follows.
 */
public final class AckTracker {

    /** The events registered between two commit marks, and the LSN to acknowledge once they all completed. */
    private static final class Segment {
        final AtomicInteger incomplete = new AtomicInteger();
        Lsn ackLsn; // set by commit() before the segment is published to 'closed'
    }

    /** One registered event: complete it (once; later calls are ignored) or fail it. */
    public static final class Ticket {
        private static final AtomicIntegerFieldUpdater<Ticket> DONE =
                AtomicIntegerFieldUpdater.newUpdater(Ticket.class, "done");
        private final long sequence;
        private final Segment segment;
        private volatile int done;

        private Ticket(long sequence, Segment segment) {
            this.sequence = sequence;
            this.segment = segment;
        }

        /** The event's position in stream order (0, 1, 2, ...). */
        public long sequence() {
            return sequence;
        }
    }

    private final ConcurrentLinkedQueue<Segment> closed = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inflight = new AtomicInteger();
    private final AtomicReference<Failure> firstFailure = new AtomicReference<>();
    private volatile Lsn confirmed;
    // Dispatching thread only.
    private Segment open = new Segment();
    private long nextSequence;

    /** What failed first: the event's sequence and LSN, and why. */
    public record Failure(long sequence, Lsn lsn, Throwable cause) {
    }

    /** @param confirmed the position already acknowledged (e.g. where streaming resumed), never null */
    public AckTracker(Lsn confirmed) {
        this.confirmed = confirmed == null ? Lsn.INVALID : confirmed;
    }

    /** Registers the next dispatched event (dispatching thread only). */
    public Ticket register() {
        Segment s = open;
        s.incomplete.incrementAndGet();
        inflight.incrementAndGet();
        return new Ticket(nextSequence++, s);
    }

    /**
     * Marks the end of the current transaction (dispatching thread only): once all events registered so far
     * complete, ackLsn is confirmed.
     */
    public void commit(Lsn ackLsn) {
        Segment s = open;
        s.ackLsn = ackLsn;
        open = new Segment();
        closed.add(s); // publishes ackLsn and every registration into s
    }

    /** The event finished successfully (or was handled by an error handler). Any thread; idempotent. */
    public void complete(Ticket ticket) {
        if (Ticket.DONE.compareAndSet(ticket, 0, 1)) {
            ticket.segment.incomplete.decrementAndGet();
            inflight.decrementAndGet();
        }
    }

    /**
     * The event failed. It stays incomplete, so nothing at or after its transaction is ever confirmed by this
     * tracker; the first failure is kept for the consumer to act on.
     */
    public void fail(Ticket ticket, Lsn lsn, Throwable cause) {
        firstFailure.compareAndSet(null, new Failure(ticket.sequence, lsn, cause));
    }

    /** The first failure, or null. */
    public Failure failure() {
        return firstFailure.get();
    }

    /** Events registered but not completed. */
    public int inflight() {
        return inflight.get();
    }

    /** The highest ack LSN whose transaction and every earlier event completed. */
    public synchronized Lsn confirmedLsn() {
        Lsn result = confirmed;
        Segment s;
        while ((s = closed.peek()) != null && s.incomplete.get() == 0) {
            closed.poll();
            result = Lsn.max(result, s.ackLsn);
        }
        confirmed = result;
        return result;
    }

    /** The last confirmed LSN without advancing (for snapshots). */
    public Lsn lastConfirmedLsn() {
        return confirmed;
    }
}
