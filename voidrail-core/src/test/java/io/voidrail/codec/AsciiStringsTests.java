package io.voidrail.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import tools.jackson.core.JacksonException;
import tools.jackson.core.json.JsonReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The codec reads and writes long plain ASCII strings itself ({@link AsciiStrings}): whatever the string, the tree
 * read and the bytes written are exactly Jackson's own.
 */
class AsciiStringsTests {

    private static final JsonCodec CODEC = JsonCodec.defaults();
    /** Jackson as shipped: the reference. */
    private static final JsonMapper JACKSON = JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

    /** Plain runs with one special character at every position that matters to an eight-byte scan. */
    private static List<String> strings() {
        List<String> strings = new ArrayList<>();
        for (int length : new int[] { 0, 7, 255, 256, 257, 263, 264, 1000, 70_000 }) {
            String plain = "ab0~ Z{}".repeat(length / 8 + 1).substring(0, length);
            strings.add(plain);
            for (String special : new String[] { "\"", "\\", "\t", "\n", "\u007f", "\u00e9", "\u20ac", "\ud83d\ude00", "?" }) {
                for (int at : new int[] { 0, 1, length / 2, length - 8, length - 7, length - 1, length }) {
                    if (at >= 0 && at <= length) {
                        strings.add(plain.substring(0, at) + special + plain.substring(at));
                    }
                }
            }
        }
        Random random = new Random(42);
        String alphabet = "abcXYZ019 -_=+/\"\\\t\u00e9\u20ac?";
        for (int i = 0; i < 300; i++) {
            StringBuilder text = new StringBuilder();
            int length = 240 + random.nextInt(40);
            boolean plain = random.nextBoolean(); // half of them without a special character: the fast path's
            for (int j = 0; j < length; j++) {
                text.append(alphabet.charAt(random.nextInt(plain ? 15 : alphabet.length())));
            }
            strings.add(text.toString());
        }
        return strings;
    }

    private static ObjectNode message(String text) {
        ObjectNode message = JACKSON.createObjectNode().put("type", "reply").put("request_id", "r1");
        message.putArray("args").add(text).addObject().put("nested", text).putArray("deeper").add(text);
        message.put("result", text);
        return message;
    }

    @Test
    void writesExactlyJacksonsBytes() {
        for (String text : strings()) {
            ObjectNode message = message(text);
            assertThat(new String(CODEC.write(message), StandardCharsets.UTF_8)).as("%.60s", text)
                    .isEqualTo(new String(JACKSON.writeValueAsBytes(message), StandardCharsets.UTF_8));
        }
    }

    @Test
    void readsExactlyJacksonsTree() {
        for (String text : strings()) {
            byte[] json = JACKSON.writeValueAsBytes(message(text));
            JsonNode read = CODEC.read(json);
            assertThat(read).as("%.60s", text).isEqualTo(JACKSON.readTree(json));
            assertThat(read.get("result").asString()).isEqualTo(text);
        }
    }

    @Test
    void whatJacksonRefusesIsRefused() {
        String plain = "x".repeat(600);
        // an unescaped control character, a string never closed, bytes that are not UTF-8
        for (String json : new String[] { "{\"a\": \"" + plain + "\t" + plain + "\"}", "{\"a\": \"" + plain,
                "[\"" + plain + "\"" }) {
            byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            assertThatThrownBy(() -> JACKSON.readTree(bytes)).isInstanceOf(JacksonException.class);
            assertThatThrownBy(() -> CODEC.read(bytes)).as(json.substring(json.length() - 5)).isInstanceOf(JacksonException.class);
        }
        byte[] latin1 = ("[\"" + plain + "\u00e9\"]").getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> JACKSON.readTree(latin1)).isInstanceOf(JacksonException.class);
        assertThatThrownBy(() -> CODEC.read(latin1)).isInstanceOf(JacksonException.class);
        // a string over a limited codec's bounds
        assertThat(CODEC.limitedTo(500).readOrNull(("[\"" + plain + "\"]").getBytes(StandardCharsets.UTF_8))).isNull();
        assertThat(CODEC.limitedTo(700).readOrNull(("[\"" + plain + "\"]").getBytes(StandardCharsets.UTF_8))).isNotNull();
    }

    @Test
    void anApplicationsMapperReadsTheSameAndWritesAsItWould() {
        JsonCodec application = new JsonCodec(JsonMapper.builder().build());
        for (String text : strings().subList(0, 40)) {
            ObjectNode message = message(text);
            byte[] json = application.write(message);
            assertThat(json).isEqualTo(JACKSON.writeValueAsBytes(message));
            assertThat(application.read(json)).isEqualTo(message);
        }
    }
}
