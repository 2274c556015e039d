package io.camelpgrepl.client.wire;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;

import io.camelpgrepl.client.Lsn;
import io.camelpgrepl.client.ProtocolException;

/**
 * pgoutput's transaction framing, read once per message: which transaction each message belongs to, where
 * transactions begin and end, and what to acknowledge. The one place outside the pgoutput decoder that knows the
 * byte layout of pgoutput messages; the client uses it for commit boundaries, idle acknowledgement and
 * {@code stopAtLsn}, and the decoder and consumers reuse its {@link PgOutputFrame} from the event.
 *
 * <p>Stateful, one per stream, fed every message in order by one thread: inside a streamed block (Stream Start
 * to Stream Stop) Relation, Type, row changes and Message carry an xid before their fields, so a message can only
 * be read knowing the ones before it.
 */
public final class PgOutputFraming {

    /**
     * Streamed transactions open at once, at most. Each is a server session with a large transaction in progress,
     * so a real server stays far below (max_connections); past this a Stream Start flood is refused instead of
     * growing the set (copied per change) without bound.
     */
    public static final int MAX_OPEN_STREAMED_TRANSACTIONS = 16_384;

    private PgOutputFrame.Transaction open;
    private PgOutputFrame.Transaction block;
    private Set<Integer> openStreamed = Set.of();

    /** A Message's prefix and content. */
    public record MessageBody(String prefix, byte[] content) {
    }

