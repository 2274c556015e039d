package io.camelpgrepl.client.wire;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.camelpgrepl.client.ProtocolException;
import io.camelpgrepl.client.ServerError;

/** Decoders for the backend messages of the startup and simple-query phases. */
public final class BackendMessages {

    private BackendMessages() {
    }

    /** ErrorResponse ('E') or NoticeResponse ('N') body. */
    public static ServerError serverError(Frame frame) {
        Map<Character, String> fields = new LinkedHashMap<>();
        ByteBuffer b = frame.buffer();
        try {
            while (b.hasRemaining()) {
                byte code = b.get();
                if (code == 0) {
                    break;
                }
                fields.put((char) code, cstring(b, frame));
            }
        } catch (ProtocolException e) {
            fields.putIfAbsent('M', "(truncated error message)");
        }
        String severity = fields.getOrDefault('V', fields.getOrDefault('S', "ERROR"));
        return new ServerError(severity, fields.getOrDefault('C', "XX000"), fields.getOrDefault('M', ""),
                fields.get('D'), fields.get('H'), fields);
    }

    /** ParameterStatus ('S'): name and value. */
    public static Map.Entry<String, String> parameterStatus(Frame frame) {
        ByteBuffer b = frame.buffer();
        return Map.entry(cstring(b, frame), cstring(b, frame));
    }

    /** RowDescription ('T'): the column names. */
    public static List<String> rowDescription(Frame frame) {
        ByteBuffer b = frame.buffer();
        try {
            int n = b.getShort() & 0xFFFF;
            List<String> names = new ArrayList<>(Math.min(n, 64));
            for (int i = 0; i < n; i++) {
                names.add(cstring(b, frame));
                b.position(b.position() + 18);
            }
            return names;
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new ProtocolException("Malformed RowDescription from server");
        }
    }

    /** DataRow ('D') in text format: values, null for SQL NULL. */
    public static List<String> dataRow(Frame frame) {
        ByteBuffer b = frame.buffer();
        try {
            int n = b.getShort() & 0xFFFF;
            List<String> values = new ArrayList<>(Math.min(n, 64));
            for (int i = 0; i < n; i++) {
                int len = b.getInt();
                if (len < 0) {
                    values.add(null);
                } else {
                    if (len > b.remaining()) {
                        throw new ProtocolException("Malformed DataRow from server: value length " + len
                                + " exceeds the " + b.remaining() + " bytes left");
                    }
                    values.add(new String(b.array(), b.position(), len, StandardCharsets.UTF_8));
                    b.position(b.position() + len);
                }
            }
            return values;
        } catch (BufferUnderflowException e) {
            throw new ProtocolException("Malformed DataRow from server (truncated)");
        }
    }

    /**
     * DataRow ('D') without copying a value: fills each column's offset into the body and its length (-1 for SQL
     * NULL).
     *
     * @throws ProtocolException when the row does not have {@code offsets.length} columns or is truncated
     */
    public static void dataRowLayout(Frame frame, int[] offsets, int[] lengths) {
        ByteBuffer b = frame.buffer();
        try {
            int n = b.getShort() & 0xFFFF;
            if (n != offsets.length) {
                throw new ProtocolException("DataRow from server has " + n + " columns, expected " + offsets.length);
            }
            for (int i = 0; i < n; i++) {
                int len = b.getInt();
                offsets[i] = b.position();
                lengths[i] = len < 0 ? -1 : len;
                if (len > b.remaining()) {
                    throw new ProtocolException("Malformed DataRow from server: value length " + len
                            + " exceeds the " + b.remaining() + " bytes left");
                }
                if (len > 0) {
                    b.position(b.position() + len);
                }
            }
        } catch (BufferUnderflowException e) {
            throw new ProtocolException("Malformed DataRow from server (truncated)");
        }
    }

    /** A NUL-terminated UTF-8 string at the buffer's position; the position moves past the NUL. */
    public static String cstring(ByteBuffer b, Frame frame) {
        int from = b.position();
        for (int i = from; i < b.limit(); i++) {
            if (b.get(i) == 0) {
                String s = new String(b.array(), b.arrayOffset() + from, i - from, StandardCharsets.UTF_8);
                b.position(i + 1);
                return s;
            }
        }
        throw new ProtocolException("Unterminated string in backend message '" + frame.typeChar() + "'");
    }
}
