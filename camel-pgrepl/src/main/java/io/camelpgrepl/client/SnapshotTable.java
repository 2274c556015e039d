package io.camelpgrepl.client;

import java.util.List;

/**
 * A table as an initial snapshot reads it: the columns pgoutput would send for it (its publication's column list,
 * without generated columns where pgoutput leaves them out), each with the type OID and modifier pgoutput's
 * Relation message would carry, so its rows decode like streamed ones.
 *
 * @param relationId      the table's OID (pgoutput's relation id)
 * @param replicaIdentity {@code 'd'} default, {@code 'n'} nothing, {@code 'f'} full or {@code 'i'} index
 * @param primaryKey      the primary key's columns in key order (as {@link ReplicationClient#primaryKeys()} has
 *                        them); empty when the table has none
 */
public record SnapshotTable(String schema, String table, int relationId, char replicaIdentity, List<Column> columns,
                            List<String> primaryKey) {

    public SnapshotTable {
        columns = List.copyOf(columns);
        primaryKey = List.copyOf(primaryKey);
    }

    /** @param key whether the column is part of the replica identity (all columns with {@code REPLICA IDENTITY FULL}) */
    public record Column(String name, int typeOid, int typeModifier, boolean key) {
    }
}
