package io.camelpgrepl.client.wire;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Encoders for the frontend messages the replication client sends. Each returns the complete message. */
public final class FrontendMessages {

    /** SSLRequest code 80877103. */
    public static final int SSL_REQUEST_CODE = 80877103;
    private static final int PROTOCOL_3_0 = 196608;

    private FrontendMessages() {
    }

    public static byte[] sslRequest() {
        return ByteBuffer.allocate(8).putInt(8).putInt(SSL_REQUEST_CODE).array();
    }

    /** StartupMessage, protocol 3.0, with the given parameters in order. */
    public static byte[] startup(Map<String, String> parameters) {
        ByteArrayOutputStream body = new ByteArrayOutputStream(128);
        writeInt(body, PROTOCOL_3_0);
        for (Map.Entry<String, String> e : parameters.entrySet()) {
            cstring(body, e.getKey());
            cstring(body, e.getValue());
        }
        body.write(0);
        byte[] b = body.toByteArray();
        return ByteBuffer.allocate(4 + b.length).putInt(4 + b.length).put(b).array();
    }

    /** A typed message: {@code type | int32 length | payload}. */
    public static byte[] typed(char type, byte[] payload) {
        return ByteBuffer.allocate(5 + payload.length).put((byte) type).putInt(4 + payload.length).put(payload)
                .array();
    }

    /** Simple Query ('Q'). */
    public static byte[] query(String sql) {
        byte[] s = sql.getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[s.length + 1];
        System.arraycopy(s, 0, payload, 0, s.length);
        return typed('Q', payload);
    }

    /** CopyDone ('c'). */
    public static byte[] copyDone() {
        return new byte[] {'c', 0, 0, 0, 4};
    }

    /** Terminate ('X'). */
    public static byte[] terminate() {
        return new byte[] {'X', 0, 0, 0, 4};
    }

    private static void writeInt(ByteArrayOutputStream out, int v) {
        out.write(v >>> 24);
        out.write(v >>> 16);
        out.write(v >>> 8);
        out.write(v);
    }

    private static void cstring(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write(b, 0, b.length);
        out.write(0);
    }
}
