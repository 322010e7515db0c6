package io.voidrail.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.zeromq.ZContext;

import io.voidrail.VoidRailException;
import io.voidrail.auth.AuthEnvironment;
import io.voidrail.client.ClientDealer;
import io.voidrail.status.DealerState;
import io.voidrail.status.MethodInfo;
import io.voidrail.status.RouterStatus;
import io.voidrail.interop.Vectors.Message;
import io.voidrail.it.EchoService;
import tools.jackson.databind.node.ObjectNode;
import io.voidrail.ErrorCode;
import io.voidrail.RouterMode;

/**
 * The Java client against the recorded Python router: a raw ROUTER socket receives the Java client's messages,
 * compares them with what the recorded Python client sent, and answers with the recorded router replies (a
 * request_id the recorded router copied from the recorded call is replaced by the Java call's; ids the Python
 * router made up stay made up). The Java client's calls must return the right Java values or exceptions.
 */
class ClientReplayTests {

    static ZContext context;

    RawSocket router;
    ClientDealer client;
    Identities ids;
    /** Recorded request id -> the Java client's id for the same call. */
    final Map<String, String> requestIds = new HashMap<>();

    @BeforeAll
    static void startContext() {
        context = new ZContext(1);
    }

    @AfterAll
    static void closeContext() {
        context.close();
    }

    @BeforeEach
    void bindRecordedRouter() {
        router = RawSocket.router(context);
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        router.close();
    }

    // ---------------------------------------------------------------- calls

    @Test
    void echo() throws Exception {
        connect(null, "router_info", 10);
        CompletableFuture<String> result = client.invokeAsync("EchoService.echo", String.class, "Hello, World!");
        expectRequest("echo", 9);
        answer("echo", 12);
        assertThat(result.get(5, TimeUnit.SECONDS)).isEqualTo("Hello, World!");
        assertNothingMore();
    }

    @Test
    void echoUnicode() throws Exception {
        connect(null, "router_info", 10);
        CompletableFuture<String> result = client.invokeAsync("EchoService.echo", String.class, "héllo, 世界 ✓");
        // the recorded request escapes non-ASCII as \\uXXXX, the Java one need not: the JSON values are compared
        expectRequest("echo_unicode", 9);
        answer("echo_unicode", 12);
        assertThat(result.get(5, TimeUnit.SECONDS)).isEqualTo("héllo, 世界 ✓");
        assertNothingMore();
    }

    @Test
    void add() throws Exception {
        connect(null, "router_info", 10);
        CompletableFuture<Integer> result = client.invokeAsync("EchoService.add", Integer.class, 5, 3);
        expectRequest("add", 9);
        answer("add", 12);
        assertThat(result.get(5, TimeUnit.SECONDS)).isEqualTo(8);
        assertNothingMore();
    }

    @Test
    void addWithKeywordArguments() throws Exception {
        connect(null, "router_info", 10);
        CompletableFuture<Integer> result = client.call("EchoService.add").kwarg("a", 5).kwarg("b", 3)
                .invokeAsync(Integer.class);
        expectRequest("add_kwargs", 9);
        answer("add_kwargs", 12);
        assertThat(result.get(5, TimeUnit.SECONDS)).isEqualTo(8);
        assertNothingMore();
    }

    @Test
    void stream() throws Exception {
        connect(null, "router_info", 10);
        Stream<Integer> items = client.stream("EchoService.stream", Integer.class, 0, 5);
        CompletableFuture<List<Integer>> collected = CompletableFuture.supplyAsync(items::toList);
        expectRequest("stream", 9);
        answer("stream", 12, 14, 16, 18, 20, 22);
        assertThat(collected.get(5, TimeUnit.SECONDS)).containsExactly(0, 1, 2, 3, 4);
        items.close();
        assertNothingMore();
    }

    @Test
    void asyncMethodResultAsRecord() throws Exception {
        connect(null, "router_info", 10);
        CompletableFuture<EchoService.Slept> result = client.invokeAsync("EchoService.slow", EchoService.Slept.class, 0.2);
        expectRequest("async_method", 9);
        answer("async_method", 12);
        assertThat(result.get(5, TimeUnit.SECONDS)).isEqualTo(new EchoService.Slept(0.2));
        assertNothingMore();
    }

