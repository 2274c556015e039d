package io.camelpgrepl.client;

import java.time.Instant;

/**
 * The slot as {@code pg_replication_slots} showed it when the client connected: its position, its health and, on
 * PostgreSQL 17+, whether it is a failover slot. Read once, at connect, on the replication connection itself (it is
 * busy streaming afterwards; a second connection only for this would cost a login per refresh), so
 * {@link #readAt()} says how old it is.
 *
 * @param confirmedFlushLsn  the position the server resumes from, or {@link Lsn#INVALID} when unknown
 * @param walStatus          {@code reserved}, {@code extended}, {@code unreserved} or {@code lost}; null when unknown
 * @param safeWalSize        bytes of WAL that may still be written before the slot is in danger of losing WAL it
 *                           needs ({@code max_slot_wal_keep_size}); null when unlimited or unknown
 * @param invalidationReason why the slot was invalidated (PostgreSQL 17+: {@code wal_removed}, {@code rows_removed},
 *                           {@code wal_level_insufficient}, {@code idle_timeout}); null when valid or unknown
 * @param failover           synchronised to standbys (PostgreSQL 17+); null when the server does not say
 * @param synced             a copy synchronised from a primary (PostgreSQL 17+: true on a standby, and on a promoted
 *                           standby); null when the server does not say
 * @param onStandby          the server streaming it is a hot standby (decoding on a standby)
 * @param readAt             when it was read
 */
public record SlotStatus(Lsn confirmedFlushLsn, String walStatus, Long safeWalSize, String invalidationReason,
                         Boolean failover, Boolean synced, boolean onStandby, Instant readAt) {

    /** Whether the slot can no longer stream: its WAL is gone or it was invalidated. */
    public boolean isInvalidated() {
        return "lost".equals(walStatus) || invalidationReason != null;
    }
}
