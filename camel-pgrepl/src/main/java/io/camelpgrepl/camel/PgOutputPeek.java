package io.camelpgrepl.camel;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.camelpgrepl.client.Lsn;

/**
 * Reads just enough of each pgoutput message for headers and acknowledgement: its type name, its relation
 * (schema and table, from a small cache of Relation messages), and the end LSN of the messages that finish a
 * transaction outside a plain Commit (Stream Commit, Prepare, Commit Prepared, Rollback Prepared). Full
 * decoding into rows is the pgoutput package's job. Never throws on malformed input: unknown fields are null.
 */
final class PgOutputPeek {

    /** Schema and table of a relation id. */
    record Relation(String schema, String table) {
    }

    private final Map<Integer, Relation> relations = new ConcurrentHashMap<>();
    /** Between Stream Start and Stream Stop, data messages carry the xid before their fields. */
    private boolean inStream;

    static String typeName(byte type) {
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

    static boolean isRowChange(byte type) {
        return type == 'I' || type == 'U' || type == 'D' || type == 'T';
    }

    /** Updates the stream state and relation cache from one message; call for every message, in order. */
    void observe(ByteBuffer data) {
        if (!data.hasRemaining()) {
            return;
        }
        byte type = data.get(0);
        try {
            if (type == 'S') {
                inStream = true;
            } else if (type == 'E') {
                inStream = false;
            } else if (type == 'R') {
                ByteBuffer b = data.duplicate();
                b.position(1 + (inStream ? 4 : 0));
                int relid = b.getInt();
                String schema = cstring(b);
                String table = cstring(b);
                relations.put(relid, new Relation(schema, table));
            }
        } catch (BufferUnderflowException | IndexOutOfBoundsException | IllegalArgumentException e) {
            // Malformed: the decoder reports it; headers simply stay empty.
        }
    }

    /** The relation an Insert, Update or Delete (or the first of a Truncate) refers to, or null. */
    Relation relationOf(ByteBuffer data) {
        try {
            byte type = data.get(0);
            ByteBuffer b = data.duplicate();
            b.position(1 + (inStream ? 4 : 0));
            if (type == 'T') {
                b.getInt(); // number of relations
                b.get(); // options
            } else if (type != 'I' && type != 'U' && type != 'D') {
                return null;
            }
            return relations.get(b.getInt());
        } catch (BufferUnderflowException | IndexOutOfBoundsException | IllegalArgumentException e) {
            return null;
        }
    }

    /** The xid of a message inside a streamed transaction block or of a transaction-ending message, or null. */
    Integer xidOf(ByteBuffer data) {
        try {
            byte type = data.get(0);
            if (type == 'S' || type == 'c' || type == 'A' || (inStream && (isRowChange(type) || type == 'R'
                    || type == 'Y' || type == 'M'))) {
                return data.getInt(1);
            }
            return null;
        } catch (IndexOutOfBoundsException e) {
            return null;
        }
    }

    /**
     * The LSN to acknowledge when this message ends a transaction other than by a plain Commit: Stream Commit,
     * Prepare, Commit Prepared, Rollback Prepared, Stream Prepare. Null for every other message.
     */
    static Lsn transactionEndLsn(ByteBuffer data) {
        try {
            switch (data.get(0)) {
                case 'c': // xid(4) flags(1) commitLsn(8) endLsn(8)
                    return Lsn.of(data.getLong(1 + 4 + 1 + 8));
                case 'P': // flags(1) prepareLsn(8) endLsn(8)
                case 'K': // flags(1) commitLsn(8) endLsn(8)
                case 'r': // flags(1) prepareEndLsn(8) rollbackEndLsn(8)
                case 'p':
                    return Lsn.of(data.getLong(1 + 1 + 8));
                default:
                    return null;
            }
        } catch (IndexOutOfBoundsException e) {
            return null;
        }
    }

    private static String cstring(ByteBuffer b) {
        int start = b.position();
        int end = start;
        while (b.get(end) != 0) {
            end++;
        }
        byte[] bytes = new byte[end - start];
        b.get(bytes);
        b.get();
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