    @Test
    void methodErrorWithoutRequestIdFailsTheOnlyOutstandingCall() {
        connect(null, "router_info", 10);
        CompletableFuture<String> result = client.invokeAsync("EchoService.fail", String.class, "boom");
        expectRequest("method_error", 9);
        answer("method_error", 12); // {"type": "error", "error": "Method execution error: boom"}: no request_id
        assertRemoteError(result, ErrorCode.EXECUTION_ERROR, "Method execution error: boom");
        assertNothingMore();
    }

    @Test
    void unknownMethodIsNotFoundAndQueuedCallsShowInQueueStatus() throws Exception {
        connect(null, "router_info", 10);
        CompletableFuture<String> result = client.invokeAsync("EchoService.nope", String.class, "x");
        expectRequest("unknown_method_raw", 7);
        CompletableFuture<Map<String, RouterStatus.Queue>> queues = CompletableFuture.supplyAsync(client::getQueueStatus);
        expectControl("unknown_method_raw", 12);
        answer("unknown_method_raw", 13);
        assertThat(queues.get(5, TimeUnit.SECONDS)).containsExactly(entry("EchoService.nope", new RouterStatus.Queue(1, 0, 0)));
        // the recorded answer (a dealer's id-less error) to the call, mapped to the Java call
        requestIds.put(Vectors.message("unknown_method_raw", 14).json().get("request_id").asString(),
                requestIds.get(Vectors.message("unknown_method_raw", 7).json().get("request_id").asString()));
        answer("unknown_method_raw", 17);
        assertRemoteError(result, ErrorCode.NOT_FOUND, "Method EchoService.nope not found");
        assertNothingMore();
    }

    @Test
    void behindARouterThatAnnouncesCorrelationAnAnswerWithoutTheCallsIdAnswersNothing() {
        // the recorded Python router's answer, plus the capability a Java router announces: exact rules, no guesses
        connect(null, "router_info", 10, info -> info.putArray("capabilities").add("correlation"));
        CompletableFuture<String> result = client.invokeAsync("EchoService.fail", String.class, "boom");
        expectRequest("method_error", 9);
        answer("method_error", 12); // {"type": "error", "error": "Method execution error: boom"}: no request_id
        assertNothingMore();
        assertThat(result).isNotDone();
        // named, with its code: that is the answer; a code-less text is not read as a code
        String requestId = requestIds.get(Vectors.message("method_error", 9).json().get("request_id").asString());
        router.send(List.of(client.identity(), "reply_from_router", "{\"type\": \"error\", \"request_id\": \""
                + requestId + "\", \"error\": \"Method execution error: boom\"}"));
        assertRemoteError(result, ErrorCode.UNKNOWN, "Method execution error: boom");
        assertNothingMore();
    }

    @Test
    void loadBalanceErrorWithAFreshRequestIdFailsTheOnlyOutstandingCall() {
        connect(null, "lb_echo", 14);
        CompletableFuture<String> result = client.invokeAsync("EchoService.echo", String.class, "hi");
        expectRequest("lb_no_dealer", 1);
        // the recorded error's request_id is one the Python router made up, not the call's
        assertThat(Vectors.message("lb_no_dealer", 2).json().get("request_id").asString())
                .isNotEqualTo(Vectors.message("lb_no_dealer", 1).json().get("request_id").asString());
        answer("lb_no_dealer", 2);
        assertRemoteError(result, ErrorCode.OVERLOADED, "No available service for method EchoService.echo");
        assertNothingMore();
    }

    @Test
    void noCancelIsSentToARouterThatDoesNotAnnounceIt() {
        connect(null, "router_info", 10);
        assertThat(client.routerSupportsCancel()).isFalse();
        CompletableFuture<String> timedOut = client.call("EchoService.echo").arg("never answered")
                .timeout(Duration.ofMillis(100)).invokeAsync(String.class);
        expectRequest("echo", 9, WireMatch.rules().ignore("args"));
        assertRemoteError(timedOut, ErrorCode.DEADLINE_EXCEEDED, null);
        Stream<Integer> items = client.stream("EchoService.stream", Integer.class, 0, 5);
        expectRequest("stream", 9);
        items.close(); // the consumer gives up early
        // a Python router does not know "cancel": the next message must be the ping, not a cancel
        assertNothingMore();
    }

