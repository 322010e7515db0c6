package io.voidrail.codec;

import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;

import tools.jackson.core.JacksonException;
import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Maps Java values to and from the JSON of the wire. One instance is shared by the router, dealers and
 * clients of an application; Spring applications may pass their own {@link JsonMapper}.
 *
 * <p>Reading accepts everything Python's {@code json.dumps} writes, {@code NaN} and {@code Infinity}
 * included. Records, POJOs, generics, {@code Optional}, {@code java.time} and {@code byte[]} (base64)
 * are handled by Jackson 3 itself.
 */
public final class JsonCodec {

    private static final JsonCodec DEFAULT = new JsonCodec(defaultMapperBuilder().build());

    private final JsonMapper mapper;

    public JsonCodec(JsonMapper mapper) {
        // the wire must accept what Python emits, whatever the application's mapper says
        this.mapper = mapper.isEnabled(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS) ? mapper
                : mapper.rebuild().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();
    }

    /** The codec with VoidRail's default mapper. */
    public static JsonCodec defaults() {
        return DEFAULT;
    }

    /** VoidRail's default mapper settings: Python-compatible reading, lenient about unknown properties. */
    public static JsonMapper.Builder defaultMapperBuilder() {
        return JsonMapper.builder()
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

    /** Parses a frame; throws {@link JacksonException} when it is not JSON. */
    public JsonNode read(byte[] frame) {
        return mapper.readTree(frame);
    }

    /** Parses a frame, or returns {@code null} when it is empty or not JSON. */
    public @Nullable JsonNode readOrNull(byte @Nullable [] frame) {
        if (frame == null || frame.length == 0) {
            return null;
        }
        try {
            return mapper.readTree(frame);
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
