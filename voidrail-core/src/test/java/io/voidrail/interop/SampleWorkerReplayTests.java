package io.voidrail.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.zeromq.ZContext;

import io.voidrail.python.PythonPeers;
import io.voidrail.python.PythonProcess;
import tools.jackson.databind.JsonNode;

/**
 * The sample Python worker ({@code samples/python/worker.py}, serving as group EchoService) against the recorded
 * Python router: a raw ROUTER socket compares its register, heartbeats and replies with the recorded Python VoidRail
 * dealer's, and checks that it registers again by itself when the router asks, falls silent or shuts down.
 */
class SampleWorkerReplayTests {

    @RegisterExtension
    final PythonPeers python = new PythonPeers();

    final ZContext context = new ZContext(1);
    // the worker reconnects with its identity: it takes over its old connection, as with the Java router
    final RawSocket router = RawSocket.router(context, true);
    PythonProcess worker;
    String identity;
    Identities ids;

    @AfterEach
    void closeRouter() {
        router.close();
        context.close();
    }

    @Test
    void registerHeartbeatsAndRepliesMatchTheRecordedPythonDealer() {
        List<String> register = startWorker();
        String pid = String.valueOf(worker.pid());
        WireMatch.assertMatches("register", register, recordedBody("register_heartbeat", 1), WireMatch.rules()
                // the one Java extension the sample announces (the Python VoidRail dealer sends no capabilities)
                .allowExtra("capabilities")
                .check("capabilities", "[\"busy_heartbeats\"]", node -> node.toString().equals("[\"busy_heartbeats\"]"))
                .ignore("methods", "host_info.hostname", "host_info.ip")
                .check("host_info.pid", "the worker's process id", node -> node.asLong() == worker.pid())
                .check("remote_addr", "\"<ip> [PID:<pid>, ID:<8 hex of the identity>]\"", node -> Pattern.matches(
                        "\\S+ \\[PID:" + pid + ", ID:" + identity.substring(identity.length() - 8) + "\\]", node.asString(""))));
        // json.dumps formatting, as the recorded frames
        assertThat(register.get(1)).startsWith("{\"group\": \"EchoService\", \"methods\": {\"embed\": {\"description\": ");
        JsonNode methods = WireMatch.parse(register.get(1)).get("methods");
        assertThat(methods.propertyNames()).containsExactly("embed", "fail", "matmul", "progress", "slow");
        for (String method : methods.propertyNames()) {
            assertThat(methods.get(method).propertyNames()).as(method)
                    .containsExactly("description", "params", "stream", "metadata");
            assertThat(methods.get(method).get("stream").asBoolean()).as(method).isEqualTo(method.equals("progress"));
        }

        router.send(ids.apply(Vectors.message("register_heartbeat", 2).frames()));
        assertThat(worker.awaitLine("READY ", PythonPeers.START)).isEqualTo("READY " + identity);
        WireMatch.assertMatches("heartbeat", nextHeartbeat(), recordedBody("register_heartbeat", 7),
                WireMatch.rules().ignore("heartbeat_count").check("pid", "the worker's process id",
                        node -> node.asLong() == worker.pid()));

        // byte for byte as the recorded dealer: an error without request_id, and a method the JSON names
        for (String[] callAndReply : new String[][] { { "method_error", "10", "11" }, { "unknown_method_raw", "15", "16" } }) {
            router.send(ids.apply(Vectors.message(callAndReply[0], Integer.parseInt(callAndReply[1])).frames()));
            assertThat(next()).isEqualTo(recordedBody(callAndReply[0], Integer.parseInt(callAndReply[2])));
        }
        // a stream: one message per item, then the end marker, as in the recorded "stream" scenario
        String client = Identities.newClientId();
        router.send(List.of(identity, "call_from_router", client, "EchoService.progress", "{\"type\": \"request\", "
                + "\"request_id\": \"r-7\", \"func_name\": \"EchoService.progress\", \"request_step\": \"READY\", "
                + "\"args\": [2], \"kwargs\": {}}"));
        assertThat(next()).containsExactly("reply_from_dealer", client,
                "{\"type\": \"streaming\", \"request_id\": \"r-7\", \"data\": {\"step\": 1, \"total\": 2}}");
        assertThat(next()).containsExactly("reply_from_dealer", client,
                "{\"type\": \"streaming\", \"request_id\": \"r-7\", \"data\": {\"step\": 2, \"total\": 2}}");
        assertThat(next()).containsExactly("reply_from_dealer", client, "{\"type\": \"end\", \"request_id\": \"r-7\"}");
    }