    // ---------------------------------------------------------------- authentication

    @Test
    void authAcceptedThenDiscoveryCallsAndRouterInfo() throws Exception {
        String key = Vectors.message("auth_client_ok", 7).json().get("api_key").asString();
        connect(key, "auth_client_ok", 16);
        CompletableFuture<Map<String, MethodInfo>> methods = CompletableFuture.supplyAsync(client::discoverServices);
        expectControl("auth_client_ok", 9);
        answer("auth_client_ok", 10);
        assertThat(methods.get(5, TimeUnit.SECONDS)).hasSize(5);
        CompletableFuture<String> result = client.invokeAsync("EchoService.echo", String.class, "authorised");
        expectRequest("auth_client_ok", 11);
        answer("auth_client_ok", 14);
        assertThat(result.get(5, TimeUnit.SECONDS)).isEqualTo("authorised");
        CompletableFuture<RouterStatus> info = CompletableFuture.supplyAsync(client::getRouterInfo);
        expectControl("auth_client_ok", 15);
        answer("auth_client_ok", 16);
        answerQueuesAndClusters();
        assertThat(info.get(5, TimeUnit.SECONDS).authRequired()).isTrue();
        assertNothingMore();
    }

    @Test
    void authRefusedFailsEveryLaterQuestionAsUnauthenticated() throws Exception {
        String key = Vectors.message("auth_client_fail", 7).json().get("api_key").asString();
        // the connect-time router_info gets what the recorded router answered the next question: Not authenticated
        connect(key, "auth_client_fail", 10);
        // The recorded Python client asks "methods" next and gets "Not authenticated". The Java client fails at
        // once with the router's reason when it has already read the refusal; if it has not yet, its "methods"
        // reaches the router and gets the recorded answer. Either way: UNAUTHENTICATED.
        CompletableFuture<Map<String, MethodInfo>> methods = CompletableFuture.supplyAsync(client::discoverServices);
        long deadline = System.nanoTime() + RawSocket.ANSWER.toNanos();
        while (!methods.isDone() && System.nanoTime() < deadline) {
            List<String> question = router.receive(Duration.ofMillis(20));
            if (question != null) {
                WireMatch.assertMatches("question after the refusal", question.subList(1, question.size()),
                        recordedBody("auth_client_fail", 9), WireMatch.rules());
                answer("auth_client_fail", 10);
            }
        }
        assertThatThrownBy(() -> methods.get(5, TimeUnit.SECONDS)).cause()
                .isInstanceOfSatisfying(VoidRailException.class, ex -> {
                    assertThat(ex.code()).isEqualTo(ErrorCode.UNAUTHENTICATED);
                    assertThat(ex.getMessage()).isIn("Authentication failed", "Not authenticated");
                });
        // the refusal is known now: a call fails at once with the router's reason, and nothing is sent
        assertRemoteError(client.invokeAsync("EchoService.echo", String.class, "hi"), ErrorCode.UNAUTHENTICATED,
                "Authentication failed");
        // (a ping would fail locally as well, so a bounded wait shows that nothing more was sent)
        assertThat(router.receive(Duration.ofMillis(100))).isNull();
    }

    @Test
    void withoutKeyQuestionsAndCallsAreNotAuthenticated() {
        connect(null, "auth_client_nokey", 8);
        CompletableFuture<Map<String, MethodInfo>> methods = CompletableFuture.supplyAsync(client::discoverServices);
        expectControl("auth_client_nokey", 7);
        answer("auth_client_nokey", 8);
        assertRemoteError(methods, ErrorCode.UNAUTHENTICATED, "Not authenticated");
        ids.bind("<client-2>", client.identity());
        CompletableFuture<String> call = client.invokeAsync("EchoService.echo", String.class, "hi");
        expectRequest("auth_client_nokey", 9);
        answer("auth_client_nokey", 10); // an "error" frame with an id the router made up
        assertRemoteError(call, ErrorCode.UNAUTHENTICATED, "Not authenticated");
        assertNothingMore();
    }

