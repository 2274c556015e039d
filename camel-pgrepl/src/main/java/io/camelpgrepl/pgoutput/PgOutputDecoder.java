package io.camelpgrepl.pgoutput;

import io.camelpgrepl.client.Lsn;
import io.camelpgrepl.client.ProtocolException;
import io.camelpgrepl.client.StreamingMode;
import io.camelpgrepl.client.wire.PgOutputFrame;
import io.camelpgrepl.client.wire.PgOutputFraming;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes pgoutput message bytes into {@link PgOutputMessage}s.
 *
 * <p>A message is decoded with its {@link PgOutputFrame} (what the client's {@link PgOutputFraming} read of it):
 * the frame says whether it lies in a streamed block, where Relation, Type, Insert, Update, Delete, Truncate and
 * Message carry a leading xid, and already holds every field of Begin, Commit and Stream Commit. The decoder must
 * be told the protocol version and streaming mode, because a v4 Stream Abort carries its abort LSN and time only
 * with {@code streaming=parallel}.
 *
 * <p>{@link #decode(ByteBuffer)} frames the bytes itself (for messages that do not come from the client): the
 * decoder is then stateful, one per replication stream, not thread-safe.
 */
public final class PgOutputDecoder {

    private final int protocolVersion;
    private final boolean abortCarriesLsn;
    private final PgOutputFraming framing = new PgOutputFraming();

    public PgOutputDecoder(int protocolVersion, StreamingMode streaming) {
        if (protocolVersion < 1 || protocolVersion > 4) {
            throw new IllegalArgumentException("pgoutput protocol version " + protocolVersion
                    + " is not supported; use 1 to 4");
        }
        this.protocolVersion = protocolVersion;
        this.abortCarriesLsn = protocolVersion >= 4 && streaming == StreamingMode.PARALLEL;
    }

    public int protocolVersion() {
        return protocolVersion;
    }

    /** True between a Stream Start and its Stream Stop, for messages given to {@link #decode(ByteBuffer)}. */
    public boolean inStreamBlock() {
        return framing.inStreamBlock();
    }

    /**
     * Decodes one message that does not come with its frame: {@code data} from its position to its limit, framed
     * here, so every message of the stream must pass through this decoder in order. The buffer's position is not
     * moved.
     *
     * @throws PgOutputException when the bytes are not a valid pgoutput message
     */
    public PgOutputMessage decode(ByteBuffer data) {
        return decode(data, frame(data, Lsn.INVALID));
    }

    /** Frames a message for {@link #decode(ByteBuffer, PgOutputFrame)}, as the client would have. */
    PgOutputFrame frame(ByteBuffer data, Lsn walStart) {
        if (!data.hasRemaining()) {
            throw new PgOutputException("pgoutput: empty message (no type byte) at offset " + data.position());
        }
        requireVersion((char) (data.get(data.position()) & 0xFF), data.position());
        try {
            return framing.frame(data, walStart);
        } catch (ProtocolException e) { // a decoder reports every malformed message as its own exception
            throw new PgOutputException(e.getMessage(), e);
        }
    }

    /**
     * Decodes one message the client framed: {@code data} from its position to its limit (e.g.
     * {@link io.camelpgrepl.client.ReplicationEvent.WalMessage#data()}) with its
     * {@link io.camelpgrepl.client.ReplicationEvent.WalMessage#frame()}. Stateless. The buffer's position is not
     * moved.
     *
     * @throws PgOutputException when the bytes are not a valid pgoutput message
     */
    public PgOutputMessage decode(ByteBuffer data, PgOutputFrame frame) {
        ByteBuffer buf = data.order() == ByteOrder.BIG_ENDIAN ? data : data.duplicate().order(ByteOrder.BIG_ENDIAN);
        if (!buf.hasRemaining()) {
            throw new PgOutputException("pgoutput: empty message (no type byte) at offset " + buf.position());
        }
        char type = (char) (buf.get(buf.position()) & 0xFF);
        requireVersion(type, buf.position());
        switch (type) {
            case 'B':
                return new PgOutputMessage.Begin(frame.lsn(), frame.time(), frame.xid());
            case 'C':
                return new PgOutputMessage.Commit(frame.flags(), frame.lsn(), frame.ackLsn(), frame.time());
            case 'O':
                return origin(new PgOutputReader(buf, type, "Origin"));
            case 'R':
                return relation(new PgOutputReader(buf, type, "Relation"), frame);
            case 'Y':
                return type(new PgOutputReader(buf, type, "Type"), frame);
            case 'I':
                return insert(new PgOutputReader(buf, type, "Insert"), frame);
            case 'U':
                return update(new PgOutputReader(buf, type, "Update"), frame);
            case 'D':
                return delete(new PgOutputReader(buf, type, "Delete"), frame);
            case 'T':
                return truncate(new PgOutputReader(buf, type, "Truncate"), frame);
            case 'M':
                return message(new PgOutputReader(buf, type, "Message"), frame);
            case 'S':
                return streamStart(new PgOutputReader(buf, type, "Stream Start"));
            case 'E':
                return new PgOutputMessage.StreamStop();
            case 'c':
                return new PgOutputMessage.StreamCommit(frame.xid(), frame.flags(), frame.lsn(), frame.ackLsn(),
                        frame.time());
            case 'A':
                return streamAbort(new PgOutputReader(buf, type, "Stream Abort"));
            case 'b':
                return beginPrepare(new PgOutputReader(buf, type, "Begin Prepare"));
            case 'P':
                return prepare(new PgOutputReader(buf, type, "Prepare"));
            case 'K':
                return commitPrepared(new PgOutputReader(buf, type, "Commit Prepared"));
            case 'r':
                return rollbackPrepared(new PgOutputReader(buf, type, "Rollback Prepared"));
            case 'p':
                return streamPrepare(new PgOutputReader(buf, type, "Stream Prepare"));
            default:
                throw new PgOutputException("pgoutput: unknown message type 0x" + Integer.toHexString(type)
                        + (type >= 0x20 && type < 0x7f ? " ('" + type + "')" : "") + " at offset "
                        + buf.position());
        }
    }

    /** Streaming messages exist from protocol v2, two-phase messages from v3: anything else is a confused stream. */
    private void requireVersion(char type, int offset) {
        int needed;
        switch (type) {
            case 'S':
            case 'E':
            case 'c':
            case 'A':
                needed = 2;
                break;
            case 'b':
            case 'P':
            case 'K':
            case 'r':
            case 'p':
                needed = 3;
                break;
            default:
                return;
        }
        if (protocolVersion < needed) {
            throw new PgOutputException("pgoutput: message type '" + type + "' needs protocol version " + needed
                    + " or later, but the decoder was set up for version " + protocolVersion
                    + " (set it to the proto_version sent in START_REPLICATION) at offset " + offset);
        }
    }

    /** Inside a streamed block the xid comes first; the frame has read it already. */
    private static int streamXid(PgOutputReader r, PgOutputFrame frame) {
        if (!frame.inStreamBlock()) {
            return 0;
        }
        r.skip(4);
        return frame.xid();
    }

    private static PgOutputMessage origin(PgOutputReader r) {
        return new PgOutputMessage.Origin(r.lsn("commit lsn"), r.cstring("origin name"));
    }

    private static PgOutputMessage relation(PgOutputReader r, PgOutputFrame frame) {
        int xid = streamXid(r, frame);
        int relId = r.i32("relation id");
        String ns = r.cstring("namespace");
        String name = r.cstring("relation name");
        char ident = (char) (r.u8("replica identity") & 0xFF);
        int n = r.i16("column count") & 0xFFFF;
        // each column takes at least 10 bytes: bound the list by the bytes left before allocating
        r.needLength(n * 10L, n + " columns");
        List<PgOutputMessage.Column> cols = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int flags = r.u8("column flags") & 0xFF;
            String cname = r.cstring("column name");
            int oid = r.i32("column type oid");
            int typmod = r.i32("column type modifier");
            cols.add(new PgOutputMessage.Column(flags, cname, oid, typmod));
        }
        return new PgOutputMessage.Relation(xid, relId, ns.isEmpty() ? "pg_catalog" : ns, name, ident, cols);
    }

    private static PgOutputMessage type(PgOutputReader r, PgOutputFrame frame) {
        int xid = streamXid(r, frame);
        int oid = r.i32("type oid");
        String ns = r.cstring("namespace");
        return new PgOutputMessage.Type(xid, oid, ns.isEmpty() ? "pg_catalog" : ns, r.cstring("type name"));
    }

    private static PgOutputMessage insert(PgOutputReader r, PgOutputFrame frame) {
        int xid = streamXid(r, frame);
        int relId = r.i32("relation id");
        byte n = r.u8("tuple marker");
        if (n != 'N') {
            throw r.error("expected new tuple marker 'N' but got 0x" + Integer.toHexString(n & 0xFF), r.pos() - 1);
        }
        return new PgOutputMessage.Insert(xid, relId, TupleData.read(r));
    }

    private static PgOutputMessage update(PgOutputReader r, PgOutputFrame frame) {
        int xid = streamXid(r, frame);
        int relId = r.i32("relation id");
        byte marker = r.u8("tuple marker");
        char oldKind = 0;
        TupleData old = null;
        if (marker == 'K' || marker == 'O') {
            oldKind = (char) marker;
            old = TupleData.read(r);
            marker = r.u8("new tuple marker");
        }
        if (marker != 'N') {
            throw r.error("expected tuple marker 'K', 'O' or 'N' but got 0x" + Integer.toHexString(marker & 0xFF),
                    r.pos() - 1);
        }
        return new PgOutputMessage.Update(xid, relId, oldKind, old, TupleData.read(r));
    }

    private static PgOutputMessage delete(PgOutputReader r, PgOutputFrame frame) {
        int xid = streamXid(r, frame);
        int relId = r.i32("relation id");
        byte marker = r.u8("tuple marker");
        if (marker != 'K' && marker != 'O') {
            throw r.error("expected old tuple marker 'K' or 'O' but got 0x" + Integer.toHexString(marker & 0xFF),
                    r.pos() - 1);
        }
        return new PgOutputMessage.Delete(xid, relId, (char) marker, TupleData.read(r));
    }

    private static PgOutputMessage truncate(PgOutputReader r, PgOutputFrame frame) {
        int xid = streamXid(r, frame);
        int n = r.i32("relation count");
        int flags = r.u8("flags") & 0xFF;
        r.needLength(n * 4L, n + " relation ids");
        List<Integer> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ids.add(r.i32("relation id"));
        }
        return new PgOutputMessage.Truncate(xid, flags, ids);
    }

    private static PgOutputMessage message(PgOutputReader r, PgOutputFrame frame) {
        int xid = streamXid(r, frame);
        r.skip(9); // flags and message LSN: in the frame
        int flags = frame.flags();
        Lsn lsn = frame.lsn();
        String prefix = r.cstring("prefix");
        int len = r.i32("content length");
        return new PgOutputMessage.Message(xid, flags, lsn, prefix, r.bytes(len, "content"));
    }

    private static PgOutputMessage streamStart(PgOutputReader r) {
        int xid = r.i32("xid");
        boolean first = r.u8("first segment flag") == 1;
        return new PgOutputMessage.StreamStart(xid, first);
    }

    private PgOutputMessage streamAbort(PgOutputReader r) {
        int xid = r.i32("xid");
        int subxid = r.i32("subtransaction xid");
        if (abortCarriesLsn) {
            return new PgOutputMessage.StreamAbort(xid, subxid, r.lsn("abort lsn"), r.time("abort time"));
        }
        return new PgOutputMessage.StreamAbort(xid, subxid, Lsn.INVALID, null);
    }

    private static PgOutputMessage beginPrepare(PgOutputReader r) {
        return new PgOutputMessage.BeginPrepare(r.lsn("prepare lsn"), r.lsn("end lsn"), r.time("prepare time"),
                r.i32("xid"), r.cstring("gid"));
    }

    private static PgOutputMessage prepare(PgOutputReader r) {
        return new PgOutputMessage.Prepare(r.u8("flags") & 0xFF, r.lsn("prepare lsn"), r.lsn("end lsn"),
                r.time("prepare time"), r.i32("xid"), r.cstring("gid"));
    }

    private static PgOutputMessage commitPrepared(PgOutputReader r) {
        return new PgOutputMessage.CommitPrepared(r.u8("flags") & 0xFF, r.lsn("commit lsn"), r.lsn("end lsn"),
                r.time("commit time"), r.i32("xid"), r.cstring("gid"));
    }

    private static PgOutputMessage rollbackPrepared(PgOutputReader r) {
        return new PgOutputMessage.RollbackPrepared(r.u8("flags") & 0xFF, r.lsn("prepare end lsn"),
                r.lsn("rollback end lsn"), r.time("prepare time"), r.time("rollback time"), r.i32("xid"),
                r.cstring("gid"));
    }

    private static PgOutputMessage streamPrepare(PgOutputReader r) {
        return new PgOutputMessage.StreamPrepare(r.u8("flags") & 0xFF, r.lsn("prepare lsn"), r.lsn("end lsn"),
                r.time("prepare time"), r.i32("xid"), r.cstring("gid"));
    }
}
