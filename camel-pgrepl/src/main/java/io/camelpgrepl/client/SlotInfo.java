package io.camelpgrepl.client;

/**
 * The replication slot as the server described it before streaming ({@code pg_replication_slots}).
 *
 * @param name              the slot's name
 * @param created           whether this connection created it
 * @param failover          synchronised to standbys (PostgreSQL 17+); null when the server does not know the column
 * @param synced            a copy synchronised from a primary (PostgreSQL 17+), null when unknown
 * @param onStandby         the server streaming it is a hot standby (decoding on a standby)
 * @param confirmedFlushLsn the position the server resumes from, or {@link Lsn#INVALID} when unknown
 */
public record SlotInfo(String name, boolean created, Boolean failover, Boolean synced,
                       boolean onStandby, Lsn confirmedFlushLsn) {
}
