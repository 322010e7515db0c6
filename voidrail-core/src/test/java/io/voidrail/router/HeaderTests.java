package io.voidrail.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Set;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import io.voidrail.codec.JsonCodec;
import tools.jackson.databind.JsonNode;

/** {@link Header}: what a router reads of a call or a reply. */
class HeaderTests {

    private static final Set<String> BODY = Header.CALL_BODY;
    private final JsonCodec codec = JsonCodec.defaults();
    private final Header.Reader reader = new Header.Reader(codec);

    private @Nullable JsonNode header(String json) {
        Header header = reader.read(json.getBytes(StandardCharsets.UTF_8), BODY);
        return header != null ? header.fields() : null;
    }

    private String timeoutNumber(String json) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        Header header = reader.read(bytes, BODY);
        assertThat(header).isNotNull();
        return header.timeoutFrom() < 0 ? "none"
                : new String(bytes, header.timeoutFrom(), header.timeoutTo() - header.timeoutFrom(), StandardCharsets.UTF_8);
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
        assertThat(reader.read(new byte[0], BODY)).isNull();
        assertThat(reader.read(null, BODY)).isNull();
    }

    @Test
    void scalarsAreTheNodesTheMappersTreeWouldHave() {
        String json = "{\"s\": \"t\u00e9xt\", \"i\": 7, \"l\": 12345678901, \"big\": 123456789012345678901234567890, "
                + "\"f\": 1.5, \"nan\": NaN, \"b\": false, \"n\": null, \"o\": {\"x\": [1]}}";
        JsonNode header = header(json);
        JsonNode tree = codec.read(json.getBytes(StandardCharsets.UTF_8));
        assertThat(header).isEqualTo(tree);
        header.properties().forEach(field -> assertThat(field.getValue().getClass()).as(field.getKey())
                .isEqualTo(tree.get(field.getKey()).getClass()));
    }

    @Test
    void findsTheTopLevelTimeoutNumberPastNestedOnesAndStringsThatLookLikeIt() {
        assertThat(timeoutNumber("{\"request_id\": \"r\", \"timeout_ms\": 30000, \"args\": [1]}")).isEqualTo("30000");
        assertThat(timeoutNumber("{\"args\": [\"\\\"timeout_ms\\\": 7\", {\"timeout_ms\": 8}], \"kwargs\": {\"timeout_ms\": 9}, "
                + "\"h\u00e9llo\": \"w\u00f6rld\", \"timeout_ms\": -1.5e3}")).isEqualTo("-1.5e3");
        assertThat(timeoutNumber("{\"args\": [{\"timeout_ms\": 8}]}")).isEqualTo("none");
        assertThat(timeoutNumber("{\"timeout_ms\": \"soon\"}")).isEqualTo("none");
        assertThat(timeoutNumber("{\"timeout_ms\": 5, \"timeout_ms\": \"soon\"}")).as("the last one counts").isEqualTo("none");
        assertThat(timeoutNumber("{\"timeout_ms\": \"soon\", \"timeout_ms\": 5}")).isEqualTo("5");
    }
}
