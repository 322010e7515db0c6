package io.voidrail.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import io.voidrail.VoidRailException;
import io.voidrail.client.ClientDealer;
import io.voidrail.ErrorCode;
import io.voidrail.RouterMode;

/** Bad input gets a clear error or a log line; the router keeps serving everyone else. */
class RobustnessTests {

    private static final String CLIENT_ID = "0123456789abcdef0123456789abcdef";

    /** A bad message and what the router answers: token and a fragment of the JSON, or nothing. */
    private record Case(byte[][] frames, String token, String contains) {
        static Case of(String token, String contains, String... frames) {
            byte[][] bytes = new byte[frames.length][];
            for (int i = 0; i < frames.length; i++) {
                bytes[i] = frames[i].getBytes(StandardCharsets.UTF_8);
            }
            return new Case(bytes, token, contains);
        }
    }

    private static final List<Case> CASES = List.of(
            Case.of("error", "\"Unknown message type: bogus\"", "bogus", ""),
            Case.of(null, null, "call_from_client"),
            Case.of("reply_from_router", "\"BAD_REQUEST\"", "call_from_client", "EchoService.echo"),
            Case.of("reply_from_router", "\"BAD_REQUEST\"", "call_from_client", "EchoService.echo", "{not json"),
            Case.of("reply_from_router", "\"BAD_REQUEST\"", "call_from_client", "EchoService.echo", "[1, 2]"),
            Case.of("reply_from_router", "Missing argument for parameter 'message'", "call_from_client",
                    "EchoService.echo", "{\"type\": \"request\", \"request_id\": \"r7\"}"),
            Case.of("reply_from_router", "request_id must be a string", "call_from_client",
                    "EchoService.echo", "{\"type\": \"request\", \"request_id\": 7}"),
            new Case(new byte[][] { "call_from_client".getBytes(), { (byte) 0xc3, 0x28 }, "{}".getBytes() },
                    "reply_from_router", "\"BAD_REQUEST\""),
            Case.of("error", "\"Service Router Error\"", "auth", "not json"),
            Case.of("error", "\"Invalid register format\"", "register", "{\"methods\": [1, 2]}"),
            Case.of("error", "\"Invalid register format\"", "register", "NaN"),
            Case.of("error", "\"Unknown message type: reply_from_dealer\"", "reply_from_dealer", CLIENT_ID,
                    "{\"type\": \"reply\", \"result\": 1}"),
            Case.of("error", "\"Unknown message type: overload\"", "overload", ""),
            Case.of("reregister_required", "", "heartbeat", "{\"processing_requests\": \"many\"}"),
            new Case(new byte[][] { { (byte) 0x80, (byte) 0x81 }, new byte[0] }, null, null));

    @Test
    void eachMalformedMessageGetsTheProtocolsAnswerOrIsDropped() {
        try (Bus bus = Bus.start(RouterMode.FIFO); RawPeer raw = new RawPeer(bus.address(), CLIENT_ID)) {
            bus.dealer(new EchoService());
            for (Case bad : CASES) {
                raw.sendBytes(bad.frames());
                List<String> answer = raw.receive(bad.token() == null ? 300 : 5000);
                if (bad.token() == null) {
                    assertThat(answer).as("no answer to %s", new String(bad.frames()[0])).isNull();
                }
                else {
                    assertThat(answer).as("answer to %s", new String(bad.frames()[0])).isNotNull();
                    assertThat(answer.get(0)).isEqualTo(bad.token());
                    assertThat(answer.get(answer.size() - 1)).contains(bad.contains());
                }
            }
        }
    }