    // ---------------------------------------------------------------- discovery and monitoring

    @Test
    void methodsParseIntoMethodInfo() throws Exception {
        connect(null, "router_info", 10);
        CompletableFuture<Map<String, MethodInfo>> methods = CompletableFuture.supplyAsync(client::discoverServices);
        expectControl("methods", 7);
        answer("methods", 8);
        assertThat(methods.get(5, TimeUnit.SECONDS)).containsOnlyKeys("EchoService.add", "EchoService.echo",
                "EchoService.fail", "EchoService.slow", "EchoService.stream")
                .containsEntry("EchoService.add", new MethodInfo("EchoService.add", "Add two numbers",
                        Map.of("a", "first number", "b", "second number"), false, Map.of()))
                .containsEntry("EchoService.echo", new MethodInfo("EchoService.echo", null, Map.of(), false, Map.of()))
                .containsEntry("EchoService.slow", new MethodInfo("EchoService.slow",
                        "Sleep without blocking, then report how long", Map.of("seconds", "sleep time"), false, Map.of()))
                .containsEntry("EchoService.stream", new MethodInfo("EchoService.stream", null, Map.of(), true, Map.of()));
        assertNothingMore();
    }

    @Test
    void clustersParseIntoDealerStatus() throws Exception {
        connect(null, "router_info", 10);
        String dealerId = ids.of("<dealer-1>");
        CompletableFuture<Map<String, RouterStatus.Dealer>> clusters = CompletableFuture.supplyAsync(client::discoverClusters);
        expectControl("clusters", 13);
        answer("clusters", 14);
        assertThat(clusters.get(5, TimeUnit.SECONDS)).containsExactly(entry(dealerId, recordedDealer(dealerId)));

        CompletableFuture<Map<String, RouterStatus.Dealer>> afterShutdown = CompletableFuture.supplyAsync(client::discoverClusters);
        expectControl("dealer_shutdown", 13);
        answer("dealer_shutdown", 14);
        assertThat(afterShutdown.get(5, TimeUnit.SECONDS).get(dealerId).state()).isEqualTo(DealerState.SHUTDOWN);
        assertNothingMore();
    }

    /** The dealer of the recorded {@code clusters} answer; what a Python router does not say is the documented default. */
    static RouterStatus.Dealer recordedDealer(String dealerId) {
        List<String> methods = List.of("EchoService.add", "EchoService.echo", "EchoService.fail", "EchoService.slow",
                "EchoService.stream");
        return new RouterStatus.Dealer(dealerId, "EchoService", methods, DealerState.ACTIVE, 100, 1, 1, 2, 1,
                Instant.ofEpochSecond(1795594644, 542386000), null, Map.of());
    }

    @Test
    void routerInfoQueueStatusAndClustersParseIntoRouterStatus() throws Exception {
        connect(null, "router_info", 10);
        CompletableFuture<RouterStatus> info = CompletableFuture.supplyAsync(client::getRouterInfo);
        expectControl("router_info", 9);
        answer("router_info", 10);
        answerQueuesAndClusters();
        // {"mode": "fifo", "address": "tcp://127.0.0.1:36889", "heartbeat_timeout": 30.0, "active_services": 1,
        //  "total_services": 1, "queue_stats": {}, "auth_required": false}: the rest is unknown, not made up
        RouterStatus status = info.get(5, TimeUnit.SECONDS);
        assertThat(status).isEqualTo(new RouterStatus(RouterMode.FIFO, "tcp://127.0.0.1:36889", false, false, null,
                Duration.ofSeconds(30), null, RouterStatus.UNKNOWN_COUNT, RouterStatus.UNKNOWN_COUNT,
                Map.of("EchoService.echo", new RouterStatus.Queue(0, 1, 0)),
                List.of(recordedDealer(ids.of("<dealer-1>"))), Map.of(), Map.of(), List.of()));
        assertThat(status.requestsInProcess()).isEqualTo(1);

        CompletableFuture<RouterStatus> balanced = CompletableFuture.supplyAsync(client::getRouterInfo);
        expectControl("lb_echo", 13);
        answer("lb_echo", 14);
        answerQueuesAndClusters();
        assertThat(balanced.get(5, TimeUnit.SECONDS).mode()).isEqualTo(RouterMode.LOAD_BALANCE);
        assertNothingMore();
    }

