package io.voidrail.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Set;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

/** {@link JsonCodec#readOrNullSkipping}: what a router reads of a call or a reply. */
class JsonHeaderTests {

    private static final Set<String> BODY = Set.of("args", "kwargs");
    private final JsonCodec codec = JsonCodec.defaults();

    private JsonNode header(String json) {
        return codec.readOrNullSkipping(json.getBytes(StandardCharsets.UTF_8), BODY);
    }

    @Test
    void keepsEveryFieldButTheSkippedOnes() {
        JsonNode header = header("{\"type\": \"request\", \"request_id\": \"r1\", \"args\": [1, {\"deep\": [2]}], "
                + "\"kwargs\": {\"a\": \"x\"}, \"timeout_ms\": 1500, \"headers\": {\"trace\": \"t\"}, \"progress\": true}");
        assertThat(header.properties()).extracting(e -> e.getKey())
                .containsExactly("type", "request_id", "timeout_ms", "headers", "progress");
        assertThat(header.get("request_id").asString()).isEqualTo("r1");
        assertThat(header.get("timeout_ms").asLong()).isEqualTo(1500);
        assertThat(header.get("headers").get("trace").asString()).isEqualTo("t");
        assertThat(header).isEqualTo(codec.read(("{\"type\": \"request\", \"request_id\": \"r1\", \"timeout_ms\": 1500, "
                + "\"headers\": {\"trace\": \"t\"}, \"progress\": true}").getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void aSkippedValueMustStillBeJsonWithinTheBounds() {
        assertThat(header("{\"request_id\": \"r1\", \"args\": [1, }")).isNull();
        assertThat(header("{\"request_id\": \"r1\", \"args\": [1, 2]")).as("cut short").isNull();
        assertThat(header("{\"request_id\": \"r1\"} {}")).as("trailing, as the mapper refuses them").isNull();
        assertThat(codec.readOrNull("{\"request_id\": \"r1\"} {}".getBytes(StandardCharsets.UTF_8))).isNull();
        String deep = "[".repeat(JsonCodec.MAX_NESTING_DEPTH + 1) + "]".repeat(JsonCodec.MAX_NESTING_DEPTH + 1);
        assertThat(header("{\"request_id\": \"r1\", \"args\": " + deep + "}")).isNull();
        assertThat(header("{\"request_id\": \"r1\", \"args\": [NaN, Infinity]}")).as("what Python writes").isNotNull();
    }

    @Test
    void aFrameThatIsNotAnObjectReadsAsAWhole() {
        assertThat(header("[1, 2]")).isEqualTo(codec.readOrNull("[1, 2]".getBytes(StandardCharsets.UTF_8)));
        assertThat(header("\"text\"").isString()).isTrue();
        assertThat(header("not json")).isNull();
        assertThat(codec.readOrNullSkipping(new byte[0], BODY)).isNull();
        assertThat(codec.readOrNullSkipping(null, BODY)).isNull();
    }
}
