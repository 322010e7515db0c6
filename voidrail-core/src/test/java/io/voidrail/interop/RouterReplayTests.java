package io.voidrail.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.zeromq.ZContext;

import io.voidrail.auth.AuthEnvironment;
import io.voidrail.interop.Vectors.Message;
import io.voidrail.RouterMode;
import io.voidrail.router.ServiceRouter;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Java router against the recorded Python dealer and client: for every scenario, raw DEALER sockets with
 * real identities send the recorded {@code to_router} messages in order, and each {@code from_router} message the
 * Java router sends is compared with the recorded one (per peer: the order in which one socket receives its
 * messages is the recorded one; the order across sockets is not compared). Where the Java router deliberately
 * answers differently, the expectation is the recorded message with that documented deviation applied (see
 * {@link #javaScript}). At the end every peer must have received nothing beyond the recording.
 */
class RouterReplayTests {

    /**
     * {@code router_info} keys beyond the short Python set: PROTOCOL.md sections 8 and 9, plus
     * {@code max_message_size}, a section 9 style extension that lets Java clients refuse oversized calls, and
     * {@code curve}, whether the router encrypts (for dashboards).
     */
    static final String[] ROUTER_INFO_SUPERSET = { "idle_heartbeat_timeout", "busy_heartbeat_timeout",
            "max_busy_without_heartbeat", "active_services_count", "busy_services_count", "idle_services_count",
            "inactive_services_count", "total_services_count", "uptime", "total_requests", "total_responses",
            "requests_in_process", "requests_in_queue", "implementation", "capabilities", "max_message_size",
            "method_stats", "error_counts", "recent_errors", "curve" };

    /** Java extensions for dashboards in {@code clusters} entries and {@code queue_status} entries. */
    static final String[] CLUSTERS_EXTENSIONS = { "slots", "implementation", "host_info" };
    static final String[] QUEUE_STATUS_EXTENSIONS = { "oldest_wait_ms" };

    static ZContext context;

    @BeforeAll
    static void startContext() {
        context = new ZContext(1);
    }

    @AfterAll
    static void closeContext() {
        context.close();
    }

    static Stream<String> scenarios() {
        return Vectors.all().keySet().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("scenarios")
    void javaRouterAnswersAsTheRecordedPythonRouter(String scenario) {
        List<Step> script = javaScript(scenario);
        Replay replay = null;
        try (ServiceRouter router = routerFor(scenario).build().start()) {
            replay = new Replay(router);
            replay.run(script);
        }
        finally {
            // after the router: its router_shutdown then leaves at once instead of lingering for gone peers
            if (replay != null) {
                replay.close();
            }
        }
    }

    /** The router of the recording's set-up: FIFO unless LOAD_BALANCE, auth with the keys the recording accepted. */
    static ServiceRouter.Builder routerFor(String scenario) {
        List<Message> messages = Vectors.scenario(scenario);
        ServiceRouter.Builder builder = ServiceRouter.builder().address("tcp://127.0.0.1:0")
                .environment(new AuthEnvironment(Map.of()))
                .mode(scenario.startsWith("lb_") ? RouterMode.LOAD_BALANCE : RouterMode.FIFO)
                .heartbeatTimeout(Duration.ofSeconds(30))
                // the recorded router had no start-up grace: in LOAD_BALANCE it refused a call nobody offered at once
                .startupGrace(Duration.ZERO);
        if (scenario.startsWith("auth_")) {
            List<String> dealerKeys = acceptedKeys(messages, "register", "register_ack");
            List<String> clientKeys = acceptedKeys(messages, "auth", "auth_ack");
            builder.requireAuth(true).dealerApiKeys(dealerKeys).clientApiKeys(clientKeys);
        }
        return builder;
    }

    /** The keys of every {@code request} the recorded router answered with {@code ack} (the others were refused). */
    static List<String> acceptedKeys(List<Message> messages, String request, String ack) {
        Set<String> keys = new LinkedHashSet<>();
        for (int i = 0; i < messages.size(); i++) {
            Message sent = messages.get(i);
            if (!sent.toRouter() || !sent.token().equals(request)) {
                continue;
            }
            for (Message answer : messages.subList(i + 1, messages.size())) {
                if (!answer.toRouter() && answer.peer().equals(sent.peer())) {
                    if (answer.token().equals(ack) && sent.json().path("api_key").isString()) {
                        keys.add(sent.json().get("api_key").asString());
                    }
                    break;
                }
            }
        }
        return List.copyOf(keys);
    }

    // ---------------------------------------------------------------- expectations

    /** One recorded message to send, or to expect with these comparison rules. */
    record Step(Message message, WireMatch.Rules rules) {
    }

    /** What the Java router must do: the recording, with each documented deviation applied. */
    static List<Step> javaScript(String scenario) {
        List<Step> steps = new ArrayList<>();
        for (Message message : Vectors.scenario(scenario)) {
            steps.add(new Step(message, defaultRules(message)));
        }
        switch (scenario) {
            case "clusters" -> {
                // Deviation: Python counts each dispatch twice (request_count 2, current_load 1 after one answered
                // call); Java counts it once. The counters are not compared, everything else is.
                replace(steps, 14, Vectors.message(scenario, 14),
                        defaultRules(Vectors.message(scenario, 14)).ignore("request_count", "current_load", "reply_count"));
            }
            case "call_without_json" -> {
                // Deviation: Python forwards a call without a JSON frame as a 4-frame call_from_router that the
                // dealer never answers (and is blocked by); Java answers the client at once with a BAD_REQUEST
                // error on reply_from_router and forwards nothing. So the dealer stays free: the following proper
                // call is dispatched instead of staying queued, and queue_status shows it in flight, not queued.
                Message forwarded = Vectors.message(scenario, 8);
                Message refused = new Message(scenario, 8, false, "client", "<client-1>", forwarded.tMs(),
                        List.of("<client-1>", "reply_from_router",
                                "{\"type\": \"error\", \"error\": \"(Java text)\", \"code\": \"BAD_REQUEST\"}"));
                replace(steps, 8, refused, defaultRules(refused).check("error", "a non-empty error text",
                        node -> node.isString() && !node.asString().isBlank()));
                Message after = Vectors.message(scenario, 13);
                Message dispatched = new Message(scenario, 13, false, "dealer", "<dealer-1>", after.tMs(),
                        List.of("<dealer-1>", "call_from_router", "<client-1>", after.frames().get(2),
                                after.frames().get(3)));
                steps.add(indexOf(steps, 13) + 1, new Step(dispatched, defaultRules(dispatched)));
                Message status = withJson(Vectors.message(scenario, 19), json -> json.putObject("result")
                        .putObject("EchoService.echo").put("queue_length", 0).put("available_services", 0)
                        .put("busy_services", 1));
                replace(steps, 19, status, defaultRules(status));
            }
            case "lb_no_dealer" -> {
                // Deviation: a router error about a call carries that call's request_id (Python: a fresh UUID)
                // and a code (PROTOCOL.md section 9); no dealer offers the method, hence NOT_FOUND.
                String requestId = Vectors.message(scenario, 1).json().get("request_id").asString();
                Message error = withJson(Vectors.message(scenario, 2),
                        json -> json.put("request_id", requestId).put("code", "NOT_FOUND"));
                replace(steps, 2, error, WireMatch.rules());
            }
            case "auth_client_nokey" -> {
                // Deviation: the "Not authenticated" error about a call carries the call's request_id and a code.
                String requestId = Vectors.message(scenario, 9).json().get("request_id").asString();
                Message error = withJson(Vectors.message(scenario, 10),
                        json -> json.put("request_id", requestId).put("code", "UNAUTHENTICATED"));
                replace(steps, 10, error, WireMatch.rules());
            }
            case "method_error" -> fillInRequestIdAndCode(steps, scenario, 9, 12, "EXECUTION_ERROR");
            case "unknown_method_raw" -> {
                // Deviation: Python queues a call for a method no dealer registered, and never answers it; Java answers
                // NOT_FOUND at once (after its start-up grace, none here), so queue_status lists no queue for it.
                String requestId = Vectors.message(scenario, 7).json().get("request_id").asString();
                Message notFound = new Message(scenario, 7, false, "client", "<client-1>", Vectors.message(scenario, 7).tMs(),
                        List.of("<client-1>", "reply_from_router", "{\"type\": \"error\", \"request_id\": \"" + requestId
                                + "\", \"error\": \"Method EchoService.nope not found\", \"code\": \"NOT_FOUND\"}"));
                steps.add(indexOf(steps, 7) + 1, new Step(notFound, WireMatch.rules()));
                Message status = withJson(Vectors.message(scenario, 13), json -> json.putObject("result"));
                replace(steps, 13, status, defaultRules(status));
                fillInRequestIdAndCode(steps, scenario, 14, 17, "NOT_FOUND");
            }
            default -> {
                // the recording as it is
            }
        }
        return steps;
    }

    /**
     * Allowed extension (PROTOCOL.md section 4): a Python dealer's error has no request_id and no code; the Java router
     * fills in the id of the call it answers (the dealer has exactly one call of that client in flight) and the code
     * its text means.
     */
    static void fillInRequestIdAndCode(List<Step> steps, String scenario, int callSeq, int replySeq, String code) {
        String requestId = Vectors.message(scenario, callSeq).json().get("request_id").asString();
        Message reply = withJson(Vectors.message(scenario, replySeq),
                json -> json.put("request_id", requestId).put("code", code));
        replace(steps, replySeq, reply, WireMatch.rules());
    }

    /** How a recorded router message is compared: ids made up by the router and timings aside. */
    static WireMatch.Rules defaultRules(Message message) {
        WireMatch.Rules rules = WireMatch.rules().ignore("last_heartbeat");
        String token = message.token();
        if (token.equals("error")) {
            // router errors: a fresh id, and Java adds the error code (PROTOCOL.md section 9)
            rules = rules.freshRequestId().errorCodeAllowed();
        }
        else if (token.endsWith("_ack") && message.body().size() > 1 && message.body().get(1).startsWith("{")) {
            rules = rules.freshRequestId();
        }
        if (token.equals("router_info_ack")) {
            // Deviation: Java answers the full superset of PROTOCOL.md section 8 (plus section 9's implementation
            // and capabilities); every recorded key is there with the recorded value. The address is checked
            // against the Java router's own (the port differs).
            rules = rules.allowExtra(ROUTER_INFO_SUPERSET).ignore("result.address");
        }
        if (token.equals("clusters_ack")) {
            rules = rules.allowExtra(CLUSTERS_EXTENSIONS);
        }
        if (token.equals("queue_status_ack")) {
            rules = rules.allowExtra(QUEUE_STATUS_EXTENSIONS);
        }
        return rules;
    }

    static Message withJson(Message message, Consumer<ObjectNode> edit) {
        ObjectNode json = (ObjectNode) message.json();
        edit.accept(json);
        List<String> frames = new ArrayList<>(message.frames());
        frames.set(frames.size() - 1, json.toString());
        return message.withFrames(frames);
    }

    static void replace(List<Step> steps, int seq, Message message, WireMatch.Rules rules) {
        steps.set(indexOf(steps, seq), new Step(message, rules));
    }

    static int indexOf(List<Step> steps, int seq) {
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).message().seq() == seq) {
                return i;
            }
        }
        throw new IllegalArgumentException("no step " + seq);
    }

    // ---------------------------------------------------------------- replay

    /**
     * Plays the recorded peers. Before a peer sends, every other peer that sent since its last barrier is
     * synchronised: it sends an unknown token, and the router's "Unknown message type" answer proves that the
     * router has handled everything that peer sent before (a router reads each connection in order). So a message
     * without an answer (overload, a queued call) is handled before the next peer's message, as in the recording.
     */
    static final class Replay {

        private final ServiceRouter router;
        private final Identities ids = new Identities();
        private final Map<String, Peer> peers = new LinkedHashMap<>();
        private final Set<Peer> unsynchronised = new LinkedHashSet<>();
        private int barriers;

        Replay(ServiceRouter router) {
            this.router = router;
        }

        void run(List<Step> script) {
            for (Step step : script) {
                Message message = step.message();
                Peer peer = peers.computeIfAbsent(message.peer(),
                        p -> new Peer(RawSocket.dealer(context, ids.of(p), router.address()), p));
                List<String> frames = ids.apply(message.body());
                if (message.toRouter()) {
                    for (Peer other : List.copyOf(unsynchronised)) {
                        if (other != peer) {
                            barrier(other);
                        }
                    }
                    peer.socket.send(frames);
                    unsynchronised.add(peer);
                }
                else {
                    List<String> actual = peer.next(message.toString());
                    WireMatch.assertMatches(message.toString(), actual, frames, step.rules());
                    if (message.token().equals("router_info_ack")) {
                        assertThat(WireMatch.parse(actual.get(1)).path("result").path("address").asString())
                                .isEqualTo(router.address());
                    }
                }
            }
            // nothing beyond the recording: two rounds, so that whatever one peer's last message caused for
            // another peer was sent before that peer's second barrier answer
            for (int round = 0; round < 2; round++) {
                for (Peer peer : peers.values()) {
                    barrier(peer);
                }
            }
            for (Peer peer : peers.values()) {
                assertThat(peer.unexpected).as("messages to %s beyond the recording", peer.placeholder).isEmpty();
            }
        }

        void close() {
            peers.values().forEach(peer -> peer.socket.close());
        }

        private void barrier(Peer peer) {
            String token = "interop-barrier-" + (++barriers);
            peer.socket.send(List.of(token, ""));
            while (true) {
                List<String> frames = peer.socket.expect("answer to " + token + " from the router");
                if (frames.size() == 2 && frames.get(0).equals("error")
                        && frames.get(1).contains("\"Unknown message type: " + token + "\"")) {
                    break;
                }
                peer.unexpected.add(frames);
            }
            unsynchronised.remove(peer);
        }
    }

    /** A recorded peer: its socket, and what arrived while waiting for a barrier (taken first by {@link #next}). */
    static final class Peer {
        final RawSocket socket;
        final String placeholder;
        final ArrayDeque<List<String>> unexpected = new ArrayDeque<>();

        Peer(RawSocket socket, String placeholder) {
            this.socket = socket;
            this.placeholder = placeholder;
        }

        List<String> next(String what) {
            List<String> early = unexpected.pollFirst();
            return early != null ? early : socket.expect(what);
        }
    }

    // ---------------------------------------------------------------- the recording itself

    @Test
    void authScenariosConfigureTheKeysTheRecordingAccepted() {
        // the replay is only meaningful if the derived keys are the recorded ones: valid dealer and client keys,
        // and the refused ones left out
        assertThat(acceptedKeys(Vectors.scenario("auth_client_ok"), "register", "register_ack"))
                .singleElement().asString().startsWith("dealer_");
        assertThat(acceptedKeys(Vectors.scenario("auth_client_ok"), "auth", "auth_ack"))
                .singleElement().asString().startsWith("client_");
        assertThat(acceptedKeys(Vectors.scenario("auth_client_fail"), "auth", "auth_ack")).isEmpty();
        assertThat(acceptedKeys(Vectors.scenario("auth_dealer_bad_key"), "register", "register_ack")).isEmpty();
        assertThat(acceptedKeys(Vectors.scenario("auth_dealer_bad_key"), "auth", "auth_ack")).hasSize(1);
    }
}
