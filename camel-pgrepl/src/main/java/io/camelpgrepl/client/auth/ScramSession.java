package io.camelpgrepl.client.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Base64;

import com.ongres.scram.common.ScramFunctions;
import com.ongres.scram.common.ScramMechanism;
import com.ongres.scram.common.ServerFirstMessage;
import com.ongres.scram.common.StringPreparation;
import com.ongres.scram.common.exception.ScramParseException;

import io.camelpgrepl.client.AuthenticationException;

/**
 * One SCRAM-SHA-256(-PLUS) exchange, client side (RFC 5802 / RFC 7677).
 *
 * <p>The ongres library supplies SASLprep (PostgreSQL's variant: fall back to the raw password when it is not
 * valid for SASLprep, as the server does), server-first parsing and the SCRAM key functions. The flow is ours
 * because the library compares the server signature with {@code Arrays.equals} (not constant time), has no bound
 * on the iteration count, and would force us to hash the password twice to check the signature ourselves.
 */
final class ScramSession {

    static final int MAX_ITERATIONS = 1_000_000;

    private static final ScramMechanism HASH = ScramMechanism.SCRAM_SHA_256;

    private final String clientNonce;
    private final String gs2Header;
    private final byte[] channelBindingData;
    private final String clientFirstBare;
    private char[] password;
    private byte[] expectedServerSignature;
    private boolean verified;

    /**
     * @param username the SCRAM user name; PostgreSQL sends an empty one (the user is in the startup packet)
     * @param gs2Flag 'n' (no channel binding), 'y' (client supports it, server did not offer it) or 'p'
     * @param channelBindingData tls-server-end-point data, required for 'p', ignored otherwise
     */
    ScramSession(String username, char[] password, String clientNonce, char gs2Flag, byte[] channelBindingData) {
        this.password = password.clone();
        this.clientNonce = clientNonce;
        switch (gs2Flag) {
            case 'n':
            case 'y':
                this.gs2Header = gs2Flag + ",,";
                this.channelBindingData = new byte[0];
                break;
            case 'p':
                if (channelBindingData == null) {
                    throw new IllegalArgumentException("channel binding data is required for gs2 flag p");
                }
                this.gs2Header = "p=tls-server-end-point,,";
                this.channelBindingData = channelBindingData.clone();
                break;
            default:
                throw new IllegalArgumentException("gs2 flag must be n, y or p");
        }
        this.clientFirstBare = "n=" + saslName(username) + ",r=" + clientNonce;
    }

    String clientFirstMessage() {
        return gs2Header + clientFirstBare;
    }

