package io.camelpgrepl.pgoutput;

import static org.assertj.core.api.Assertions.assertThat;

import io.camelpgrepl.client.Lsn;
import io.camelpgrepl.client.StreamingMode;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Hostile input only ever yields a valid message or a {@link PgOutputException}: no other exception escapes. */
class PgOutputFuzzProperties {

    static final Instant T = Instant.parse("2024-01-02T03:04:05Z");

    /** Valid messages of every type, for decoders in and out of a stream block. */
    static List<byte[]> samples() {
        List<byte[]> s = new ArrayList<>();
        s.add(PgBytes.msg('B').i64(0x500).time(T).i32(77).bytes());
        s.add(PgBytes.msg('C').u8(0).i64(0x500).i64(0x530).time(T).bytes());
        s.add(PgBytes.msg('O').i64(0x55).cstr("node").bytes());
        s.add(ChangeStreamTest.ordersRelation(PgBytes.msg('R')).bytes());
        s.add(PgBytes.msg('Y').i32(99999).cstr("public").cstr("mood").bytes());
        s.add(PgBytes.msg('I').i32(16384).u8('N').i16(4).text("1").text("9.90").text("2024-01-02 03:04:05+00")
                .text("héllo").bytes());
        s.add(PgBytes.msg('U').i32(16384).u8('K').i16(4).text("1").nul().nul().nul().u8('N').i16(4).text("2")
                .binary(new byte[] {0, 1, 0, 0, 0, 0, 0, 2, 0, 1}).nul().toast().bytes());
        s.add(PgBytes.msg('D').i32(16384).u8('O').i16(4).text("1").nul().nul().text("x").bytes());
        s.add(PgBytes.msg('T').i32(2).u8(3).i32(16384).i32(16385).bytes());
        s.add(PgBytes.msg('M').u8(1).i64(0x99).cstr("audit").i32(3).raw(new byte[] {'a', 'b', 'c'}).bytes());
        s.add(PgBytes.msg('S').i32(900).u8(1).bytes());
        s.add(PgBytes.msg('E').bytes());
        s.add(PgBytes.msg('c').i32(900).u8(0).i64(0x200).i64(0x240).time(T).bytes());
        s.add(PgBytes.msg('A').i32(900).i32(901).i64(0x300).time(T).bytes());
        s.add(PgBytes.msg('b').i64(0x10).i64(0x20).time(T).i32(5).cstr("gid-1").bytes());
        s.add(PgBytes.msg('P').u8(0).i64(0x10).i64(0x20).time(T).i32(5).cstr("gid-1").bytes());
        s.add(PgBytes.msg('K').u8(0).i64(0x30).i64(0x40).time(T).i32(5).cstr("gid-1").bytes());
        s.add(PgBytes.msg('r').u8(0).i64(0x20).i64(0x50).time(T).time(T).i32(5).cstr("gid-1").bytes());
        s.add(PgBytes.msg('p').u8(0).i64(0x10).i64(0x20).time(T).i32(5).cstr("gid-1").bytes());
        return s;
    }

    private static PgOutputDecoder decoder(int variant) {
        PgOutputDecoder d = new PgOutputDecoder(1 + variant % 4, variant % 3 == 0 ? StreamingMode.PARALLEL
                : StreamingMode.ON);
        if (variant >= 4 && d.protocolVersion() >= 2) {
            d.decode(PgBytes.msg('S').i32(900).u8(1).buffer()); // now inside a stream block
        }
        return d;
    }

    private static void decodeOrPgOutputException(PgOutputDecoder d, byte[] bytes) {
        try {
            PgOutputMessage m = d.decode(ByteBuffer.wrap(bytes).asReadOnlyBuffer());
            assertThat(m).as("a decoded message is never null").isNotNull();
        } catch (PgOutputException expected) {
            assertThat(expected.getMessage()).as("error names pgoutput").startsWith("pgoutput");
        }
    }

    @Property(tries = 3000)
    void randomBytesOnlyEverGiveAMessageOrPgOutputException(@ForAll @Size(max = 64) byte[] bytes,
                                                           @ForAll @IntRange(min = 0, max = 7) int variant) {
        decodeOrPgOutputException(decoder(variant), bytes);
    }

    @Property(tries = 2000)
    void randomBodiesBehindEveryTypeByte(@ForAll("typeBytes") byte type, @ForAll @Size(max = 80) byte[] body,
                                         @ForAll @IntRange(min = 0, max = 7) int variant) {
        byte[] bytes = new byte[body.length + 1];
        bytes[0] = type;
        System.arraycopy(body, 0, bytes, 1, body.length);
        decodeOrPgOutputException(decoder(variant), bytes);
    }

    @Provide
    Arbitrary<Byte> typeBytes() {
        return Arbitraries.of((byte) 'B', (byte) 'C', (byte) 'O', (byte) 'R', (byte) 'Y', (byte) 'I', (byte) 'U',
                (byte) 'D', (byte) 'T', (byte) 'M', (byte) 'S', (byte) 'E', (byte) 'c', (byte) 'A', (byte) 'b',
                (byte) 'P', (byte) 'K', (byte) 'r', (byte) 'p');
    }

    @Property(tries = 50)
    void everyTruncationOfEveryValidMessageIsAMessageOrPgOutputException(
            @ForAll @IntRange(min = 0, max = 7) int variant) {
        for (byte[] sample : samples()) {
            for (int len = 0; len <= sample.length; len++) {
                decodeOrPgOutputException(decoder(variant), Arrays.copyOf(sample, len));
            }
        }
    }