    /**
     * Reads the framing of one message ({@code data} from its position to its limit; the position is not moved)
     * whose XLogData header carried {@code walStart}, and advances the stream state past it.
     *
     * @throws ProtocolException naming the message type and LSN when the message is empty or shorter than its
     *                           framing fields
     */
    public PgOutputFrame frame(ByteBuffer data, Lsn walStart) {
        ByteBuffer b = data.order() == ByteOrder.BIG_ENDIAN ? data : data.duplicate().order(ByteOrder.BIG_ENDIAN);
        int p = b.position();
        if (!b.hasRemaining()) {
            throw new ProtocolException("pgoutput: empty message (no type byte) at " + walStart);
        }
        byte type = b.get(p);
        int x = block != null && carriesStreamXid(type) ? 4 : 0; // leading xid inside a streamed block
        switch (type) {
            case 'B': {
                need(b, 21, type, walStart);
                open = new PgOutputFrame.Transaction(b.getInt(p + 17), Lsn.of(b.getLong(p + 1)),
                        time(b, p + 9), PgOutputFrame.Kind.REGULAR);
                return frame(type, open.xid(), 0, open.commitLsn(), open.commitTime(), Lsn.INVALID, 0, open);
            }
            case 'C': {
                need(b, 26, type, walStart);
                PgOutputFrame.Transaction tx = open;
                open = null;
                return frame(type, 0, b.get(p + 1) & 0xFF, Lsn.of(b.getLong(p + 2)), time(b, p + 18),
                        Lsn.of(b.getLong(p + 10)), 0, tx);
            }
            case 'R':
            case 'I':
            case 'U':
            case 'D':
                need(b, 1 + x + 4, type, walStart);
                return frame(type, streamXid(b, x), 0, Lsn.INVALID, null, Lsn.INVALID, b.getInt(p + 1 + x),
                        current());
            case 'T': {
                need(b, 1 + x + 5, type, walStart);
                int relations = b.getInt(p + 1 + x);
                if (relations != 0) {
                    need(b, 1 + x + 9, type, walStart);
                }
                return frame(type, streamXid(b, x), 0, Lsn.INVALID, null, Lsn.INVALID,
                        relations != 0 ? b.getInt(p + 1 + x + 5) : 0, current());
            }
            case 'Y':
                need(b, 1 + x, type, walStart);
                return frame(type, streamXid(b, x), 0, Lsn.INVALID, null, Lsn.INVALID, 0, current());
            case 'M':
                need(b, 1 + x + 9, type, walStart);
                return frame(type, streamXid(b, x), b.get(p + 1 + x) & 0xFF, Lsn.of(b.getLong(p + 2 + x)), null,
                        Lsn.INVALID, 0, current());
            case 'S': {
                need(b, 5, type, walStart);
                int xid = b.getInt(p + 1);
                if (openStreamed.size() >= MAX_OPEN_STREAMED_TRANSACTIONS && !openStreamed.contains(xid)) {
                    throw new ProtocolException("pgoutput Stream Start ('S') at " + walStart + " opens streamed "
                            + "transaction " + Integer.toUnsignedString(xid) + " while " + openStreamed.size()
                            + " are open, the most this client keeps (MAX_OPEN_STREAMED_TRANSACTIONS); the stream is"
                            + " not what a PostgreSQL server sends");
                }
                block = new PgOutputFrame.Transaction(xid, Lsn.INVALID, null, PgOutputFrame.Kind.STREAMED);
                openStreamed = with(openStreamed, xid, true);
                return frame(type, xid, 0, Lsn.INVALID, null, Lsn.INVALID, 0, block);
            }
            case 'E': {
                PgOutputFrame.Transaction tx = block;
                block = null;
                return frame(type, 0, 0, Lsn.INVALID, null, Lsn.INVALID, 0, tx);
            }
            case 'c': {
                need(b, 30, type, walStart);
                int xid = b.getInt(p + 1);
                openStreamed = with(openStreamed, xid, false);
                return frame(type, xid, b.get(p + 5) & 0xFF, Lsn.of(b.getLong(p + 6)), time(b, p + 22),
                        Lsn.of(b.getLong(p + 14)), 0, null);
            }
            case 'A': {
                need(b, 9, type, walStart);
                int xid = b.getInt(p + 1);
                if (xid == b.getInt(p + 5)) { // a subtransaction's abort leaves the transaction open
                    openStreamed = with(openStreamed, xid, false);
                }
                return frame(type, xid, 0, Lsn.INVALID, null, Lsn.INVALID, 0, null);
            }
            case 'b': {
                need(b, 29, type, walStart);
                open = new PgOutputFrame.Transaction(b.getInt(p + 25), Lsn.of(b.getLong(p + 1)), time(b, p + 17),
                        PgOutputFrame.Kind.PREPARED);
                return frame(type, open.xid(), 0, open.commitLsn(), open.commitTime(), Lsn.INVALID, 0, open);
            }
            case 'P':
            case 'K':
            case 'p': {
                // flags, prepare (commit) LSN, end LSN, prepare (commit) time, xid
                need(b, 30, type, walStart);
                int xid = b.getInt(p + 26);
                PgOutputFrame.Transaction tx = null;
                if (type == 'P') {
                    tx = open;
                    open = null;
                } else if (type == 'p') {
                    openStreamed = with(openStreamed, xid, false);
                }
                return frame(type, xid, b.get(p + 1) & 0xFF, Lsn.of(b.getLong(p + 2)), time(b, p + 18),
                        Lsn.of(b.getLong(p + 10)), 0, tx);
            }
            case 'r':
                // flags, prepare end LSN, rollback end LSN, prepare time, rollback time, xid
                need(b, 38, type, walStart);
                return frame(type, b.getInt(p + 34), b.get(p + 1) & 0xFF, Lsn.INVALID, time(b, p + 26),
                        Lsn.of(b.getLong(p + 10)), 0, null);
            default: // Origin, and types the decoder will name as unknown
                return frame(type, 0, 0, Lsn.INVALID, null, Lsn.INVALID, 0, current());
        }
    }

    /** Whether a transaction (regular or prepared) is open: between Begin and Commit, Begin Prepare and Prepare. */
    public boolean transactionOpen() {
        return open != null;
    }

    /** Between Stream Start and Stream Stop. */
    public boolean inStreamBlock() {
        return block != null;
    }

    /** The streamed transactions started and not yet committed, prepared or aborted (immutable). */
    public Set<Integer> openStreamedXids() {
        return openStreamed;
    }

    /** No transaction open, streamed or not: nothing received is waiting for its end. */
    public boolean idle() {
        return open == null && openStreamed.isEmpty();
    }