    @Test
    void burstOfMalformedMessagesThenNormalCallsAllSucceed() {
        try (Bus bus = Bus.start(RouterMode.FIFO)) {
            bus.dealer(new EchoService(), b -> b.slots(4));
            try (RawPeer bad = new RawPeer(bus.address(), CLIENT_ID);
                    RawPeer binary = new RawPeer(bus.address(), new byte[] { (byte) 0xff, (byte) 0xfe, 0x01 })) {
                for (int round = 0; round < 50; round++) {
                    for (Case malformed : CASES) {
                        bad.sendBytes(malformed.frames());
                    }
                    binary.send("methods", "");
                }
                // the router is still answering this peer after the burst
                bad.send("router_monitor", "");
                assertThat(bad.receive("heartbeat_ack", 5000)).isNotNull();
                assertThat(binary.receive(300)).as("binary identities are dropped").isNull();
            }
            ClientDealer client = bus.client();
            List<CompletableFuture<String>> calls = IntStream.range(0, 50)
                    .mapToObj(i -> client.invokeAsync("EchoService.echo", String.class, "ok-" + i)).toList();
            assertThat(calls.stream().map(CompletableFuture::join).toList())
                    .isEqualTo(IntStream.range(0, 50).mapToObj(i -> "ok-" + i).toList());
            assertThat(bus.router().isRunning()).isTrue();
        }
    }

    @Test
    void oversizedCallGetsAClearErrorAndTheClientCarriesOn() {
        try (Bus bus = Bus.start(b -> b.maxMessageSize(4096))) {
            bus.dealer(new EchoService());
            ClientDealer client = bus.client();
            assertThat(client.invoke("EchoService.echo", String.class, "small")).isEqualTo("small");
            assertThatThrownBy(() -> client.invoke("EchoService.echo", String.class, "x".repeat(10_000)))
                    .isInstanceOfSatisfying(VoidRailException.class, ex -> {
                        assertThat(ex.code()).isEqualTo(ErrorCode.BAD_REQUEST);
                        assertThat(ex.getMessage()).contains("4096 bytes");
                    });
            assertThat(client.invoke("EchoService.echo", String.class, "after")).isEqualTo("after");
        }
    }

    @Test
    void oversizedCallFromAClientThatDoesNotKnowTheLimitIsRefusedByTheRouter() {
        try (Bus bus = Bus.start(b -> b.maxMessageSize(4096)); RawPeer raw = new RawPeer(bus.address(), CLIENT_ID)) {
            bus.dealer(new EchoService());
            raw.send("call_from_client", "EchoService.echo", "{\"type\": \"request\", \"request_id\": \"r1\", "
                    + "\"func_name\": \"EchoService.echo\", \"args\": [\"" + "y".repeat(6000) + "\"], \"kwargs\": {}}");
            List<String> answer = raw.receive("reply_from_router", 5000);
            assertThat(answer.get(1)).contains("\"request_id\":\"r1\"").contains("BAD_REQUEST").contains("limit");
        }
    }

    @Test
    void unknownMethodAndWrongArgumentsAreClearErrors() {
        try (Bus bus = Bus.start(b -> b.maxQueueWait(java.time.Duration.ofMillis(300)))) {
            bus.dealer(new EchoService());
            ClientDealer client = bus.client();
            assertThatThrownBy(() -> client.invoke("EchoService.nope", String.class))
                    .isInstanceOfSatisfying(VoidRailException.class, ex -> {
                        assertThat(ex.code()).isEqualTo(ErrorCode.NOT_FOUND);
                        assertThat(ex.getMessage()).isEqualTo("Method EchoService.nope not found");
                    });
            assertThatThrownBy(() -> client.invoke("EchoService.add", Integer.class, 1))
                    .isInstanceOfSatisfying(VoidRailException.class, ex -> {
                        assertThat(ex.code()).isEqualTo(ErrorCode.BAD_REQUEST);
                        assertThat(ex.getMessage()).contains("'b'");
                    });
            assertThatThrownBy(() -> client.call("EchoService.add").arg(1).kwarg("zz", 2).invoke(Integer.class))
                    .isInstanceOfSatisfying(VoidRailException.class,
                            ex -> assertThat(ex.getMessage()).contains("'zz'"));
        }
    }
}
