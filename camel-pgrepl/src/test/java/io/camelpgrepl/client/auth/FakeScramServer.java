package io.camelpgrepl.client.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The server side of SCRAM-SHA-256, written with the JDK alone (independent of the client under test), for
 * exchanges the RFC has no vectors for (channel binding). ASCII passwords only: no SASLprep.
 */
final class FakeScramServer {

    private final String password;
    private final byte[] salt = "fake-server-salt".getBytes(StandardCharsets.US_ASCII);
    private final int iterations = 4096;
    private String clientFirstBare;
    private String serverFirst;
    private String gs2Header;

    FakeScramServer(String password) {
        this.password = password;
    }

    /** @param clientFirst the whole client-first-message, gs2 header included */
    String serverFirst(String clientFirst) {
        int bareStart = clientFirst.indexOf(",", clientFirst.indexOf(",") + 1) + 1;
        gs2Header = clientFirst.substring(0, bareStart);
        clientFirstBare = clientFirst.substring(bareStart);
        String clientNonce = clientFirstBare.substring(clientFirstBare.indexOf(",r=") + 3);
        serverFirst = "r=" + clientNonce + "ServerPart,s=" + Base64.getEncoder().encodeToString(salt) + ",i="
                + iterations;
        return serverFirst;
    }

    String gs2Header() {
        return gs2Header;
    }

    /** Checks the channel binding and the proof; returns the server-final-message (e= on failure). */
    String serverFinal(String clientFinal, byte[] expectedChannelBindingData) throws Exception {
        byte[] header = gs2Header.getBytes(StandardCharsets.US_ASCII);
        byte[] cbind = new byte[header.length + expectedChannelBindingData.length];
        System.arraycopy(header, 0, cbind, 0, header.length);
        System.arraycopy(expectedChannelBindingData, 0, cbind, header.length, expectedChannelBindingData.length);
        String withoutProof = clientFinal.substring(0, clientFinal.indexOf(",p="));
        if (!withoutProof.startsWith("c=" + Base64.getEncoder().encodeToString(cbind) + ",")) {
            return "e=channel-bindings-dont-match";
        }
        byte[] proof = Base64.getDecoder().decode(clientFinal.substring(clientFinal.indexOf(",p=") + 3));
        String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
        byte[] salted = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                .generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, 256)).getEncoded();
        byte[] clientKey = hmac(salted, "Client Key");
        byte[] storedKey = MessageDigest.getInstance("SHA-256").digest(clientKey);
        byte[] clientSignature = hmac(storedKey, authMessage);
        byte[] recoveredClientKey = new byte[proof.length];
        for (int i = 0; i < proof.length; i++) {
            recoveredClientKey[i] = (byte) (proof[i] ^ clientSignature[i]);
        }
        if (!MessageDigest.isEqual(storedKey, MessageDigest.getInstance("SHA-256").digest(recoveredClientKey))) {
            return "e=invalid-proof";
        }
        return "v=" + Base64.getEncoder().encodeToString(hmac(hmac(salted, "Server Key"), authMessage));
    }

    private static byte[] hmac(byte[] key, String data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    }
}
