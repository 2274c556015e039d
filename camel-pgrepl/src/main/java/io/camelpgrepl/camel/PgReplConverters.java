package io.camelpgrepl.camel;

import io.camelpgrepl.client.Lsn;
import org.apache.camel.Converter;

/** Type converters for the values pgrepl puts on exchanges. */
@Converter(generateLoader = true)
public final class PgReplConverters {

    private PgReplConverters() {
    }

    /** An LSN as PostgreSQL prints it, e.g. {@code 16/B374D848}. */
    @Converter
    public static String lsnToString(Lsn lsn) {
        return lsn.toString();
    }

    /** Parses PostgreSQL's LSN text form. */
    @Converter
    public static Lsn stringToLsn(String text) {
        return Lsn.parse(text);
    }
}
