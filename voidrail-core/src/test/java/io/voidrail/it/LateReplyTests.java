package io.voidrail.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

import io.voidrail.VoidRailException;
import io.voidrail.client.ClientDealer;
import io.voidrail.ErrorCode;

/** A raw ROUTER plays a slow router: a reply that arrives after its call timed out never reaches another call. */
class LateReplyTests {

    private static final Pattern REQUEST_ID = Pattern.compile("\"request_id\":\\s*\"([^\"]+)\"");

    @Test
    void lateReplyIsDroppedAndTheNextCallGetsItsOwnAnswer() {
        try (ZContext context = new ZContext(1)) {
            ZMQ.Socket router = context.createSocket(SocketType.ROUTER);
            router.setHandshakeIvl(1000);
            int port = router.bindToRandomPort("tcp://127.0.0.1");
            router.setReceiveTimeOut(5000);
            try (ClientDealer client = ClientDealer.builder().routerAddress("tcp://127.0.0.1:" + port)
                    .environment(Bus.NO_ENV).timeout(Duration.ofSeconds(5)).build()) {
                CompletableFuture<String> first = client.call("EchoService.echo").arg("first")
                        .timeout(Duration.ofMillis(300)).invokeAsync(String.class);
                List<byte[]> firstCall = receiveCall(router);
                assertThatThrownBy(first::join).hasCauseInstanceOf(VoidRailException.class)
                        .satisfies(ex -> assertThat(((VoidRailException) ex.getCause()).code())
                                .isEqualTo(ErrorCode.DEADLINE_EXCEEDED));
                CompletableFuture<String> second = client.invokeAsync("EchoService.echo", String.class, "second");
                List<byte[]> secondCall = receiveCall(router);
                // the late answer to the first call arrives before the second call's answer
                reply(router, firstCall, "\"late\"");
                reply(router, secondCall, "\"second\"");
                assertThat(second.join()).isEqualTo("second");
            }
        }
    }

    /**
     * Answers the client's start-up question (router_info, as a Python router would: no capabilities; a client sends
     * calls only to a router that has answered) and returns the next call_from_client.
     */
    private static List<byte[]> receiveCall(ZMQ.Socket router) {
        while (true) {
            List<byte[]> frames = new ArrayList<>();
            byte[] first = router.recv();
            assertThat(first).as("a message from the client").isNotNull();
            frames.add(first);
            while (router.hasReceiveMore()) {
                frames.add(router.recv());
            }
            String type = new String(frames.get(1), StandardCharsets.UTF_8);
            if (type.equals("call_from_client")) {
                return frames;
            }
            if (type.equals("router_info")) {
                router.sendMore(frames.get(0));
                router.sendMore("router_info_ack");
                router.send("{\"type\": \"reply\", \"request_id\": \"x\", \"result\": {\"mode\": \"fifo\"}}");
            }
        }
    }

    private static void reply(ZMQ.Socket router, List<byte[]> call, String result) {
        Matcher id = REQUEST_ID.matcher(new String(call.get(call.size() - 1), StandardCharsets.UTF_8));
        assertThat(id.find()).isTrue();
        router.sendMore(call.get(0));
        router.sendMore("reply_from_router");
        router.send("{\"type\": \"reply\", \"request_id\": \"" + id.group(1) + "\", \"result\": " + result + "}");
    }
}
