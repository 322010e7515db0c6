package io.voidrail.router;

import static io.voidrail.internal.protocol.Protocol.TIMEOUT_MS;

import java.nio.charset.StandardCharsets;

import io.voidrail.codec.JsonCodec;
import tools.jackson.databind.node.ObjectNode;

/**
 * Tells a dealer that announced {@code "timeout"} how much time a call has left at dispatch, by setting the request's
 * top-level {@code "timeout_ms"}. Only that number changes: the rest of the JSON is copied byte for byte, never
 * re-serialised (a request may be megabytes). Where the number is comes from the request's {@link Header}, read once
 * on arrival.
 */
final class TimeLeft {

    private TimeLeft() {
    }

    /**
     * @param hasField    whether the request has a top-level {@code timeout_ms} (known from its {@link Header})
     * @param timeoutFrom where that field's number starts, as its header found it; -1 when it is not a number
     * @param timeoutTo   where the number ends (exclusive)
     */
    static byte[] set(byte[] json, boolean hasField, int timeoutFrom, int timeoutTo, long millis, JsonCodec codec) {
        byte[] number = Long.toString(millis).getBytes(StandardCharsets.US_ASCII);
        if (timeoutFrom >= 0) {
            return splice(json, timeoutFrom, timeoutTo, number);
        }
        if (hasField) {
            // not a number, which a well-formed request has: take the slow road
            ObjectNode tree = (ObjectNode) codec.read(json);
            tree.put(TIMEOUT_MS, millis);
            return codec.write(tree);
        }
        int close = json.length - 1;
        while (close > 0 && json[close] != '}') {
            close--;
        }
        int before = close - 1;
        while (before > 0 && Character.isWhitespace(json[before])) {
            before--;
        }
        byte[] field = ((json[before] == '{' ? "" : ",") + "\"" + TIMEOUT_MS + "\":" + millis)
                .getBytes(StandardCharsets.US_ASCII);
        return splice(json, close, close, field);
    }

    private static byte[] splice(byte[] json, int from, int to, byte[] insert) {
        byte[] out = new byte[json.length - (to - from) + insert.length];
        System.arraycopy(json, 0, out, 0, from);
        System.arraycopy(insert, 0, out, from, insert.length);
        System.arraycopy(json, to, out, from + insert.length, json.length - to);
        return out;
    }
}
