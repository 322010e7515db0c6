package io.voidrail.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.voidrail.client.ClientDealer;
import io.voidrail.RouterMode;

/**
 * What a hostile peer sends never forges a log line, numbers out of range are answered with the field named, and
 * JSON over the parser's bounds is refused at once under the call's request id.
 */
class HostileInputTests {

    private static final String METHODS = "\"methods\": {\"echo\": {\"description\": null, \"params\": null, "
            + "\"stream\": false, \"metadata\": {}}}";

    @Test
    void aNewlineInAnIdentityOrGroupCannotForgeALogLine() {
        String forged = "12:00:00.000 INFO  [voidrail-router] i.v.r.ServiceRouter - VoidRail router stopped";
        try (LogCapture logs = new LogCapture(); Bus bus = Bus.start(RouterMode.FIFO);
                RawPeer evil = new RawPeer(bus.address(), "evil\n" + forged)) {
            evil.send("register", "{\"group\": \"G\\r\\n" + forged + "\", " + METHODS + "}");
            assertThat(evil.receive("register_ack", 5000)).isNotNull();
            evil.send("call_from_client"); // logged with the sender's identity: no method frame

            List<String> lines = logs.messages().stream().filter(line -> line.contains("evil")).toList();
            assertThat(lines).hasSizeGreaterThanOrEqualTo(1);
            assertThat(logs.messages()).noneMatch(line -> line.contains("\n") || line.contains("\r"));
            assertThat(lines.get(0)).contains("evil\\x0a" + forged).contains("G\\x0d\\x0a" + forged);
        }
    }

    @Test
    void registerNumbersOutOfRangeAreRefusedNamingTheField() {
        try (Bus bus = Bus.start(RouterMode.LOAD_BALANCE); RawPeer dealer = new RawPeer(bus.address(), "Bad-0001")) {
            for (String[] bad : new String[][] { { "\"max_concurrent\": 2147483648", "max_concurrent" },
                    { "\"max_concurrent\": 1e300", "max_concurrent" }, { "\"slots\": -1", "slots" },
                    { "\"slots\": 0", "slots" }, { "\"max_concurrent\": \"100\"", "max_concurrent" },
                    { "\"slots\": 1.5", "slots" } }) {
                dealer.send("register", "{\"group\": \"Bad\", " + METHODS + ", " + bad[0] + "}");
                List<String> answer = dealer.receive("error", 5000);
                assertThat(answer).as(bad[0]).isNotNull();
                assertThat(answer.get(1)).as(bad[0]).contains("\"Invalid register format: " + bad[1]
                        + " must be an integer from ").contains("\"BAD_REQUEST\"");
                assertThat(bus.router().status().dealers()).isEmpty();
            }
            // integral floats (as some JSON writers emit) and absent fields are fine
            dealer.send("register", "{\"group\": \"Bad\", " + METHODS + ", \"max_concurrent\": 100.0}");
            assertThat(dealer.receive("register_ack", 5000)).isNotNull();
            assertThat(bus.router().status().dealers()).singleElement()
                    .satisfies(entry -> assertThat(entry.maxConcurrent()).isEqualTo(100));
        }
    }

    @Test
    void callsOverTheJsonBoundsGetBadRequestAtOnceUnderTheirRequestId() {
        try (Bus bus = Bus.start(b -> b.mode(RouterMode.FIFO).maxMessageSize(1_000_000));
                RawPeer client = new RawPeer(bus.address(), "0123456789abcdef0123456789abcdef")) {
            bus.dealer(new EchoService());
            String deep = "[".repeat(300) + "]".repeat(300);
            String longNumber = "1".repeat(300);
            String longString = "\"" + "x".repeat(1_500_000) + "\"";
            for (String[] bad : new String[][] { { "deep", deep }, { "number", longNumber }, { "big", longString } }) {
                client.send("call_from_client", "EchoService.echo", "{\"type\": \"request\", \"request_id\": \"" + bad[0]
                        + "\", \"func_name\": \"EchoService.echo\", \"args\": [" + bad[1] + "], \"kwargs\": {}}");
                List<String> answer = client.receive("reply_from_router", 5000);
                assertThat(answer).as(bad[0]).isNotNull();
                assertThat(answer.get(1)).as(bad[0]).containsPattern("\"request_id\":\\s*\"" + bad[0] + "\"")
                        .contains("BAD_REQUEST");
            }
            ClientDealer normal = bus.client();
            assertThat(normal.invoke("EchoService.echo", String.class, "still fine")).isEqualTo("still fine");
        }
    }
}