    /** {@code getRouterInfo()} asks {@code queue_status} and {@code clusters} after {@code router_info}. */
    void answerQueuesAndClusters() {
        expectControl("queue_status", 15);
        answer("queue_status", 16);
        expectControl("clusters", 13);
        answer("clusters", 14);
    }

    @Test
    void queueStatusParsesIntoQueues() throws Exception {
        connect(null, "router_info", 10);
        CompletableFuture<Map<String, RouterStatus.Queue>> empty = CompletableFuture.supplyAsync(client::getQueueStatus);
        expectControl("queue_status", 9);
        answer("queue_status", 10);
        assertThat(empty.get(5, TimeUnit.SECONDS)).isEmpty();

        CompletableFuture<Map<String, RouterStatus.Queue>> idle = CompletableFuture.supplyAsync(client::getQueueStatus);
        expectControl("queue_status", 15);
        answer("queue_status", 16);
        assertThat(idle.get(5, TimeUnit.SECONDS)).containsExactly(entry("EchoService.echo", new RouterStatus.Queue(0, 1, 0)));

        ids.bind("<client-3>", client.identity()); // the client that asked in the recording
        CompletableFuture<Map<String, RouterStatus.Queue>> busy = CompletableFuture.supplyAsync(client::getQueueStatus);
        expectControl("fifo_queueing", 16);
        answer("fifo_queueing", 17);
        assertThat(busy.get(5, TimeUnit.SECONDS)).containsExactly(entry("EchoService.slow", new RouterStatus.Queue(1, 0, 1)));
        assertNothingMore();
    }

    @Test
    void pingIsRouterMonitorAnsweredWithHeartbeatAck() throws Exception {
        connect(null, "router_info", 10);
        CompletableFuture<Boolean> ping = CompletableFuture.supplyAsync(() -> client.ping(Duration.ofSeconds(5)));
        expectControl("router_monitor", 1);
        answer("router_monitor", 2);
        assertThat(ping.get(5, TimeUnit.SECONDS)).isTrue();

        // unanswered within its timeout: false
        CompletableFuture<Boolean> unanswered = CompletableFuture.supplyAsync(() -> client.ping(Duration.ofMillis(100)));
        expectControl("router_monitor", 1);
        assertThat(unanswered.get(5, TimeUnit.SECONDS)).isFalse();
    }

    // ---------------------------------------------------------------- the recorded router's side

    /**
     * Connects a Java client (with or without a key) and plays the router's part of its start: the recorded
     * {@code auth} exchange when it has a key, then its {@code router_info} question, answered with the given
     * recorded message (a Python router announces no capabilities).
     */
    void connect(@Nullable String apiKey, String infoScenario, int infoAnswerSeq) {
        connect(apiKey, infoScenario, infoAnswerSeq, info -> { });
    }

    /** As {@link #connect(String, String, int)}, with the recorded {@code router_info} result edited first. */
    void connect(@Nullable String apiKey, String infoScenario, int infoAnswerSeq, Consumer<ObjectNode> editInfo) {
        // no liveness pings of its own during a test: every message the recorded router sees is one the test expects
        client = ClientDealer.builder().routerAddress(router.address()).environment(new AuthEnvironment(Map.of()))
                .timeout(Duration.ofSeconds(5)).heartbeatInterval(Duration.ofSeconds(60)).apiKey(apiKey).build();
        assertThat(client.identity()).matches(Identities.CLIENT_ID);
        ids = new Identities().bind("<client-1>", client.identity());
        client.connect();
        if (apiKey != null) {
            String scenario = apiKey.startsWith("invalid_") ? "auth_client_fail" : "auth_client_ok";
            expectControl(scenario, 7);
            answer(scenario, 8);
        }
        expectControl("router_info", 9);
        Message info = RouterReplayTests.withJson(Vectors.message(infoScenario, infoAnswerSeq),
                json -> editInfo.accept((ObjectNode) json.get("result")));
        router.send(ids.apply(info.frames()));
    }

