package io.camelpgrepl.client.auth;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.NumericChars;
import net.jqwik.api.constraints.StringLength;

/** The client's SCRAM agrees with an independent JDK-only server for any printable ASCII password. */
class ScramRoundTripPropertyTest {

    @Property(tries = 40)
    void serverAcceptsTheProofAndClientVerifiesTheServer(
            @ForAll @CharRange(from = '!', to = '~') @StringLength(min = 1, max = 40) String password,
            @ForAll @AlphaChars @NumericChars @StringLength(min = 8, max = 32) String clientNonce) throws Exception {
        FakeScramServer server = new FakeScramServer(password);
        ScramSession client = new ScramSession("", password.toCharArray(), clientNonce, 'n', null);

        String serverFirst = server.serverFirst(client.clientFirstMessage());
        String serverFinal = server.serverFinal(client.clientFinalMessage(serverFirst), new byte[0]);
        client.verifyServerFinal(serverFinal);

        assertThat(serverFinal).as("server accepted the proof").startsWith("v=");
        assertThat(client.isVerified()).isTrue();
    }
}
