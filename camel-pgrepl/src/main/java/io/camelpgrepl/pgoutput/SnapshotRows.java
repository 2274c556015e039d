package io.camelpgrepl.pgoutput;

import java.util.ArrayList;
import java.util.List;

import io.camelpgrepl.client.Lsn;
import io.camelpgrepl.client.SnapshotRow;
import io.camelpgrepl.client.SnapshotTable;

/**
 * Decodes the rows of one table of an initial snapshot into {@link RowChange}s with operation
 * {@link RowChange.Operation#READ}, through the same relation description and value decoders as streamed rows:
 * the table becomes the {@link RelationInfo} a Relation message would have made, each row the {@link TupleData}
 * an Insert would have carried. So a READ row holds the same Java values as an INSERT of the same row.
 */
public final class SnapshotRows {

    private final RelationInfo relation;
    private final Lsn consistentPoint;

    public SnapshotRows(SnapshotTable table, Lsn consistentPoint) {
        List<PgOutputMessage.Column> columns = new ArrayList<>(table.columns().size());
        for (SnapshotTable.Column c : table.columns()) {
            columns.add(new PgOutputMessage.Column(c.key() ? 1 : 0, c.name(), c.typeOid(), c.typeModifier()));
        }
        this.relation = new RelationInfo(new PgOutputMessage.Relation(0, table.relationId(), table.schema(),
                table.table(), table.replicaIdentity(), columns));
        this.consistentPoint = consistentPoint;
    }

    /**
     * @throws PgOutputException when the row does not match the table or a value does not decode (naming the
     *                           column)
     */
    public RowChange decode(SnapshotRow row) {
        int n = row.size();
        int[] cells = new int[3 * n];
        char valueKind = row.isBinary() ? TupleData.BINARY : TupleData.TEXT;
        for (int i = 0; i < n; i++) {
            cells[3 * i] = row.isNull(i) ? TupleData.NULL : valueKind;
            cells[3 * i + 1] = row.offset(i);
            cells[3 * i + 2] = Math.max(0, row.length(i));
        }
        TupleData tuple = TupleData.of(row.buffer(), cells);
        return new RowChange(consistentPoint, null, 0, relation.relationId(), relation.schema(), relation.table(),
                RowChange.Operation.READ, null, relation.decodeRow(tuple, false, "snapshot row"),
                relation.keyColumns());
    }
}
