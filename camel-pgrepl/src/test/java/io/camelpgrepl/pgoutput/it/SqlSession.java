package io.camelpgrepl.pgoutput.it;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import io.camelpgrepl.client.Lsn;
import io.camelpgrepl.testing.PostgresServer;

/**
 * One pgjdbc session in autocommit mode, so that {@code BEGIN}, {@code SAVEPOINT}, {@code PREPARE TRANSACTION}
 * and session settings ({@code SET TimeZone}) are written as plain SQL, as a person would in psql.
 */
final class SqlSession implements AutoCloseable {

    private final Connection connection;

    SqlSession(PostgresServer server, String database) {
        try {
            this.connection = server.connect(database);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot connect to database " + database + " on " + server + ": "
                    + e.getMessage(), e);
        }
    }

    /** Runs the statements in order. */
    SqlSession run(String... sql) {
        try (Statement statement = connection.createStatement()) {
            for (String each : sql) {
                statement.execute(each);
            }
            return this;
        } catch (SQLException e) {
            throw new IllegalStateException("SQL failed: " + e.getMessage(), e);
        }
    }

    /** The first row of a query, every column as the text pgjdbc received (null for SQL NULL). */
    List<String> row(String sql) {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            if (!rows.next()) {
                throw new IllegalStateException("no row from: " + sql);
            }
            int n = rows.getMetaData().getColumnCount();
            List<String> values = new ArrayList<>(n);
            for (int i = 1; i <= n; i++) {
                values.add(rows.getString(i));
            }
            return values;
        } catch (SQLException e) {
            throw new IllegalStateException("query failed: " + sql + ": " + e.getMessage(), e);
        }
    }

    String string(String sql) {
        return row(sql).get(0);
    }

    long number(String sql) {
        return Long.parseLong(string(sql));
    }

    Lsn lsn(String sql) {
        return Lsn.parse(string(sql));
    }

    /** The WAL insert position now: every record written later starts at or after it. */
    Lsn walInsertLsn() {
        return lsn("SELECT pg_current_wal_insert_lsn()");
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot close a test session: " + e.getMessage(), e);
        }
    }
}
