package io.camelpgrepl.client;

import java.time.Instant;

/**
 * The slot's health as {@code pg_replication_slots} showed it when the client connected. Read once, at connect, on
 * the replication connection itself (it is busy streaming afterwards; a second connection only for this would cost
 * a login per refresh), so {@link #readAt()} says how old it is.
 *
 * @param walStatus          {@code reserved}, {@code extended}, {@code unreserved} or {@code lost}; null when unknown
 *                           (a slot created by this connect)
 * @param safeWalSize        bytes of WAL that may still be written before the slot is in danger of losing WAL it
 *                           needs ({@code max_slot_wal_keep_size}); null when unlimited or unknown
 * @param invalidationReason why the slot was invalidated (PostgreSQL 17+: {@code wal_removed}, {@code rows_removed},
 *                           {@code wal_level_insufficient}, {@code idle_timeout}); null when valid or unknown
 * @param readAt             when it was read
 */
public record SlotStatus(String walStatus, Long safeWalSize, String invalidationReason, Instant readAt) {

    /** Whether the slot can no longer stream: its WAL is gone or it was invalidated. */
    public boolean isInvalidated() {
        return "lost".equals(walStatus) || invalidationReason != null;
    }
}
