package io.voidrail.router;

import static io.voidrail.internal.protocol.Protocol.TIMEOUT_MS;

import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;

import io.voidrail.codec.JsonCodec;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.node.ObjectNode;

/**
 * Tells a dealer that announced {@code "timeout"} how much time a call has left at dispatch, by setting the request's
 * top-level {@code "timeout_ms"}. Only that number changes: the rest of the JSON is copied byte for byte, never
 * re-serialised (a request may be megabytes). The Java client writes the key before the arguments, so finding it
 * reads a few dozen bytes.
 */
final class TimeLeft {

    private TimeLeft() {
    }

    /**
     * @param hasField whether the request has a top-level {@code timeout_ms} (known from its parse on arrival)
     */
    static byte[] set(byte[] json, boolean hasField, long millis, JsonCodec codec) {
        byte[] number = Long.toString(millis).getBytes(StandardCharsets.US_ASCII);
        if (hasField) {
            long[] span = valueSpan(json, codec);
            if (span != null) {
                return splice(json, (int) span[0], (int) span[1], number);
            }
            // not where a well-formed request has it: take the slow road
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

    /** Where the number of the top-level {@code timeout_ms} starts and ends, or {@code null}. */
    private static long @Nullable [] valueSpan(byte[] json, JsonCodec codec) {
        try (JsonParser parser = codec.parser(json)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (parser.nextToken() == JsonToken.PROPERTY_NAME) {
                String name = parser.currentName();
                JsonToken value = parser.nextToken();
                if (TIMEOUT_MS.equals(name)) {
                    if (!value.isNumeric()) {
                        return null;
                    }
                    long start = parser.currentTokenLocation().getByteOffset();
                    return new long[] { start, start + parser.getTextLength() }; // a JSON number is ASCII
                }
                parser.skipChildren();
            }
            return null;
        }
    }

    private static byte[] splice(byte[] json, int from, int to, byte[] insert) {
        byte[] out = new byte[json.length - (to - from) + insert.length];
        System.arraycopy(json, 0, out, 0, from);
        System.arraycopy(insert, 0, out, from, insert.length);
        System.arraycopy(json, to, out, from + insert.length, json.length - to);
        return out;
    }
}
