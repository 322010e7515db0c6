package io.voidrail.codec;

import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.MissingNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Maps Java values to and from the JSON of the wire. One instance is shared by the router, dealers and
 * clients of an application; Spring applications may pass their own {@link JsonMapper}.
 *
 * <p>Reading accepts everything Python's {@code json.dumps} writes, {@code NaN} and {@code Infinity}
 * included. Records, POJOs, generics, {@code Optional}, {@code java.time} and {@code byte[]} (base64)
 * are handled by Jackson 3 itself.
 *
 * <p>Frames are parsed under fixed bounds, whatever the application's mapper allows: at most
 * {@value #MAX_NESTING_DEPTH} levels of nesting and {@value #MAX_NUMBER_LENGTH} characters a number, and, in
 * {@link #limitedTo(long) a limited codec} (the router's), at most that many bytes a document and a string.
 * A frame over a bound fails to parse like any other bad JSON, early and cheaply.
 */
public final class JsonCodec {

    private static final JsonCodec DEFAULT = new JsonCodec(defaultMapperBuilder().build());

    /** Levels of nesting a frame may have; deeper ones are refused before they cost stack or time. */
    public static final int MAX_NESTING_DEPTH = 256;
    /** Characters a number in a frame may have (Python's ints are unbounded; real payloads stay far below). */
    public static final int MAX_NUMBER_LENGTH = 256;

    private final JsonMapper mapper;
    /** Parses frames: the wire's features (Python's NaN and Infinity) and bounds. */
    private final JsonFactory wire;
    private final long maxDocumentLength;

    public JsonCodec(JsonMapper mapper) {
        // the wire must accept what Python emits, whatever the application's mapper says
        this(mapper.isEnabled(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS) ? mapper
                : mapper.rebuild().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build(), 0);
    }

    private JsonCodec(JsonMapper mapper, long maxDocumentLength) {
        this.mapper = mapper;
        this.maxDocumentLength = maxDocumentLength;
        StreamReadConstraints.Builder bounds = StreamReadConstraints.builder()
                .maxNestingDepth(MAX_NESTING_DEPTH)
                .maxNumberLength(MAX_NUMBER_LENGTH);
        if (maxDocumentLength > 0) {
            bounds.maxDocumentLength(maxDocumentLength)
                    .maxStringLength((int) Math.min(maxDocumentLength, StreamReadConstraints.DEFAULT_MAX_STRING_LEN));
        }
        this.wire = mapper.tokenStreamFactory().rebuild()
                .recyclerPool(WireBuffers.INSTANCE)
                .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .streamReadConstraints(bounds.build())
                .build();
    }

    /**
     * This codec, parsing no document (and no string) over {@code maxBytes}; 0 means no limit beyond the fixed
     * bounds. The mapper is shared.
     */
    public JsonCodec limitedTo(long maxBytes) {
        return maxBytes == maxDocumentLength ? this : new JsonCodec(mapper, Math.max(0, maxBytes));
    }

    /** The largest document parsed, in bytes; 0 when unlimited. */
    public long maxDocumentLength() {
        return maxDocumentLength;
    }

    /** The codec with VoidRail's default mapper. */
    public static JsonCodec defaults() {
        return DEFAULT;
    }

    /**
     * VoidRail's default mapper settings: Python-compatible reading, lenient about unknown properties, a platform
     * thread's own buffers for writing (as the codec always has for parsing; an application's mapper writes with its
     * own pool), and long plain ASCII strings written as their bytes (as the codec always reads them).
     */
    public static JsonMapper.Builder defaultMapperBuilder() {
        return JsonMapper.builder(JsonFactory.builder().recyclerPool(WireBuffers.INSTANCE)
                .addDecorator((factory, generator) -> new AsciiStrings.Writer(generator)).build())
                .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    }

    public JsonMapper mapper() {
        return mapper;
    }

    public ObjectNode object() {
        return mapper.createObjectNode();
    }

    public ArrayNode array() {
        return mapper.createArrayNode();
    }

    /** Parses a frame; throws {@link JacksonException} when it is not JSON or exceeds the bounds. */
    public JsonNode read(byte[] frame) {
        try (JsonParser parser = new AsciiStrings.Reader(parser(frame), frame)) {
            JsonNode node = mapper.readTree(parser);
            return node != null ? node : MissingNode.getInstance();
        }
    }

    /** Parses a frame, or returns {@code null} when it is empty, not JSON or over the bounds. */
    public @Nullable JsonNode readOrNull(byte @Nullable [] frame) {
        if (frame == null || frame.length == 0) {
            return null;
        }
        try {
            return read(frame);
        }
        catch (JacksonException ex) {
            return null;
        }
    }

    /** A streaming parser of a frame, with the wire's features and bounds (the caller closes it). */
    public JsonParser parser(byte[] frame) {
        return wire.createParser(ObjectReadContext.empty(), frame);
    }

    /**
     * A top-level string field of a frame that may not parse as a whole (too deep, too long, cut): read as a stream
     * up to the field, so that a refused call can still be answered under its {@code request_id} (Java and Python
     * peers write it before the arguments). Only the first kilobyte is looked at, so the cost stays fixed.
     * {@code null} when the field is not found there.
     */
    public @Nullable String topLevelText(byte[] frame, String field) {
        int length = (int) Math.min(frame.length, maxDocumentLength > 0 ? Math.min(1024, maxDocumentLength) : 1024);
        try (JsonParser parser = wire.createParser(ObjectReadContext.empty(), frame, 0, length)) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            for (JsonToken token = parser.nextToken(); token == JsonToken.PROPERTY_NAME; token = parser.nextToken()) {
                boolean wanted = field.equals(parser.currentName());
                JsonToken value = parser.nextToken();
                if (wanted) {
                    return value == JsonToken.VALUE_STRING ? parser.getString() : null;
                }
                parser.skipChildren();
            }
            return null;
        }
        catch (JacksonException ex) {
            return null;
        }
    }

    public byte[] write(JsonNode node) {
        return mapper.writeValueAsBytes(node);
    }

    public String writeString(JsonNode node) {
        return new String(write(node), StandardCharsets.UTF_8);
    }

    /** A Java value as a JSON tree. */
    public JsonNode toTree(@Nullable Object value) {
        return mapper.valueToTree(value);
    }

    /** A JSON tree as a value of the given (possibly generic) type; throws {@link JacksonException} on mismatch. */
    public @Nullable Object fromTree(JsonNode node, Type type) {
        return fromTree(node, mapper.constructType(type));
    }

    public @Nullable Object fromTree(JsonNode node, JavaType type) {
        return mapper.treeToValue(node, type);
    }

    public <T> @Nullable T fromTree(JsonNode node, Class<T> type) {
        return mapper.treeToValue(node, type);
    }

    public JavaType type(Type type) {
        return mapper.constructType(type);
    }
}
