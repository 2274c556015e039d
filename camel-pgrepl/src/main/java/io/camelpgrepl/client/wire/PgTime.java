package io.camelpgrepl.client.wire;

import java.time.Instant;

/** PostgreSQL's wire timestamps: microseconds since 2000-01-01 00:00:00 UTC. */
public final class PgTime {

    /** 2000-01-01T00:00:00Z in microseconds since the Unix epoch. */
    public static final long PG_EPOCH_MICROS = 946_684_800_000_000L;

    private PgTime() {
    }

    public static Instant toInstant(long pgMicros) {
        long unixMicros = pgMicros + PG_EPOCH_MICROS;
        return Instant.ofEpochSecond(Math.floorDiv(unixMicros, 1_000_000L),
                Math.floorMod(unixMicros, 1_000_000L) * 1_000L);
    }

    public static long fromInstant(Instant instant) {
        return instant.getEpochSecond() * 1_000_000L + instant.getNano() / 1_000L - PG_EPOCH_MICROS;
    }

    public static long now() {
        return fromInstant(Instant.now());
    }
}
