package io.voidrail.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.voidrail.client.CallSpec;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.node.StringNode;

/**
 * What {@code --args} means, as in the original: a JSON object gives keyword arguments, a JSON array
 * positional arguments, any other JSON value one argument, and text that is not JSON one string.
 */
record CallArguments(List<JsonNode> args, Map<String, JsonNode> kwargs) {

    static final CallArguments NONE = new CallArguments(List.of(), Map.of());

    // "[1,2] x" is not JSON: it must become one string, not the array with the rest ignored
    private static final ObjectReader READER = Json.MAPPER.readerFor(JsonNode.class)
            .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    static CallArguments parse(String text) {
        JsonNode json;
        try {
            json = READER.readTree(text);
        }
        catch (JacksonException ex) {
            json = null;
        }
        if (json == null || json.isMissingNode()) {
            return new CallArguments(List.of(StringNode.valueOf(text)), Map.of());
        }
        if (json.isObject()) {
            Map<String, JsonNode> kwargs = new LinkedHashMap<>();
            json.properties().forEach(entry -> kwargs.put(entry.getKey(), entry.getValue()));
            return new CallArguments(List.of(), kwargs);
        }
        if (json.isArray()) {
            List<JsonNode> args = new ArrayList<>();
            json.values().forEach(args::add);
            return new CallArguments(args, Map.of());
        }
        return new CallArguments(List.of(json), Map.of());
    }

    CallSpec applyTo(CallSpec call) {
        args.forEach(call::arg);
        kwargs.forEach(call::kwarg);
        return call;
    }
}
