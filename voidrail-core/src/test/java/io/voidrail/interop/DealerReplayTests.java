package io.voidrail.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.zeromq.ZContext;

import io.voidrail.auth.AuthEnvironment;
import io.voidrail.dealer.RegistrationState;
import io.voidrail.dealer.ServiceDealer;
import io.voidrail.interop.Vectors.Message;
import io.voidrail.it.EchoService;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Java dealer (serving the test {@link EchoService}) against the recorded Python router: a raw ROUTER socket
 * receives the Java dealer's {@code register} and heartbeats and compares them with the recorded Python dealer's,
 * answers as the recorded router did, sends the recorded {@code call_from_router} frames, and compares the Java
 * dealer's {@code reply_from_dealer} messages with the recorded ones.
 */
class DealerReplayTests {

    /** The extension keys a Java dealer adds to {@code register}: PROTOCOL.md section 9, and nothing else. */
    static final Set<String> REGISTER_EXTENSIONS = Set.of("slots", "implementation", "capabilities");

    /** The methods the Python EchoService of the recording and the Java test EchoService both offer. */
    static final List<String> SHARED_METHODS = List.of("echo", "add", "stream", "slow", "fail");

    static final String PID = String.valueOf(ProcessHandle.current().pid());

    static ZContext context;

    RawSocket router;
    ServiceDealer dealer;
    Identities ids;
    /** Every heartbeat received (each answered with the recorded heartbeat_ack). */
    final List<List<String>> heartbeats = new ArrayList<>();

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
        if (dealer != null) {
            dealer.close();
        }
        router.close();
    }

    // ---------------------------------------------------------------- registration

    @Test
    void registerAndHeartbeatMatchTheRecordedPythonDealer() {
        List<String> register = startDealer(b -> { });
        WireMatch.assertMatches("register", register, recordedBody("register_heartbeat", 1), registerRules());
        assertMethodTable(WireMatch.parse(register.get(1)), Vectors.message("register_heartbeat", 1).json());

        acknowledgeRegistration("register_heartbeat", 2);
        // a heartbeat after the ack: the recorded one is the Python dealer's second, also after its acks
        WireMatch.assertMatches("heartbeat", heartbeatAfterRegistration(), recordedBody("register_heartbeat", 7),
                heartbeatRules());
    }

    @Test
    void registerCarriesTheDealerKeyTheRecordedRouterAccepted() {
        String key = Vectors.message("auth_client_ok", 1).json().get("api_key").asString();
        List<String> register = startDealer(b -> b.apiKey(key));
        // the recorded key is compared as a value: it is the one configured
        WireMatch.assertMatches("register with a key", register, recordedBody("auth_client_ok", 1), registerRules());
        acknowledgeRegistration("auth_client_ok", 2);
        WireMatch.assertMatches("heartbeat with a key", heartbeatAfterRegistration(), recordedBody("auth_client_ok", 5),
                heartbeatRules());
    }

    @Test
    void refusedDealerKeepsHeartbeatingWithItsKeyAndDoesNotRegisterAgain() {
        String key = Vectors.message("auth_dealer_bad_key", 1).json().get("api_key").asString();
        List<String> register = startDealer(b -> b.apiKey(key));
        WireMatch.assertMatches("register with a wrong key", register, recordedBody("auth_dealer_bad_key", 1),
                registerRules());
        router.send(ids.apply(Vectors.message("auth_dealer_bad_key", 2).frames()));
        RawSocket.await().until(() -> dealer.state() == RegistrationState.REFUSED);

        // as the recorded dealer: it goes on heartbeating with its key and each heartbeat gets the recorded error.
        // Python reports connection_state "CONNECTED" while refused; the Java dealer reports "CONNECTING" until a
        // register_ack (dealer_info is informational: routers ignore it, PROTOCOL.md section 6).
        for (int seq : new int[] { 5, 7 }) {
            List<String> beat = nextRawMessage();
            WireMatch.assertMatches("heartbeat of a refused dealer", beat.subList(1, beat.size()),
                    recordedBody("auth_dealer_bad_key", seq), heartbeatRules().check("connection_state",
                            "\"CONNECTING\"", node -> node.asString("").equals("CONNECTING")));
            router.send(ids.apply(Vectors.message("auth_dealer_bad_key", seq + 1).frames()));
        }
        assertThat(dealer.state()).isEqualTo(RegistrationState.REFUSED);
    }

    @Test
    void shutdownMatchesTheRecordedPythonDealer() {
        startDealer(b -> { });
        acknowledgeRegistration("dealer_shutdown", 2);
        CompletableFuture<Void> closing = CompletableFuture.runAsync(dealer::close);
        WireMatch.assertMatches("shutdown", next("shutdown"), recordedBody("dealer_shutdown", 11), WireMatch.rules());
        RawSocket.await().until(closing::isDone);
        assertThat(dealer.state()).isEqualTo(RegistrationState.STOPPED);
    }

    // ---------------------------------------------------------------- calls

    /** Every scenario in which the recorded router dispatched calls to the dealer. */
    static Stream<String> callScenarios() {
        return Vectors.all().entrySet().stream()
                .filter(e -> e.getValue().stream().anyMatch(m -> m.token().equals("call_from_router")))
                .map(Map.Entry::getKey);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("callScenarios")
    void javaDealerRepliesAsTheRecordedPythonDealer(String scenario) {
        startDealer(b -> { });
        acknowledgeRegistration(scenario, 2);
        Map<String, String> lastCallOf = new HashMap<>();
        int replies = 0;
        for (Message message : Vectors.scenario(scenario)) {
            if (!message.isDealer()) {
                continue;
            }
            if (message.token().equals("call_from_router")) {
                router.send(ids.apply(message.frames()));
                String client = ids.apply(message.frames().get(2));
                if (message.frames().size() < 5) {
                    // Deviation (the dealer's side of call_without_json): a Python dealer never answers a call
                    // without a JSON frame (and blocks on it); the Java dealer answers it at once with a
                    // BAD_REQUEST error, without request_id since the call has none.
                    List<String> reply = next("the answer to a call without JSON");
                    WireMatch.assertMatches(message + " answered", reply,
                            List.of("reply_from_dealer", client,
                                    "{\"type\": \"error\", \"error\": \"?\", \"code\": \"BAD_REQUEST\"}"),
                            WireMatch.rules().check("error", "a non-empty text", node -> !node.asString("").isBlank()));
                    replies++;
                }
                else {
                    lastCallOf.put(client, WireMatch.parse(message.frames().get(4)).get("request_id").asString());
                }
            }
            else if (message.token().equals("reply_from_dealer")) {
                List<String> expected = ids.apply(message.body());
                JsonNode recorded = WireMatch.parse(expected.get(2));
                if (recorded.path("type").asString("").equals("error") && !recorded.has("request_id")) {
                    // Allowed extension (PROTOCOL.md sections 4 and 9): a Python dealer's error has no request_id;
                    // the Java dealer's carries the call's id, and a code. The error text must be the recorded one.
                    ObjectNode withId = ((ObjectNode) recorded).put("request_id", lastCallOf.get(expected.get(1)));
                    expected = List.of(expected.get(0), expected.get(1), withId.toString());
                    WireMatch.assertMatches(message.toString(), next(message.toString()), expected,
                            WireMatch.rules().errorCodeAllowed());
                }
                else {
                    WireMatch.assertMatches(message.toString(), next(message.toString()), expected, WireMatch.rules());
                }
                replies++;
            }
        }
        assertThat(replies).as("replies compared").isPositive();
        assertNothingMoreBeforeAProbe();
    }

    /**
     * Nothing beyond the recorded replies: a further call's reply must be the next message (a stray message, such
     * as a second terminal message, would come first).
     */
    void assertNothingMoreBeforeAProbe() {
        String client = Identities.newClientId();
        String requestId = UUID.randomUUID().toString();
        router.send(List.of(dealer.identity(), "call_from_router", client, "EchoService.echo",
                "{\"type\": \"request\", \"request_id\": \"" + requestId + "\", \"func_name\": \"EchoService.echo\", "
                        + "\"request_step\": \"READY\", \"args\": [\"probe\"], \"kwargs\": {}}"));
        WireMatch.assertMatches("the probe's reply (nothing else before it)", next("the probe's reply"),
                List.of("reply_from_dealer", client, "{\"type\": \"reply\", \"request_id\": \"" + requestId
                        + "\", \"result\": \"probe\"}"), WireMatch.rules());
    }

    // ---------------------------------------------------------------- comparison rules

    /**
     * register: the Java dealer adds exactly the documented extension keys; process id, host and identity differ
     * by nature; the method table is compared per method by {@link #assertMethodTable}.
     */
    static WireMatch.Rules registerRules() {
        return WireMatch.rules()
                .allowExtra(REGISTER_EXTENSIONS.toArray(String[]::new))
                .check("slots", "a positive slot count", node -> node.isInt() && node.asInt() >= 1)
                .check("implementation", "a voidrail-java version", node -> node.asString("").startsWith("voidrail-java/"))
                .check("capabilities", "a list of capability names", node -> node.isArray() && node.size() > 0
                        && node.valueStream().allMatch(JsonNode::isString))
                .ignore("methods", "host_info.hostname", "host_info.ip")
                .check("host_info.pid", "this process id", node -> node.asLong() == Long.parseLong(PID))
                .check("remote_addr", "\"<ip> [PID:<pid>, ID:<8 hex of the identity>]\"",
                        node -> Pattern.matches("\\S+ \\[PID:" + PID + ", ID:[0-9a-f]{8}\\]", node.asString("")));
    }

    /** heartbeat: the count depends on timing, the process id on the process. */
    static WireMatch.Rules heartbeatRules() {
        return WireMatch.rules().ignore("heartbeat_count")
                .check("pid", "this process id", node -> node.asLong() == Long.parseLong(PID));
    }

    /**
     * Per method offered by both services: description, stream flag and metadata as recorded. Params as recorded
     * where the Python method documents them (add, slow); where it documents none Python sends null, while the Java
     * dealer names every parameter with its Java type (a deliberate Java feature: MethodHandler#params).
     */
    static void assertMethodTable(JsonNode register, JsonNode recordedRegister) {
        Map<String, String> javaParamTypes = Map.of("echo", "{\"message\":\"String\"}",
                "stream", "{\"start\":\"int\",\"end\":\"int\"}", "fail", "{\"message\":\"String\"}");
        for (String method : SHARED_METHODS) {
            JsonNode recorded = recordedRegister.path("methods").path(method);
            JsonNode actual = register.path("methods").path(method);
            assertThat(recorded.isObject()).as("recorded method %s", method).isTrue();
            WireMatch.Rules rules = WireMatch.rules();
            if (recorded.path("params").isNull()) {
                JsonNode types = WireMatch.parse(javaParamTypes.get(method));
                rules = rules.check("params", "the parameters with their Java types " + types, types::equals);
            }
            WireMatch.assertJsonMatches("method " + method, actual, recorded, rules);
        }
    }

    // ---------------------------------------------------------------- the recorded router's side

    /** Starts the Java dealer and returns its register message (identity stripped). */
    List<String> startDealer(Consumer<ServiceDealer.Builder> config) {
        ServiceDealer.Builder builder = ServiceDealer.builder().routerAddress(router.address()).service(new EchoService())
                .environment(new AuthEnvironment(Map.of())).heartbeatInterval(Duration.ofMillis(100))
                // this router answers heartbeats only when the test reads them: a busy machine must not make
                // the dealer give up on it and reconnect in the middle of a scenario
                .routerSilenceTimeout(Duration.ofSeconds(30));
        config.accept(builder);
        dealer = builder.build().start();
        assertThat(dealer.identity()).matches(Identities.DEALER_ID);
        ids = new Identities().bind("<dealer-1>", dealer.identity());
        return next("register");
    }

    void acknowledgeRegistration(String scenario, int ackSeq) {
        Message ack = Vectors.message(scenario, ackSeq);
        assertThat(ack.token()).isEqualTo("register_ack");
        router.send(ids.apply(ack.frames()));
        RawSocket.await().until(dealer::isRegistered);
    }

    List<String> recordedBody(String scenario, int seq) {
        return ids.apply(Vectors.message(scenario, seq).body());
    }

    /** The dealer's next message other than a heartbeat (heartbeats are answered as recorded), identity stripped. */
    List<String> next(String what) {
        while (true) {
            List<String> frames = nextRawMessage();
            if (!frames.get(1).equals("heartbeat")) {
                return frames.subList(1, frames.size());
            }
            acknowledge(frames);
        }
    }

    /**
     * The first heartbeat the dealer sent knowing it is registered (the Python one compared with it was also sent
     * after its register_ack); one sent before it read the ack says "CONNECTING" and is skipped.
     */
    List<String> heartbeatAfterRegistration() {
        // heartbeats sent before the dealer read its ack are still queued here; a busy machine can queue many
        for (int i = 0; i < 50; i++) {
            List<String> beat = nextHeartbeat();
            if (WireMatch.parse(beat.get(1)).path("dealer_info").path("connection_state").asString("").equals("CONNECTED")) {
                return beat;
            }
        }
        return fail("no heartbeat with connection_state CONNECTED after the register_ack: %s", heartbeats);
    }

    /** The dealer's next heartbeat (answered as recorded), identity stripped; fails on anything else. */
    List<String> nextHeartbeat() {
        List<String> frames = nextRawMessage();
        assertThat(frames.get(1)).as("message while waiting for a heartbeat: %s", frames).isEqualTo("heartbeat");
        acknowledge(frames);
        return frames.subList(1, frames.size());
    }

    private List<String> nextRawMessage() {
        List<String> frames = router.expect("message from the Java dealer");
        assertThat(frames.get(0)).as("routing identity").isEqualTo(dealer.identity());
        return frames;
    }

    private void acknowledge(List<String> heartbeat) {
        heartbeats.add(heartbeat);
        // a heartbeat read after the dealer closed cannot be answered, and needs no answer
        router.trySend(List.of(heartbeat.get(0), "heartbeat_ack", ""));
        if (heartbeats.size() > 100) {
            fail("heartbeat storm: %s", heartbeats.size());
        }
    }
}