    @Property(tries = 3000)
    void singleByteCorruptionOfValidMessagesIsHandled(@ForAll @IntRange(min = 0, max = 18) int which,
                                                     @ForAll @IntRange(min = 0, max = 200) int at,
                                                     @ForAll byte value,
                                                     @ForAll @IntRange(min = 0, max = 7) int variant) {
        byte[] b = samples().get(which).clone();
        b[at % b.length] = value;
        decodeOrPgOutputException(decoder(variant), b);
    }

    @Property(tries = 2000)
    void corruptedRowsThroughTheTypedPathOnlyThrowPgOutputException(@ForAll @IntRange(min = 5, max = 7) int which,
                                                                    @ForAll @IntRange(min = 0, max = 200) int at,
                                                                    @ForAll byte value) {
        ChangeStream cs = new ChangeStream(2, StreamingMode.ON);
        cs.accept(ByteBuffer.wrap(samples().get(3)), Lsn.INVALID);
        byte[] b = samples().get(which).clone();
        b[at % b.length] = value;
        try {
            ChangeEvent e = cs.accept(ByteBuffer.wrap(b), Lsn.of(1));
            assertThat(e).as("event").isNotNull();
        } catch (PgOutputException expected) {
            assertThat(expected.getMessage()).as("error names pgoutput").startsWith("pgoutput");
        }
    }

    @Property(tries = 3000)
    void randomValueBytesForEveryTypeOnlyThrowPgOutputException(@ForAll("oids") int oid,
                                                               @ForAll @Size(max = 48) byte[] bytes,
                                                               @ForAll boolean binary) {
        try {
            Object v = binary ? PgTypes.decodeBinary(bytes, oid) : PgTypes.decodeText(
                    new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1), oid);
            assertThat(v).as("decoded value").isNotNull();
        } catch (PgOutputException expected) {
            assertThat(expected.getMessage()).as("message").isNotBlank();
        }
    }

    @Property(tries = 3000)
    void randomTextOfTheRightAlphabetOnlyThrowsPgOutputException(@ForAll("oids") int oid,
                                                                @ForAll("pgish") String text) {
        try {
            assertThat(PgTypes.decodeText(text, oid)).as("decoded value").isNotNull();
        } catch (PgOutputException expected) {
            assertThat(expected.getMessage()).as("message").contains("invalid");
        }
    }

    @Provide
    Arbitrary<String> pgish() {
        return Arbitraries.strings().withChars("0123456789-+:. ,{}\"\\NULaefinty[]=xBCdaysmonyr").ofMaxLength(40);
    }

    @Provide
    Arbitrary<Integer> oids() {
        return Arbitraries.of(16, 17, 19, 20, 21, 23, 25, 26, 114, 700, 701, 1042, 1043, 1082, 1083, 1114, 1184, 1186,
                1266, 1700, 2950, 3802, 199, 1000, 1001, 1003, 1005, 1007, 1009, 1014, 1015, 1016, 1021, 1022, 1028,
                1115, 1182, 1183, 1185, 1187, 1231, 1270, 2951, 3807, 600);
    }

    @Property(tries = 2000)
    void float8TextRoundTrips(@ForAll double d) {
        String text = PgText.toText(d, PgTypes.FLOAT8);
        assertThat((Double) PgTypes.decodeText(text, PgTypes.FLOAT8)).as("decode(toText(%s)) = '%s'", d, text)
                .isEqualTo(d);
    }

    @Property(tries = 2000)
    void float4TextRoundTrips(@ForAll float f) {
        String text = PgText.toText(f, PgTypes.FLOAT4);
        assertThat((Float) PgTypes.decodeText(text, PgTypes.FLOAT4)).as("decode(toText(%s)) = '%s'", f, text)
                .isEqualTo(f);
    }

    @Property(tries = 2000)
    void numericTextRoundTripsKeepingScale(@ForAll long unscaled, @ForAll @IntRange(min = 0, max = 40) int scale) {
        BigDecimal v = BigDecimal.valueOf(unscaled, scale);
        String text = PgText.toText(v, PgTypes.NUMERIC);
        assertThat(PgTypes.decodeText(text, PgTypes.NUMERIC)).as("numeric '%s'", text).isEqualTo(v);
    }

    @Property(tries = 1000)
    void timestamptzBinaryRoundTripsThroughText(@ForAll long micros) {
        Object v = PgTypes.decodeBinary(new PgBytes().i64(micros % 9_000_000_000_000_000L).bytes(),
                PgTypes.TIMESTAMPTZ);
        String text = PgText.toText(v, PgTypes.TIMESTAMPTZ);
        assertThat(PgTypes.decodeText(text, PgTypes.TIMESTAMPTZ)).as("timestamptz '%s'", text).isEqualTo(v);
    }

    @Property(tries = 1000)
    void intervalTextRoundTrips(@ForAll int months, @ForAll int days, @ForAll long micros) {
        PgInterval v = new PgInterval(months, days, micros);
        if (v.isInfinite()) {
            return;
        }
        String text = v.toString();
        assertThat(PgTypes.decodeText(text, PgTypes.INTERVAL)).as("interval '%s'", text).isEqualTo(v);
    }
}
