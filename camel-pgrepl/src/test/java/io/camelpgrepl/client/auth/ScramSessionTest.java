package io.camelpgrepl.client.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import io.camelpgrepl.client.AuthenticationException;

/** SCRAM-SHA-256 against the RFC 7677 section 3 test vector. */
class ScramSessionTest {

    static final String CLIENT_NONCE = "rOprNGfwEbeRWgbNEkqO";
    static final String SERVER_FIRST =
            "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096";
    static final String RFC_CLIENT_FINAL = "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
            + "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=";
    static final String RFC_SERVER_FINAL = "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=";

    @Test
    void rfc7677VectorProducesTheExpectedMessagesAndVerifiesTheServer() {
        ScramSession scram = new ScramSession("user", "pencil".toCharArray(), CLIENT_NONCE, 'n', null);

        assertThat(scram.clientFirstMessage()).as("client-first").isEqualTo("n,,n=user,r=" + CLIENT_NONCE);
        assertThat(scram.clientFinalMessage(SERVER_FIRST)).as("client-final").isEqualTo(RFC_CLIENT_FINAL);
        scram.verifyServerFinal(RFC_SERVER_FINAL);

        assertThat(scram.isVerified()).as("server signature verified").isTrue();
    }

    @Test
    void passwordIsSaslPreparedSoASoftHyphenIsIgnored() {
        // SASLprep (RFC 4013) maps U+00AD SOFT HYPHEN to nothing: the RFC vector must still come out.
        ScramSession scram = new ScramSession("user", "pen\u00ADcil".toCharArray(), CLIENT_NONCE, 'n', null);
        scram.clientFirstMessage();

        assertThat(scram.clientFinalMessage(SERVER_FIRST)).isEqualTo(RFC_CLIENT_FINAL);
    }

    @Test
    void userNameCharactersAreEscapedAsSaslNames() {
        ScramSession scram = new ScramSession("a=b,c", "pencil".toCharArray(), CLIENT_NONCE, 'n', null);

        assertThat(scram.clientFirstMessage()).isEqualTo("n,,n=a=3Db=2Cc,r=" + CLIENT_NONCE);
    }

    @Test
    void serverSignatureOffByOneBitIsRejected() {
        ScramSession scram = new ScramSession("user", "pencil".toCharArray(), CLIENT_NONCE, 'n', null);
        scram.clientFinalMessage(SERVER_FIRST);

        assertThatThrownBy(() -> scram.verifyServerFinal("v=7rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="))
                .isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("server signature does not verify");
        assertThat(scram.isVerified()).isFalse();
    }

    @Test
    void serverSignatureOfWrongLengthIsRejected() {
        ScramSession scram = new ScramSession("user", "pencil".toCharArray(), CLIENT_NONCE, 'n', null);
        scram.clientFinalMessage(SERVER_FIRST);

        assertThatThrownBy(() -> scram.verifyServerFinal("v=AAAA"))
                .isInstanceOf(AuthenticationException.class)
                .hasMessageContaining("server signature does not verify");
    }

    @Test
    void serverFinalBeforeClientFinalIsRejected() {
        ScramSession scram = new ScramSession("user", "pencil".toCharArray(), CLIENT_NONCE, 'n', null);

        assertThatThrownBy(() -> scram.verifyServerFinal(RFC_SERVER_FINAL))
                .isInstanceOf(AuthenticationException.class);
    }
}
