package io.voidrail.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.voidrail.codec.JsonCodec;
import tools.jackson.databind.JsonNode;

/** Peer text made safe for logs, and the range-checked readers of peer numbers. */
class FramesAndFieldsTests {

    private final JsonCodec codec = JsonCodec.defaults();

    @Test
    void logTextIsOnePrintableAsciiLineThatCannotBeConfusedWithItsEscapes() {
        assertThat(Frames.forLog("EchoService-1a2b3c4d")).isEqualTo("EchoService-1a2b3c4d");
        assertThat(Frames.forLog("a\nb\r\tc\u0000")).isEqualTo("a\\x0ab\\x0d\\x09c\\x00");
        assertThat(Frames.forLog("caf\u00e9 \u2603")).isEqualTo("caf\\xc3\\xa9 \\xe2\\x98\\x83");
        // a literal backslash-x in a name is doubled, so it never reads as an escaped byte
        assertThat(Frames.forLog("a\\x0ab")).isEqualTo("a\\\\x0ab");
        assertThat(Frames.forLog(new byte[] { (byte) 0xff, 0x41, 0x7f })).isEqualTo("\\xffA\\x7f");
        assertThat(Frames.forLog((String) null)).isEqualTo("null");
        assertThat(Frames.forLog("x".repeat(5000))).hasSize(200 + "...(5000 chars)".length()).endsWith("...(5000 chars)");
        assertThat(Frames.forLog("y".repeat(300).getBytes(StandardCharsets.UTF_8))).endsWith("...(300 bytes)");
    }

    @Test
    void numbersAreReadInRangeOrRefusedNamingTheField() {
        JsonNode node = codec.read(("{\"a\": 5, \"b\": 100.0, \"big\": 2147483648, \"huge\": 1e300, \"neg\": -1e300,"
                + " \"frac\": 1.5, \"text\": \"7\", \"nil\": null, \"nan\": NaN}").getBytes(StandardCharsets.UTF_8));
        assertThat(Fields.intIn(node, "a", 1, 10, 0)).isEqualTo(5);
        assertThat(Fields.intIn(node, "b", 1, 1000, 0)).isEqualTo(100);
        assertThat(Fields.intIn(node, "absent", 1, 10, 3)).isEqualTo(3);
        assertThat(Fields.intIn(node, "nil", 1, 10, 3)).isEqualTo(3);
        assertThat(Fields.longIn(node, "big", 0, Long.MAX_VALUE, 0)).isEqualTo(2147483648L);
        for (String field : new String[] { "big", "huge", "neg", "frac", "text", "nan" }) {
            assertThatThrownBy(() -> Fields.intIn(node, field, 1, Integer.MAX_VALUE, 1))
                    .isInstanceOfSatisfying(Fields.BadField.class, ex -> assertThat(ex.field()).isEqualTo(field))
                    .hasMessageStartingWith(field + " must be an integer from 1 to 2147483647, was ");
        }
        assertThatThrownBy(() -> Fields.longIn(node, "huge", Long.MIN_VALUE, Long.MAX_VALUE, 0))
                .isInstanceOf(Fields.BadField.class);
        assertThatThrownBy(() -> Fields.intIn(node, "a", 6, 10, 0)).hasMessage("a must be an integer from 6 to 10, was 5");
    }

    /** A request id that is not a string names no call: the reply is malformed, not an id-less one to be guessed. */
    @Test
    void aReplyWhoseRequestIdIsNotAStringIsMalformed() {
        assertThat(Reply.parse(json("{\"type\": \"reply\", \"request_id\": -1e300, \"result\": 1}"))).isNull();
        assertThat(Reply.parse(json("{\"type\": \"error\", \"request_id\": {}, \"error\": \"x\"}"))).isNull();
        assertThat(Reply.parse(json("{\"type\": \"reply\", \"request_id\": null, \"result\": 1}")).requestId())
                .isNull();
        assertThat(Reply.parse(json("{\"type\": \"reply\", \"result\": 1}")).requestId()).isNull();
        assertThat(Reply.parse(json("{\"type\": \"reply\", \"request_id\": \"r1\", \"result\": 1}")).requestId())
                .isEqualTo("r1");
    }

    @Test
    void framesDecodeAsStrictUtf8AsciiOrNotAndMalformedBytesAreRefused() {
        assertThat(Frames.strictUtf8("call_from_client".getBytes(StandardCharsets.US_ASCII))).isEqualTo("call_from_client");
        assertThat(Frames.strictUtf8(new byte[0])).isEmpty();
        assertThat(Frames.strictUtf8("Échos.ça→".getBytes(StandardCharsets.UTF_8))).isEqualTo("Échos.ça→");
        assertThat(Frames.strictUtf8(new byte[] { 'a', (byte) 0xC3 })).as("cut in a character").isNull();
        assertThat(Frames.strictUtf8(new byte[] { (byte) 0xFF, 'a' })).as("not UTF-8").isNull();
        assertThat(Frames.strictUtf8(new byte[] { (byte) 0xC0, (byte) 0x80 })).as("overlong NUL").isNull();
    }

    @Test
    void requestIdsAreDistinctRandomUuidsInShape() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = Messages.newRequestId();
            UUID parsed = UUID.fromString(id);
            assertThat(parsed.version()).isEqualTo(4);
            assertThat(parsed.variant()).isEqualTo(2);
            assertThat(parsed.toString()).isEqualTo(id);
            ids.add(id);
        }
        assertThat(ids).hasSize(10_000);
    }

    private JsonNode json(String text) {
        return codec.read(text.getBytes(StandardCharsets.UTF_8));
    }
}
