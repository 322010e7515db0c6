package io.voidrail.router;

import static io.voidrail.internal.protocol.Protocol.TIMEOUT_MS;

import java.util.Set;

import org.jspecify.annotations.Nullable;

import io.voidrail.codec.JsonCodec;
import io.voidrail.internal.protocol.Protocol;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the router reads of a call or a reply, in one pass over its JSON: the top-level fields except the body (the
 * arguments or the result, checked for syntax and bounds but never built: the router forwards them as bytes, and on a
 * 1 MiB argument the tree is most of the cost), and where the number of a top-level {@code timeout_ms} is, so that
 * {@link TimeLeft} can replace it at dispatch without reading the request again.
 *
 * @param fields      the header: an object without the body; a frame that is not an object is read whole
 * @param timeoutFrom where the number of the top-level {@code timeout_ms} starts; -1 when there is none
 * @param timeoutTo   where it ends (exclusive)
 */
record Header(JsonNode fields, int timeoutFrom, int timeoutTo) {

    /** The body of a call and of a reply. */
    static final Set<String> CALL_BODY = Set.of(Protocol.ARGS, Protocol.KWARGS);
    static final Set<String> REPLY_BODY = Set.of(Protocol.RESULT, Protocol.DATA);

    /** Reads headers with a codec's parser and bounds. */
    static final class Reader {

        private final JsonCodec codec;
        private final JsonNodeFactory nodes;
        /** Reads one value in the middle of a document (the mapper would take the rest of it for trailing tokens). */
        private final ObjectReader valueReader;

        Reader(JsonCodec codec) {
            this.codec = codec;
            this.nodes = codec.mapper().getNodeFactory();
            this.valueReader = codec.mapper().reader().without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        }

        /** {@code null} when the frame is empty, not JSON or over the codec's bounds. */
        @Nullable Header read(byte @Nullable [] frame, Set<String> body) {
            if (frame == null || frame.length == 0) {
                return null;
            }
            try (JsonParser parser = codec.parser(frame)) {
                if (parser.nextToken() != JsonToken.START_OBJECT) {
                    JsonNode whole = codec.readOrNull(frame);
                    return whole == null ? null : new Header(whole, -1, -1);
                }
                ObjectNode fields = codec.object();
                int timeoutFrom = -1;
                int timeoutTo = -1;
                for (JsonToken token = parser.nextToken(); token == JsonToken.PROPERTY_NAME; token = parser.nextToken()) {
                    String name = parser.currentName();
                    JsonToken value = parser.nextToken();
                    if (body.contains(name)) {
                        parser.skipChildren();
                        continue;
                    }
                    if (TIMEOUT_MS.equals(name)) { // the last one counts, as in the fields
                        timeoutFrom = value.isNumeric() ? (int) parser.currentTokenLocation().getByteOffset() : -1;
                        timeoutTo = timeoutFrom < 0 ? -1 : timeoutFrom + parser.getTextLength(); // a number is ASCII
                    }
                    fields.set(name, scalarOrTree(parser, value));
                }
                if (parser.currentToken() != JsonToken.END_OBJECT || parser.nextToken() != null) {
                    return null; // cut short, or more after the object (as the mapper refuses trailing tokens)
                }
                return new Header(fields, timeoutFrom, timeoutTo);
            }
            catch (JacksonException ex) {
                return null;
            }
        }

        /**
         * The header's strings and integers, built directly: the mapper's tree reader costs a lookup of its
         * deserialiser per value, which was a tenth of the router's time. Other values are read as the mapper reads them.
         */
        private JsonNode scalarOrTree(JsonParser parser, JsonToken value) {
            if (value == JsonToken.VALUE_STRING) {
                return nodes.stringNode(parser.getString());
            }
            if (value == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() == JsonParser.NumberType.INT) {
                return nodes.numberNode(parser.getIntValue());
            }
            if (value == JsonToken.VALUE_NUMBER_INT && parser.getNumberType() == JsonParser.NumberType.LONG) {
                return nodes.numberNode(parser.getLongValue());
            }
            return valueReader.readTree(parser);
        }
    }
}
