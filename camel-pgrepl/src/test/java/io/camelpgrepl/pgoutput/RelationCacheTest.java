package io.camelpgrepl.pgoutput;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.camelpgrepl.client.Lsn;
import io.camelpgrepl.client.StreamingMode;

class RelationCacheTest {

    private static PgOutputMessage.Relation relation(int id) {
        return new PgOutputMessage.Relation(0, id, "public", "t" + id, 'd',
                List.of(new PgOutputMessage.Column(1, "id", PgTypes.INT8, -1)));
    }

    @Test
    void aFloodOfDistinctRelationsStopsAtTheBoundWithAnErrorNamingIt() {
        RelationCache cache = new RelationCache(3);
        for (int id = 1; id <= 3; id++) {
            cache.put(relation(id));
        }

        assertThatThrownBy(() -> cache.put(relation(4))).isInstanceOf(PgOutputException.class)
                .hasMessageContaining("relation id 4").hasMessageContaining("limit of 3 distinct relations");
        assertThat(cache.size()).as("nothing stored past the bound").isEqualTo(3);
    }

    @Test
    void aChangedDefinitionOfAKnownRelationReplacesItEvenAtTheBound() {
        RelationCache cache = new RelationCache(2);
        cache.put(relation(1));
        cache.put(relation(2));

        RelationInfo redefined = cache.put(new PgOutputMessage.Relation(0, 2, "public", "renamed", 'f',
                List.of(new PgOutputMessage.Column(1, "id", PgTypes.INT8, -1))));

        assertThat(cache.get(2)).isSameAs(redefined);
        assertThat(cache.get(2).table()).isEqualTo("renamed");
        assertThat(cache.size()).isEqualTo(2);
    }

    @Test
    void aStreamRefusesMoreRelationsThanTheDefaultBound() {
        ChangeStream stream = new ChangeStream(1, StreamingMode.OFF);
        int id = 1;
        for (; id <= RelationCache.DEFAULT_MAX_RELATIONS; id++) {
            stream.accept(relationMessage(id).buffer(), Lsn.INVALID);
        }
        int flood = id;

        assertThatThrownBy(() -> stream.accept(relationMessage(flood).buffer(), Lsn.INVALID))
                .isInstanceOf(PgOutputException.class).hasMessageContaining("RelationCache.maxRelations");
        assertThat(stream.relations().size()).isEqualTo(RelationCache.DEFAULT_MAX_RELATIONS);
    }

    private static PgBytes relationMessage(int id) {
        return PgBytes.msg('R').i32(id).cstr("public").cstr("t").u8('d').i16(1).u8(1).cstr("id")
                .i32(PgTypes.INT8).i32(-1);
    }
}