    String clientFinalMessage(String serverFirst) {
        if (password == null) {
            throw new AuthenticationException("SCRAM: server sent a second server-first-message");
        }
        int iterations = iterationCount(serverFirst);
        if (!serverFirst.startsWith("r=" + clientNonce) || serverFirst.startsWith("r=" + clientNonce + ",")) {
            throw new AuthenticationException("SCRAM: the server nonce does not extend the client nonce;"
                    + " the server is not following the protocol (possible replay or impostor)");
        }
        ServerFirstMessage first;
        try {
            first = ServerFirstMessage.parseFrom(serverFirst, clientNonce);
        } catch (ScramParseException | IllegalArgumentException e) {
            throw new AuthenticationException("SCRAM: malformed server-first-message from the server: "
                    + e.getMessage(), e);
        }
        String nonce = first.getNonce();
        if (!nonce.startsWith(clientNonce) || nonce.length() <= clientNonce.length()) {
            throw new AuthenticationException("SCRAM: the server nonce does not extend the client nonce;"
                    + " the server is not following the protocol (possible replay or impostor)");
        }
        byte[] salt;
        try {
            salt = Base64.getDecoder().decode(first.getSalt());
        } catch (IllegalArgumentException e) {
            throw new AuthenticationException("SCRAM: the salt in the server-first-message is not base64", e);
        }
        byte[] salted;
        try {
            salted = ScramFunctions.saltedPassword(HASH, StringPreparation.POSTGRESQL_PREPARATION, password, salt,
                    iterations);
        } catch (RuntimeException e) {
            // e.g. an empty salt; the cause is the JDK's or the library's message, which never holds the password
            throw new AuthenticationException("SCRAM: cannot derive the key from the server's salt and iteration"
                    + " count: " + e.getClass().getSimpleName(), e);
        } finally {
            Arrays.fill(password, '\0');
            password = null;
        }

        byte[] cbindInput = new byte[gs2Header.length() + channelBindingData.length];
        byte[] header = gs2Header.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(header, 0, cbindInput, 0, header.length);
        System.arraycopy(channelBindingData, 0, cbindInput, header.length, channelBindingData.length);
        String withoutProof = "c=" + Base64.getEncoder().encodeToString(cbindInput) + ",r=" + nonce;
        String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;

        byte[] clientKey = ScramFunctions.clientKey(HASH, salted);
        byte[] storedKey = ScramFunctions.storedKey(HASH, clientKey);
        byte[] clientSignature = ScramFunctions.clientSignature(HASH, storedKey, authMessage);
        byte[] proof = ScramFunctions.clientProof(clientKey, clientSignature);
        byte[] serverKey = ScramFunctions.serverKey(HASH, salted);
        expectedServerSignature = ScramFunctions.serverSignature(HASH, serverKey, authMessage);
        Arrays.fill(salted, (byte) 0);
        Arrays.fill(clientKey, (byte) 0);
        Arrays.fill(serverKey, (byte) 0);
        return withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof);
    }

    void verifyServerFinal(String serverFinal) {
        if (expectedServerSignature == null) {
            throw new AuthenticationException("SCRAM: server-final-message arrived before the client-final-message");
        }
        if (serverFinal.startsWith("e=")) {
            int end = serverFinal.indexOf(',');
            String error = end < 0 ? serverFinal.substring(2) : serverFinal.substring(2, end);
            throw new AuthenticationException("SCRAM: the server rejected the authentication: " + error);
        }
        if (!serverFinal.startsWith("v=")) {
            throw new AuthenticationException("SCRAM: malformed server-final-message (no v= or e= attribute)");
        }
        int end = serverFinal.indexOf(',');
        byte[] signature;
        try {
            signature = Base64.getDecoder().decode(end < 0 ? serverFinal.substring(2) : serverFinal.substring(2, end));
        } catch (IllegalArgumentException e) {
            throw new AuthenticationException("SCRAM: the server signature is not base64", e);
        }
        if (!MessageDigest.isEqual(expectedServerSignature, signature)) {
            throw new AuthenticationException("SCRAM: the server signature does not verify: the server does not know"
                    + " the password's SCRAM secret (possible impostor or man in the middle)");
        }
        verified = true;
    }

    boolean isVerified() {
        return verified;
    }

    /** Read before the library parses, so an absurd count is refused with a clear reason and no work done. */
    private static int iterationCount(String serverFirst) {
        for (String attr : serverFirst.split(",")) {
            if (attr.startsWith("i=")) {
                long i;
                try {
                    i = Long.parseLong(attr.substring(2));
                } catch (NumberFormatException e) {
                    throw new AuthenticationException("SCRAM: the server's iteration count '" + attr.substring(2)
                            + "' is not a number");
                }
                if (i < 1 || i > MAX_ITERATIONS) {
                    throw new AuthenticationException("SCRAM: the server asked for " + i + " iterations; allowed is 1 to "
                            + MAX_ITERATIONS + " (a larger count lets a hostile server burn client CPU)");
                }
                return (int) i;
            }
        }
        throw new AuthenticationException("SCRAM: malformed server-first-message (no iteration count)");
    }

    private static String saslName(String username) {
        return username.replace("=", "=3D").replace(",", "=2C");
    }

    @Override
    public String toString() {
        return "ScramSession[" + gs2Header.charAt(0) + ", verified=" + verified + "]";
    }
}