    @Test
    void registersAgainWhenTheRouterAsksFallsSilentOrShutsDown() {
        startWorker();
        router.send(List.of(identity, "register_ack", ""));

        // a router that does not know the worker answers its heartbeat with reregister_required
        List<String> beat = router.expect("a heartbeat");
        assertThat(beat.get(1)).isEqualTo("heartbeat");
        router.send(List.of(identity, "reregister_required", ""));
        assertThat(next().get(0)).isEqualTo("register");
        router.send(List.of(identity, "register_ack", ""));

        // a router that stops answering: after six heartbeats of silence, a new connection and a register
        long silentSince = System.nanoTime();
        List<String> registerAgain = firstRegisterUnanswered(Duration.ofSeconds(15));
        assertThat(Duration.ofNanos(System.nanoTime() - silentSince)).isGreaterThan(Duration.ofMillis(2500));
        assertThat(registerAgain.get(0)).isEqualTo(identity);
        // stderr is read by another thread: the line may arrive just after the register
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(worker.stderr()).contains("silent for"));
        router.send(List.of(identity, "register_ack", ""));

        // a router that shuts down: reconnect and register (to the next router on that address)
        router.send(List.of(identity, "router_shutdown", ""));
        assertThat(next().get(0)).isEqualTo("register");
        await().atMost(Duration.ofSeconds(5))
                .untilAsserted(() -> assertThat(worker.stderr()).contains("is shutting down: reconnecting"));
        assertThat(worker.isAlive()).isTrue();
    }

    /** Starts the worker and returns its first message, its register (identity stripped). */
    private List<String> startWorker() {
        worker = python.startWorker(router.address(), Map.of(), "--group", "EchoService");
        List<String> first = router.receive(PythonPeers.START);
        if (first == null) {
            fail("no register from the Python worker: %s", worker);
        }
        identity = first.get(0);
        assertThat(identity).matches(Identities.DEALER_ID);
        assertThat(first.get(1)).isEqualTo("register");
        ids = new Identities().bind("<dealer-1>", identity);
        return first.subList(1, first.size());
    }

    private List<String> recordedBody(String scenario, int seq) {
        return ids.apply(Vectors.message(scenario, seq).body());
    }

    /** The worker's next message other than a heartbeat (heartbeats are answered), identity stripped. */
    private List<String> next() {
        while (true) {
            List<String> frames = router.expect("a message from the Python worker");
            assertThat(frames.get(0)).isEqualTo(identity);
            if (!frames.get(1).equals("heartbeat")) {
                return frames.subList(1, frames.size());
            }
            router.send(List.of(identity, "heartbeat_ack", ""));
        }
    }

    private List<String> nextHeartbeat() {
        List<String> frames = router.expect("a heartbeat");
        assertThat(frames.get(1)).isEqualTo("heartbeat");
        router.send(List.of(identity, "heartbeat_ack", ""));
        return frames.subList(1, frames.size());
    }

    /** Reads without answering until a register arrives. */
    private List<String> firstRegisterUnanswered(Duration atMost) {
        long end = System.nanoTime() + atMost.toNanos();
        while (System.nanoTime() < end) {
            List<String> frames = router.receive(Duration.ofMillis(200));
            if (frames != null && frames.get(1).equals("register")) {
                return frames;
            }
        }
        return fail("no register within %s of silence: %s", atMost, worker);
    }
}
