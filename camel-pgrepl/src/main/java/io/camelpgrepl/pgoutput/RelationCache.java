package io.camelpgrepl.pgoutput;

import java.util.HashMap;
import java.util.Map;

/**
 * Relation id → {@link RelationInfo}, fed by Relation messages. The server sends a Relation before the first
 * change of a table in a session and again whenever the table's definition changed, so a newer Relation
 * replaces the older one. Not thread-safe: owned by one stream.
 */
public final class RelationCache {

    private final Map<Integer, RelationInfo> byId = new HashMap<>();
    private RelationInfo last; // most rows in a row touch the same table: skip the boxed lookup

    /** Stores (or replaces) the description of {@code relation.relationId()}. */
    public RelationInfo put(PgOutputMessage.Relation relation) {
        RelationInfo info = new RelationInfo(relation);
        byId.put(relation.relationId(), info);
        last = info;
        return info;
    }

    /** The relation, or null when no Relation message described it. */
    public RelationInfo get(int relationId) {
        RelationInfo l = last;
        if (l != null && l.relationId() == relationId) {
            return l;
        }
        RelationInfo info = byId.get(relationId);
        if (info != null) {
            last = info;
        }
        return info;
    }

    /**
     * The relation a row change refers to.
     *
     * @throws PgOutputException when no Relation message described it (the stream is inconsistent, e.g. it
     *                           started mid-session without the server's Relation messages)
     */
    public RelationInfo require(int relationId, String messageLabel) {
        RelationInfo info = get(relationId);
        if (info == null) {
            throw new PgOutputException("pgoutput " + messageLabel + ": unknown relation id "
                    + Integer.toUnsignedString(relationId) + "; no Relation message described it before this change"
                    + " (the decoder must see every message of the stream from its start)");
        }
        return info;
    }

    public int size() {
        return byId.size();
    }

    public void clear() {
        byId.clear();
        last = null;
    }
}
