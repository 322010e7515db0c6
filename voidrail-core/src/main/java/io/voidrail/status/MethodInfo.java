package io.voidrail.status;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A method as discovery ({@code methods}) reports it.
 *
 * @param name        public name, e.g. {@code EchoService.add}
 * @param description what the dealer says it does, if anything
 * @param params      parameter name to description, empty when none were published
 * @param stream      whether it answers with a stream
 * @param metadata    free metadata the dealer published
 */
public record MethodInfo(String name, @Nullable String description, Map<String, String> params, boolean stream,
        Map<String, Object> metadata) {
}
