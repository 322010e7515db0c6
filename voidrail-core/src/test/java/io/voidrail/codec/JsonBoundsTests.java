package io.voidrail.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.databind.json.JsonMapper;

/** Frames are parsed under fixed bounds, with VoidRail's mapper or the application's. */
class JsonBoundsTests {

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void nestingAndNumbersAreBoundedWhateverTheMapper() {
        for (JsonCodec codec : new JsonCodec[] { JsonCodec.defaults(), new JsonCodec(JsonMapper.builder().build()) }) {
            String deepest = "[".repeat(JsonCodec.MAX_NESTING_DEPTH) + "]".repeat(JsonCodec.MAX_NESTING_DEPTH);
            assertThat(codec.read(utf8(deepest)).isArray()).isTrue();
            assertThatThrownBy(() -> codec.read(utf8("[" + deepest + "]"))).isInstanceOf(StreamConstraintsException.class)
                    .hasMessageContaining("nesting depth");
            assertThat(codec.read(utf8("9".repeat(JsonCodec.MAX_NUMBER_LENGTH))).isNumber()).isTrue();
            assertThatThrownBy(() -> codec.read(utf8("9".repeat(JsonCodec.MAX_NUMBER_LENGTH + 1))))
                    .isInstanceOf(StreamConstraintsException.class);
            assertThat(codec.readOrNull(utf8("[" + deepest + "]"))).isNull();
            // what Python writes still reads
            assertThat(codec.read(utf8("{\"x\": NaN, \"y\": -Infinity}")).get("x").isNumber()).isTrue();
        }
    }

    @Test
    void aLimitedCodecRefusesLongerDocumentsAndStringsAndStillFindsTheRequestId() {
        JsonCodec limited = JsonCodec.defaults().limitedTo(100);
        assertThat(limited.maxDocumentLength()).isEqualTo(100);
        assertThat(limited.mapper()).isSameAs(JsonCodec.defaults().mapper());
        assertThat(JsonCodec.defaults().limitedTo(0).maxDocumentLength()).isZero();
        String call = "{\"request_id\": \"r-1\", \"args\": [\"" + "x".repeat(200) + "\"]}";
        assertThat(JsonCodec.defaults().read(utf8(call)).get("args").size()).isEqualTo(1);
        assertThatThrownBy(() -> limited.read(utf8(call))).isInstanceOf(StreamConstraintsException.class);

        assertThat(limited.topLevelText(utf8(call), "request_id")).isEqualTo("r-1");
        String deep = "{\"request_id\": \"r-2\", \"args\": " + "[".repeat(400) + "]".repeat(400) + "}";
        assertThat(JsonCodec.defaults().topLevelText(utf8(deep), "request_id")).isEqualTo("r-2");
        assertThat(JsonCodec.defaults().topLevelText(utf8("{\"a\": [1], \"request_id\": \"r-3\"}"), "request_id"))
                .isEqualTo("r-3");
        assertThat(JsonCodec.defaults().topLevelText(utf8("{\"request_id\": 7}"), "request_id")).isNull();
        assertThat(JsonCodec.defaults().topLevelText(utf8("[\"request_id\"]"), "request_id")).isNull();
        assertThat(JsonCodec.defaults().topLevelText(utf8("{\"args\": " + "[".repeat(400)), "request_id")).isNull();
    }
}