    /**
     * The prefix and content of a Message ('M') framed as {@code frame}.
     *
     * @throws ProtocolException when the prefix is unterminated or the content length does not fit
     */
    public static MessageBody messageBody(ByteBuffer data, PgOutputFrame frame, Lsn walStart) {
        ByteBuffer b = data.order() == ByteOrder.BIG_ENDIAN ? data : data.duplicate().order(ByteOrder.BIG_ENDIAN);
        int from = b.position() + 1 + (frame.inStreamBlock() ? 4 : 0) + 9;
        int nul = -1;
        for (int i = from; i < b.limit(); i++) {
            if (b.get(i) == 0) {
                nul = i;
                break;
            }
        }
        if (nul < 0) {
            throw new ProtocolException("pgoutput Message at " + walStart + " has an unterminated prefix");
        }
        byte[] prefix = new byte[nul - from];
        b.get(from, prefix);
        int left = b.limit() - nul - 1 - 4;
        if (left < 0) {
            throw new ProtocolException("pgoutput Message at " + walStart + " is truncated after its prefix");
        }
        int len = b.getInt(nul + 1);
        if (len < 0 || len > left) {
            throw new ProtocolException("pgoutput Message at " + walStart + " declares " + len + " content bytes but "
                    + left + " remain");
        }
        byte[] content = new byte[len];
        b.get(nul + 5, content);
        return new MessageBody(new String(prefix, StandardCharsets.UTF_8), content);
    }

    /** The name of a message type: {@code BEGIN}, {@code INSERT}, {@code STREAM_COMMIT}, ... or {@code UNKNOWN}. */
    public static String typeName(byte type) {
        switch (type) {
            case 'B': return "BEGIN";
            case 'C': return "COMMIT";
            case 'O': return "ORIGIN";
            case 'R': return "RELATION";
            case 'Y': return "TYPE";
            case 'I': return "INSERT";
            case 'U': return "UPDATE";
            case 'D': return "DELETE";
            case 'T': return "TRUNCATE";
            case 'M': return "MESSAGE";
            case 'S': return "STREAM_START";
            case 'E': return "STREAM_STOP";
            case 'c': return "STREAM_COMMIT";
            case 'A': return "STREAM_ABORT";
            case 'b': return "BEGIN_PREPARE";
            case 'P': return "PREPARE";
            case 'K': return "COMMIT_PREPARED";
            case 'r': return "ROLLBACK_PREPARED";
            case 'p': return "STREAM_PREPARE";
            default: return "UNKNOWN";
        }
    }

    /** Insert, Update, Delete or Truncate. */
    public static boolean isRowChange(byte type) {
        return type == 'I' || type == 'U' || type == 'D' || type == 'T';
    }

    private static boolean carriesStreamXid(byte type) {
        return isRowChange(type) || type == 'R' || type == 'Y' || type == 'M';
    }

    private PgOutputFrame frame(byte type, int xid, int flags, Lsn lsn, Instant time, Lsn ackLsn, int relationId,
                                PgOutputFrame.Transaction tx) {
        return new PgOutputFrame(type, xid, flags, lsn, time, ackLsn, relationId, tx, openStreamed);
    }

    private PgOutputFrame.Transaction current() {
        return block != null ? block : open;
    }

    private static int streamXid(ByteBuffer b, int x) {
        return x == 0 ? 0 : b.getInt(b.position() + 1);
    }

    private static Instant time(ByteBuffer b, int at) {
        return PgTime.toInstant(b.getLong(at));
    }

    private static void need(ByteBuffer b, int bytes, byte type, Lsn walStart) {
        if (b.remaining() < bytes) {
            throw new ProtocolException("pgoutput " + label(type) + " at " + walStart + " is truncated: "
                    + b.remaining() + " bytes, its framing needs " + bytes);
        }
    }

    /** As the decoder names messages: {@code Stream Commit ('c')}. */
    private static String label(byte type) {
        StringBuilder name = new StringBuilder();
        for (String word : typeName(type).split("_")) {
            name.append(name.length() == 0 ? "" : " ").append(word.charAt(0)).append(word.substring(1).toLowerCase(
                    java.util.Locale.ROOT));
        }
        return name + " ('" + (char) type + "')";
    }

    private static Set<Integer> with(Set<Integer> set, int xid, boolean add) {
        if (add == set.contains(xid)) {
            return set;
        }
        Set<Integer> copy = new HashSet<>(set);
        if (add) {
            copy.add(xid);
        } else {
            copy.remove(xid);
        }
        return Set.copyOf(copy);
    }
}
