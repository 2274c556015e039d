package io.camelpgrepl.pgoutput;

/**
 * The value of a TOASTed column that an UPDATE did not change: pgoutput sends kind {@code 'u'} and no bytes.
 * It is not {@code null} (the column is not null, its value just was not sent); compare by identity.
 */
public enum UnchangedToast {
    INSTANCE;

    @Override
    public String toString() {
        return "<unchanged toast>";
    }
}