    /** The client's next message must be the recorded {@code call_from_client}; its request id is learnt. */
    void expectRequest(String scenario, int seq) {
        expectRequest(scenario, seq, WireMatch.rules());
    }

    void expectRequest(String scenario, int seq, WireMatch.Rules extra) {
        Message recorded = Vectors.message(scenario, seq);
        assertThat(recorded.token()).isEqualTo("call_from_client");
        List<String> actual = nextFromClient(recorded.toString());
        // the Java id is its own; timeout_ms, deadline_ms and headers are the REQUEST extensions of PROTOCOL.md section 9
        WireMatch.Rules rules = extra.freshRequestId().allowExtra("timeout_ms", "deadline_ms", "headers")
                .check("timeout_ms", "the milliseconds left, at most the client's timeout",
                        node -> node.isIntegralNumber() && node.asLong() >= 0 && node.asLong() <= 5_000)
                .check("deadline_ms", "a deadline in Unix epoch milliseconds",
                        node -> node.isIntegralNumber() && node.asLong() > System.currentTimeMillis() - 60_000)
                .check("headers", "a string map", node -> node.isObject() && node.valueStream().allMatch(v -> v.isString()));
        WireMatch.assertMatches(recorded.toString(), actual, ids.apply(recorded.body()), rules);
        requestIds.put(recorded.json().get("request_id").asString(),
                WireMatch.parse(actual.get(actual.size() - 1)).get("request_id").asString());
    }

    /** The client's next message must be the recorded question ({@code auth}, {@code methods}, ...). */
    void expectControl(String scenario, int seq) {
        Message recorded = Vectors.message(scenario, seq);
        assertThat(recorded.toRouter()).isTrue();
        WireMatch.assertMatches(recorded.toString(), nextFromClient(recorded.toString()), ids.apply(recorded.body()),
                WireMatch.rules());
    }

    List<String> recordedBody(String scenario, int seq) {
        return ids.apply(Vectors.message(scenario, seq).body());
    }

    /** Sends recorded router messages to the Java client: its identity, and its request ids, substituted. */
    void answer(String scenario, int... seqs) {
        for (int seq : seqs) {
            Message recorded = Vectors.message(scenario, seq);
            assertThat(recorded.toRouter()).isFalse();
            List<String> frames = new ArrayList<>();
            for (String frame : ids.apply(recorded.frames())) {
                for (Map.Entry<String, String> id : requestIds.entrySet()) {
                    frame = frame.replace(id.getKey(), id.getValue());
                }
                frames.add(frame);
            }
            assertThat(frames.get(0)).as("addressed to the Java client").isEqualTo(client.identity());
            router.send(frames);
        }
    }

    /** Nothing beyond what the test expected (no cancel, no repeated question): the next message is a ping. */
    void assertNothingMore() {
        CompletableFuture<Boolean> ping = CompletableFuture.supplyAsync(() -> client.ping(Duration.ofSeconds(5)));
        expectControl("router_monitor", 1);
        answer("router_monitor", 2);
        assertThat(ping.join()).isTrue();
    }

    private List<String> nextFromClient(String what) {
        List<String> frames = router.expect(what + " from the Java client");
        assertThat(frames.get(0)).as("routing identity").isEqualTo(client.identity());
        return frames.subList(1, frames.size());
    }

    static void assertRemoteError(CompletableFuture<?> result, ErrorCode code, @Nullable String text) {
        assertThatThrownBy(() -> result.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .cause().isInstanceOfSatisfying(VoidRailException.class, ex -> {
                    assertThat(ex.code()).isEqualTo(code);
                    if (text != null) {
                        assertThat(ex.getMessage()).isEqualTo(text);
                    }
                });
    }
}
