package io.voidrail.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import io.voidrail.codec.JsonCodec;

/** Only the top-level timeout_ms number changes; every other byte of the request stays as the client wrote it. */
class TimeLeftTests {

    private static final JsonCodec CODEC = JsonCodec.defaults();

    /** As the router does: the request's header on arrival says whether and where the field is. */
    private static String set(String json, boolean hasField, long millis) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        Header header = new Header.Reader(CODEC).read(bytes, Header.CALL_BODY);
        assertThat(header).isNotNull();
        assertThat(header.fields().has("timeout_ms")).isEqualTo(hasField);
        return new String(TimeLeft.set(bytes, hasField, header.timeoutFrom(), header.timeoutTo(), millis, CODEC),
                StandardCharsets.UTF_8);
    }

    @Test
    void replacesTheJavaClientsNumberInPlace() {
        assertThat(set("{\"type\":\"request\",\"request_id\":\"r\",\"timeout_ms\":30000,\"deadline_ms\":1,\"args\":[1]}",
                true, 250)).isEqualTo("{\"type\":\"request\",\"request_id\":\"r\",\"timeout_ms\":250,\"deadline_ms\":1,\"args\":[1]}");
    }

    @Test
    void findsTheTopLevelKeyPastNestedOnesAndStringsThatLookLikeIt() {
        String json = "{\"args\": [\"\\\"timeout_ms\\\": 7\", {\"timeout_ms\": 8}], \"kwargs\": {\"timeout_ms\": 9}, "
                + "\"timeout_ms\": 1.5e3, \"héllo\": \"wörld\"}";
        assertThat(set(json, true, 42)).isEqualTo(json.replace("1.5e3", "42"));
    }

    @Test
    void addsTheKeyWhenTheClientSentNone() {
        assertThat(set("{\"type\": \"request\", \"args\": []}  ", false, 9)).isEqualTo("{\"type\": \"request\", \"args\": [],\"timeout_ms\":9}  ");
        assertThat(set("{ }", false, 9)).isEqualTo("{ \"timeout_ms\":9}");
    }

    @Test
    void aTopLevelKeyThatIsNotANumberIsRewrittenWhole() {
        String json = set("{\"timeout_ms\": \"soon\", \"a\": 1}", true, 5);
        assertThat(CODEC.read(json.getBytes(StandardCharsets.UTF_8)).toString()).isEqualTo("{\"timeout_ms\":5,\"a\":1}");
    }
}
