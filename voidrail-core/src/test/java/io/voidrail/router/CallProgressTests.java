package io.voidrail.router;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.voidrail.RouterMode;
import io.voidrail.internal.protocol.MessageType;
import io.voidrail.internal.protocol.Protocol;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code call_progress} (PROTOCOL.md section 9) on a fake clock: sent only for a request that asks for it, "queued"
 * only when the call waits, "dispatched" with the router's own count of the wait.
 */
class CallProgressTests {

    private static ObjectNode request(String requestId, String method, boolean progress) {
        ObjectNode request = CoreDriver.CODEC.object().put("type", "request").put("request_id", requestId)
                .put("func_name", method);
        request.putArray("args");
        request.putObject("kwargs");
        if (progress) {
            request.put("progress", true);
        }
        return request;
    }

    /** "state" of each call_progress to the client since the last look, with queued_ms when there is one. */
    private static List<String> progress(CoreDriver router, String client) {
        return router.take(client, MessageType.CALL_PROGRESS).stream().map(sent -> sent.json().path("request_id")
                .asString() + " " + sent.json().path("state").asString()
                + (sent.json().has("queued_ms") ? " " + sent.json().path("queued_ms").asDouble() : "")).toList();
    }

    @Test
    void aCallThatWaitsIsQueuedThenDispatchedWithItsTimeInTheQueue() {
        CoreDriver router = new CoreDriver(b -> b.mode(RouterMode.FIFO)).javaDealer("W-1", "W", "work");
        router.call("c1", "W.work", request("r1", "W.work", true));
        assertThat(progress(router, "c1")).as("a dealer took it at once").containsExactly("r1 dispatched 0.0");
        router.call("c1", "W.work", request("r2", "W.work", true));
        assertThat(progress(router, "c1")).as("the one slot is taken").containsExactly("r2 queued");
        router.advance(Duration.ofMillis(250)).reply("W-1", "c1", "r1", "done");
        assertThat(progress(router, "c1")).containsExactly("r2 dispatched 250.0");
        assertThat(router.dispatched("W-1")).containsExactly("r1", "r2");
        assertThat(router.answer("c1").json().path("result").asString()).isEqualTo("done");
    }

    @Test
    void aRequestThatDoesNotAskGetsNothingNew() {
        CoreDriver router = new CoreDriver(b -> b.mode(RouterMode.FIFO)).javaDealer("W-1", "W", "work");
        router.call("c1", "W.work", request("r1", "W.work", false)).call("c1", "W.work", request("r2", "W.work", false));
        router.advance(Duration.ofMillis(10)).reply("W-1", "c1", "r1", "one").reply("W-1", "c1", "r2", "two");
        assertThat(router.take()).as("the client hears its two answers, nothing else")
                .filteredOn(sent -> sent.to().equals("c1")).extracting(CoreDriver.Sent::token)
                .containsExactly("reply_from_router", "reply_from_router");
    }

    @Test
    void aReQueuedCallIsQueuedAgainAndCountsItsWaitFromThere() {
        ObjectNode worker = CoreDriver.registration("W", "retry");
        ((ObjectNode) worker.get("methods").get("retry").get("metadata")).put("idempotent", true);
        Protocol.DEALER_CAPABILITIES.forEach(worker.putArray("capabilities")::add);
        // it heartbeats once, as every dealer does after its register_ack: a dealer never heard again is forgotten
        CoreDriver router = new CoreDriver(b -> b.mode(RouterMode.FIFO)).register("W-1", worker).heartbeat("W-1");
        router.call("c1", "W.retry", request("r1", "W.retry", true));
        assertThat(progress(router, "c1")).containsExactly("r1 dispatched 0.0");
        router.advance(Duration.ofSeconds(10).plusMillis(1)); // W-1 silent past the heartbeat timeout: lost
        assertThat(router.answers("c1")).as("an idempotent call is not failed").isEmpty();
        assertThat(progress(router, "c1")).containsExactly("r1 queued");
        router.advance(Duration.ofMillis(400)).register("W-2", worker);
        // re-queued when W-1 was found lost, at 10 s exactly (its timer): 1 + 400 ms ago, not since the call arrived
        assertThat(progress(router, "c1")).containsExactly("r1 dispatched 401.0");
        assertThat(router.dispatched("W-2")).containsExactly("r1");
    }
}
