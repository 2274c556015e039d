package io.camelpgrepl.client;

/**
 * Receives an initial snapshot ({@link ReplicationConfig#snapshotMode()}) on the thread that called
 * {@link ReplicationClient#connect(ReplicationConfig, SnapshotListener)}, before streaming starts: {@link #begin},
 * then per table {@link #table} and its rows, then {@link #end}. A method that blocks holds back the next fetch from
 * the server, so a slow listener slows the snapshot down instead of filling memory.
 *
 * <p>A method that throws abandons the snapshot: the connection closes and the exception leaves {@code connect}.
 * The snapshot's slot was temporary, so it goes with the connection and the next connect reads the snapshot again.
 */
public interface SnapshotListener {

    /**
     * The snapshot is taken: every row read belongs to it, every change streamed afterwards comes after it.
     *
     * @param server the server the snapshot is read from (the same {@link ReplicationClient#serverInfo()} the
     *               stream will have)
     */
    void begin(Lsn consistentPoint, ServerInfo server);

    /** The rows of {@code table} follow. Tables come in (schema, table) order. */
    void table(SnapshotTable table);

    /** One row of the current table; {@code row} is valid only during this call. */
    void row(SnapshotRow row);

    /**
     * Every row was handed over and the snapshot's transaction has ended. Return once the rows are handled for
     * good: only then does the stream (and with {@link SnapshotMode#INITIAL} the permanent slot) start.
     */
    void end();
}
