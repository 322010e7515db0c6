package io.voidrail.cli;

import org.jspecify.annotations.Nullable;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.cfg.EnumFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON for the command's output. Records are written in snake_case so that {@code --json} shows the wire's
 * names ({@code max_concurrent}, {@code queue_length}), the same as the router's own answers, and enums in lower
 * case ({@code active}, {@code fifo}).
 */
final class Json {

    static final JsonMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(EnumFeature.WRITE_ENUMS_TO_LOWERCASE) // "active", "fifo": the wire's names of states and modes
            .build();

    private Json() {
    }

    /** One line of compact JSON. */
    static String write(Object value) {
        return MAPPER.writeValueAsString(value);
    }

    /** A value for people: text as is, anything else as compact JSON. */
    static String human(JsonNode value) {
        return value.isString() ? value.asString() : write(value);
    }

    /** A table cell: nothing for a missing value, text as is, anything else as compact JSON. */
    static String cell(@Nullable Object value) {
        if (value == null) {
            return "";
        }
        return value instanceof CharSequence || value instanceof Number || value instanceof Boolean
                ? value.toString() : write(value);
    }
}
