package io.camelpgrepl.bench;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Locale;

import io.camelpgrepl.client.Lsn;

/**
 * A backlog written into table {@code bench} after the slots were created, so that every slot sees all of it.
 * {@link #setUp} runs before the slots (its WAL is not drained); {@link #write} writes the backlog and returns the
 * drain's target: a position inside the last transaction, so that its Commit is the first to reach it.
 *
 * <ul>
 *   <li>{@code bulk}: {@code rows} inserts in 100 transactions;</li>
 *   <li>{@code small}: {@code rows} one-row transactions;</li>
 *   <li>{@code update}: {@code rows} rows (inserted before the slots) updated in 100 transactions, with
 *       {@code REPLICA IDENTITY FULL} (every update carries the old row too);</li>
 *   <li>{@code large}: {@code rows} rows of 1 MiB each in one transaction (1,024 rows: a 1 GiB transaction).</li>
 * </ul>
 */
record Workload(Kind kind, int rows) {

    enum Kind { BULK, SMALL, UPDATE, LARGE }

    private static final int TRANSACTIONS = 100;
    private static final int LARGE_VALUE_MD5S = 32_768; // 32 hex characters each: 1 MiB

    /** {@code name} or {@code name:rows}, e.g. {@code small:100000}. */
    static Workload parse(String spec, int defaultRows) {
        String[] p = spec.trim().split(":");
        Kind kind = Kind.valueOf(p[0].toUpperCase(Locale.ROOT));
        return new Workload(kind, p.length > 1 ? Integer.parseInt(p[1].replace("_", "")) : defaultRows);
    }

    String name() {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    String describe() {
        return switch (kind) {
            case BULK -> String.format(Locale.ROOT, "bulk: %,d rows inserted in %d transactions", rows, TRANSACTIONS);
            case SMALL -> String.format(Locale.ROOT, "small: %,d one-row transactions", rows);
            case UPDATE -> String.format(Locale.ROOT, "update: %,d rows updated in %d transactions, REPLICA IDENTITY "
                    + "FULL", rows, TRANSACTIONS);
            case LARGE -> String.format(Locale.ROOT, "large: %,d rows of 1 MiB in one transaction", rows);
        };
    }

    /** Before the slots: an empty table with the replica identity this workload needs (and its rows to update). */
    void setUp(BenchServer s) {
        s.pg.execute(BenchServer.DB, "TRUNCATE bench", "ALTER TABLE bench REPLICA IDENTITY "
                + (kind == Kind.UPDATE ? "FULL" : "DEFAULT"), "ALTER TABLE bench ALTER COLUMN note SET STORAGE "
                + (kind == Kind.LARGE ? "EXTERNAL" : "EXTENDED"));
        if (kind == Kind.UPDATE) {
            s.pg.execute(BenchServer.DB, insert(1, rows), "VACUUM ANALYZE bench");
        }
    }

    /** Writes the backlog; returns the target LSN (inside the last transaction). */
    Lsn write(BenchServer s) throws Exception {
        return switch (kind) {
            case BULK, UPDATE -> {
                int batch = Math.max(1, (rows + TRANSACTIONS - 1) / TRANSACTIONS);
                for (int from = 1; from + batch <= rows; from += batch) {
                    s.pg.execute(BenchServer.DB, batchSql(from, from + batch - 1));
                }
                int last = rows - (rows - 1) % batch;
                yield lastTransaction(s, batchSql(last, rows));
            }
            case SMALL -> {
                if (rows > 1) {
                    s.pg.execute(BenchServer.DB, "SET synchronous_commit = off", "DO $$ BEGIN FOR i IN 1.." + (rows - 1)
                            + " LOOP " + insert("i", "i") + "; COMMIT; END LOOP; END $$");
                }
                yield lastTransaction(s, insert(rows, rows));
            }
            case LARGE -> lastTransaction(s, "INSERT INTO bench SELECT g, 'large row ' || g, 0, now(), true, "
                    + "(SELECT string_agg(md5(g || '-' || i), '') FROM generate_series(1, " + LARGE_VALUE_MD5S + ") i) "
                    + "FROM generate_series(1, " + rows + ") g");
        };
    }

    private String batchSql(int from, int to) {
        return kind == Kind.UPDATE
                ? "UPDATE bench SET amount = amount + 1, note = 'updated ' || md5(id::text) WHERE id BETWEEN " + from
                        + " AND " + to
                : insert(from, to);
    }

    private static String insert(int from, int to) {
        return insert(String.valueOf(from), String.valueOf(to));
    }

    private static String insert(String from, String to) {
        return "INSERT INTO bench SELECT g, 'customer name number ' || g || ' with some padding', "
                + "(g % 100000) / 100.0, timestamptz '2024-01-01 00:00:00+00' + g * interval '1 second', "
                + "g % 2 = 0, 'note ' || md5(g::text) FROM generate_series(" + from + ", " + to + ") g";
    }

    private static Lsn lastTransaction(BenchServer s, String sql) throws Exception {
        try (Connection conn = s.pg.connect(BenchServer.DB)) {
            conn.setAutoCommit(false);
            String target;
            try (Statement st = conn.createStatement()) {
                st.execute(sql);
                ResultSet rs = st.executeQuery("SELECT pg_current_wal_insert_lsn()");
                rs.next();
                target = rs.getString(1);
            }
            conn.commit();
            return Lsn.parse(target);
        }
    }
}
