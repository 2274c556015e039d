/**
 * Decoding of PostgreSQL's {@code pgoutput} logical replication protocol (versions 1 to 4) into typed
 * messages, rows and transaction-framed events. Depends on {@code io.camelpgrepl.client} only; never on Camel.
 *
 * <h2>Layers</h2>
 * <ul>
 * <li>{@link io.camelpgrepl.client.wire.PgOutputFraming} (in the client): each message's transaction framing,
 * read once and carried on the event as its {@link io.camelpgrepl.client.wire.PgOutputFrame}: the stream block
 * (whose changes carry a leading xid), the open transactions, Begin/Commit fields, the LSN to acknowledge.</li>
 * <li>{@link io.camelpgrepl.pgoutput.PgOutputDecoder}: bytes and frame → {@link
 * io.camelpgrepl.pgoutput.PgOutputMessage} (one record per message type); must be told the protocol version and
 * streaming mode (v4 parallel Stream Abort).</li>
 * <li>{@link io.camelpgrepl.pgoutput.TupleData}: column kinds and value slices, no copies; the unchanged-TOAST
 * marker is {@link io.camelpgrepl.pgoutput.UnchangedToast#INSTANCE}, never null.</li>
 * <li>{@link io.camelpgrepl.pgoutput.PgTypes} / {@link io.camelpgrepl.pgoutput.ValueDecoder}: typed values by
 * type OID from text or binary format; {@link io.camelpgrepl.pgoutput.PgText}: the inverse, the server's text.
 * </li>
 * <li>{@link io.camelpgrepl.pgoutput.RelationCache}: relation id → table, columns, key columns, decoders.</li>
 * <li>{@link io.camelpgrepl.pgoutput.ChangeStream}: the client's events → {@link
 * io.camelpgrepl.pgoutput.ChangeEvent}s ({@link io.camelpgrepl.pgoutput.RowChange} and friends) that each know
 * their transaction and carry the LSN to acknowledge at commit boundaries.</li>
 * </ul>
 *
 * <h2>Choices</h2>
 * <ul>
 * <li>Special values: numeric NaN/±Infinity → {@code Double.NaN}/{@code Double.POSITIVE_INFINITY}/
 * {@code Double.NEGATIVE_INFINITY} (BigDecimal cannot hold them); date/timestamp/timestamptz ±infinity →
 * {@code MAX}/{@code MIN} of LocalDate/LocalDateTime/OffsetDateTime (as pgjdbc); time 24:00:00 →
 * {@code LocalTime.MAX}; interval ±infinity (PostgreSQL 17) → {@link io.camelpgrepl.pgoutput.PgInterval#INFINITY}
 * and {@link io.camelpgrepl.pgoutput.PgInterval#NEGATIVE_INFINITY}; BC years → ISO proleptic years (1 BC = 0).
 * Array lower bounds are dropped; multi-dimensional arrays become nested lists.</li>
 * <li>Text-mode timestamptz/timetz keep the offset the server printed (its TimeZone); binary-mode timestamptz is
 * UTC. Text values assume the server defaults DateStyle=ISO and IntervalStyle=postgres (what the walsender
 * uses unless the server configuration changes them); another style is a decoding error, not a guess.</li>
 * <li>Acknowledgement: Commit and Stream Commit end LSN; Prepare and Stream Prepare end LSN (the server keeps the
 * prepared transaction and does not resend it; Commit/Rollback Prepared arrive later on their own); Commit
 * Prepared and Rollback Prepared end LSN. Nothing inside a streamed transaction is acknowledgeable before its
 * Stream Commit; a Stream Abort is surfaced (top-level or one subtransaction) and acknowledges nothing.</li>
 * <li>JSON ({@link io.camelpgrepl.pgoutput.ChangeJson}, writer in {@code pgoutput.json}): the map forms' keys,
 * values by column type (rows are {@link io.camelpgrepl.pgoutput.Row}s, so json/jsonb are known and embedded);
 * no library. {@code @JsonValue @JsonRawValue} on {@code toJson()} (optional jackson-annotations, inert without
 * Jackson) make a plain Jackson {@code ObjectMapper} write the same text.</li>
 * <li>Errors: every malformed input is a {@link io.camelpgrepl.pgoutput.PgOutputException} (a permanent
 * {@link io.camelpgrepl.client.ProtocolException}) naming the message type and byte offset; lengths and counts
 * are checked against the bytes left before anything is allocated.</li>
 * </ul>
 */
package io.camelpgrepl.pgoutput;
