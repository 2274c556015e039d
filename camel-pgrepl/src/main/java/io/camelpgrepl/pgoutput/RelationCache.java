package io.camelpgrepl.pgoutput;

import java.util.HashMap;
import java.util.Map;

/**
 * Relation id → {@link RelationInfo}, fed by Relation messages. The server sends a Relation before the first
 * change of a table in a session and again whenever the table's definition changed, so a newer Relation
 * replaces the older one. Not thread-safe: owned by one stream.
 *
 * <p>Bounded: a session sees each published table once (and again per definition change, which replaces), so
 * more distinct relations than {@link #DEFAULT_MAX_RELATIONS} in one session means a flood from a broken or
 * hostile server, not a schema; it is a {@link PgOutputException} rather than unbounded memory.
 */
public final class RelationCache {

    /** Distinct relations one session may describe; far above any real publication's table count. */
    public static final int DEFAULT_MAX_RELATIONS = 100_000;

    private final Map<Integer, RelationInfo> byId = new HashMap<>();
    private final int maxRelations;
    private RelationInfo last; // most rows in a row touch the same table: skip the boxed lookup

    public RelationCache() {
        this(DEFAULT_MAX_RELATIONS);
    }

    public RelationCache(int maxRelations) {
        if (maxRelations < 1) {
            throw new IllegalArgumentException("maxRelations must be at least 1");
        }
        this.maxRelations = maxRelations;
    }

    /**
     * Stores (or replaces) the description of {@code relation.relationId()}.
     *
     * @throws PgOutputException when it would be a new relation beyond the cache's bound
     */
    public RelationInfo put(PgOutputMessage.Relation relation) {
        if (byId.size() >= maxRelations && !byId.containsKey(relation.relationId())) {
            throw new PgOutputException("pgoutput Relation ('R'): relation id "
                    + Integer.toUnsignedString(relation.relationId()) + " would be relation number "
                    + (byId.size() + 1) + " of this session, over the limit of " + maxRelations + " distinct relations"
                    + " (RelationCache.maxRelations); a real publication never describes that many tables in one"
                    + " session, so the server or the stream is broken");
        }
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
