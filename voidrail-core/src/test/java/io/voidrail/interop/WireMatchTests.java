package io.voidrail.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import io.voidrail.interop.Vectors.Message;

/** The loader reads the whole recording from the classpath, and the comparator sees every kind of difference. */
class WireMatchTests {

    @Test
    void loaderReadsEveryScenarioAndMessageInOrder() {
        Map<String, List<Message>> all = Vectors.all();
        assertThat(all).hasSize(25).containsKeys("register_heartbeat", "call_without_json", "router_monitor");
        assertThat(all.values().stream().mapToInt(List::size).sum()).isEqualTo(317);
        all.forEach((scenario, messages) -> {
            assertThat(messages).extracting(Message::seq).as(scenario)
                    .isEqualTo(IntStream.rangeClosed(1, messages.size()).boxed().toList());
            assertThat(messages).allSatisfy(m -> assertThat(m.frames().get(0)).matches(Identities.PLACEHOLDER));
        });
        Message register = Vectors.message("register_heartbeat", 1);
        assertThat(register.toRouter()).isTrue();
        assertThat(register.body()).hasSize(2).first().isEqualTo("register");
        assertThat(Vectors.message("dealer_shutdown", 12).body()).containsExactly("shutdown_ack");
        assertThat(Vectors.message("echo_unicode", 9).json().get("args").get(0).asString()).isEqualTo("héllo, 世界 ✓");
    }

    @Test
    void placeholdersBecomeRealIdentitiesEverywhereInAFrame() {
        Identities ids = new Identities();
        String text = ids.apply("{\"<dealer-1>\": {\"service_id\": \"<dealer-1>\"}, \"client_id\": \"<client-2>\"}");
        String dealer = ids.of("<dealer-1>");
        assertThat(dealer).matches(Identities.DEALER_ID);
        assertThat(ids.of("<client-2>")).matches(Identities.CLIENT_ID);
        assertThat(text).isEqualTo("{\"" + dealer + "\": {\"service_id\": \"" + dealer + "\"}, \"client_id\": \""
                + ids.of("<client-2>") + "\"}");
        assertThatThrownBy(() -> ids.bind("<dealer-1>", "EchoService-00000000")).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void equalMessagesMatchWhateverTheJsonFormatting() {
        assertThat(WireMatch.differences(List.of("reply_from_router", "{\"type\":\"reply\",\"result\":\"h\u00e9\"}"),
                List.of("reply_from_router", "{\"type\": \"reply\", \"result\": \"h\\u00e9\"}"), WireMatch.rules()))
                .isEmpty();
    }

    @Test
    void everyKindOfDifferenceIsReported() {
        List<String> recorded = List.of("methods_ack",
                "{\"type\": \"reply\", \"result\": {\"n\": 1, \"x\": 30.0, \"list\": [1, 2], \"s\": \"a\"}}");
        assertThat(WireMatch.differences(List.of("clusters_ack", "{}"), recorded, WireMatch.rules()))
                .singleElement().asString().startsWith("token");
        assertThat(WireMatch.differences(List.of("methods_ack"), recorded, WireMatch.rules()))
                .singleElement().asString().startsWith("frame count");
        assertThat(WireMatch.differences(List.of("methods_ack", "{\"type\": \"reply\", \"result\": {\"n\": 2, \"x\": 30, "
                + "\"list\": [1], \"extra\": true}}"), recorded, WireMatch.rules()))
                .containsExactlyInAnyOrder("result.n: 2 instead of 1", "result.x: 30 instead of 30.0",
                        "result.list: [1] instead of [1,2]", "result.s: missing (recorded \"a\")",
                        "result.extra: unexpected key (value true)");
        assertThat(WireMatch.differences(List.of("methods_ack", "x"), List.of("methods_ack", "y"), WireMatch.rules()))
                .containsExactly("frame 1: 'x' instead of 'y'");
    }

    @Test
    void rulesLetOnlyTheNamedKeysDiffer() {
        List<String> recorded = List.of("error", "{\"type\": \"error\", \"request_id\": \"" + java.util.UUID.randomUUID()
                + "\", \"error\": \"Not authenticated\", \"last_heartbeat\": 1.5}");
        List<String> produced = List.of("error", "{\"type\": \"error\", \"request_id\": \"" + java.util.UUID.randomUUID()
                + "\", \"error\": \"Not authenticated\", \"last_heartbeat\": 99.0, \"code\": \"UNAUTHENTICATED\"}");
        WireMatch.Rules rules = WireMatch.rules().ignore("last_heartbeat").freshRequestId().errorCodeAllowed();
        assertThat(WireMatch.differences(produced, recorded, rules)).isEmpty();
        assertThat(WireMatch.differences(produced, recorded, WireMatch.rules().freshRequestId().errorCodeAllowed()))
                .containsExactly("last_heartbeat: 99.0 instead of 1.5");
        assertThat(WireMatch.differences(produced.stream().map(f -> f.replace("UNAUTHENTICATED", "NOPE")).toList(),
                recorded, rules)).singleElement().asString().startsWith("code: \"NOPE\" is not");
        assertThat(WireMatch.differences(produced.stream().map(f -> f.replace("\"code\"", "\"other\"")).toList(),
                recorded, rules)).singleElement().asString().startsWith("other: unexpected key");
        assertThat(WireMatch.differences(produced.stream().map(f -> f.replaceFirst("\"request_id\": \"[^\"]+\"",
                "\"request_id\": \"42\"")).toList(), recorded, rules))
                .singleElement().asString().startsWith("request_id: \"42\" is not a UUID");
    }
}
