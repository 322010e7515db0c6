package io.voidrail.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.zeromq.ZContext;

import io.voidrail.RouterMode;
import io.voidrail.VoidRailException;
import io.voidrail.annotation.ServiceMethod;
import io.voidrail.annotation.VoidRailService;
import io.voidrail.auth.ApiKeyManager;
import io.voidrail.client.ClientDealer;
import io.voidrail.dealer.ServiceDealer;
import io.voidrail.it.Bus;
import io.voidrail.it.RawPeer;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Recorded frames, mutated (frames dropped, duplicated, swapped, bytes flipped, truncated, JSON values replaced by
 * extreme numbers, long strings or deep nesting), thrown at a real router, a Java dealer and a Java client (the
 * latter two through a raw ROUTER playing the router). After each try a normal call still succeeds.
 *
 * <p>The router requires API keys and the attacker holds a client key: a hostile client, the threat that keys leave
 * open (without keys anybody may register as a dealer, and the calls it takes are lost to the caller by design).
 *
 * <p>The recorded calls name EchoService's methods; here {@link QuickEcho} serves them with bounded work, so that a
 * mutated {@code slow(1e300)} or {@code stream(0, 2147483647)} (genuine calls, as far as anyone can tell) does not
 * keep the one-slot dealer busy for the rest of the run.
 */
class MutatedFramesPropertiesTests {

    private static final Pattern REQUEST_ID = Pattern.compile("\"request_id\":\\s*\"([^\"]+)\"");
    private static final Pattern JSON_VALUE = Pattern.compile(":\\s*(\"[^\"]*\"|-?[0-9.eE+]+|true|false|null)");
    private static final String[] EXTREMES = { "1e300", "-1e300", "2147483648", "-9223372036854775809",
            "1" + "0".repeat(500), "NaN", "\"" + "x".repeat(5000) + "\"", "[".repeat(2000), "{}", "[]", "null" };
    /** A Python router's {@code router_info} (recorded): the client assumes the V1 protocol. */
    private static final String PYTHON_ROUTER_INFO = "{\"type\": \"reply\", \"result\": {\"mode\": \"fifo\", "
            + "\"heartbeat_timeout\": 30.0, \"active_services\": 1, \"total_services\": 1, \"queue_stats\": {}, "
            + "\"auth_required\": false}}";
    /** A Java router's: it correlates every answer by request id, so nothing but the right answer ends a call. */
    private static final String JAVA_ROUTER_INFO = "{\"type\": \"reply\", \"result\": {\"mode\": \"fifo\", "
            + "\"heartbeat_timeout\": 30.0, \"active_services\": 1, \"total_services\": 1, \"queue_stats\": {}, "
            + "\"auth_required\": false, \"implementation\": \"voidrail-java/0\", \"capabilities\": "
            + "[\"correlation\", \"cancel\", \"deadline\", \"slots\", \"timeout\", \"credits\"]}}";
    private static final Duration BOUND = Duration.ofSeconds(3);
    private static final String DEALER_KEY = ApiKeyManager.generateKey("dealer");
    private static final String CLIENT_KEY = ApiKeyManager.generateKey("client");
    private static final String ATTACKER_AUTH = "{\"api_key\": \"" + CLIENT_KEY + "\"}";
    private static final AtomicInteger CALLS = new AtomicInteger();

    private static ZContext context;
    private static Bus bus;
    private static ClientDealer busClient;
    private static RawPeer attacker;
    private static RawSocket dealerRouter;
    private static ServiceDealer dealer;
    private static ClientSide pythonRouter;
    private static ClientSide javaRouter;

    enum Op { DROP, DUPLICATE, SWAP, FLIP, TRUNCATE, EXTREME, EMPTY }

    /** EchoService's recorded methods, each bounded in time and size. */
    @VoidRailService("EchoService")
    public static class QuickEcho {

        @ServiceMethod
        public String echo(String message) {
            return message;
        }

        @ServiceMethod
        public int add(int a, int b) {
            return a + b;
        }

        @ServiceMethod
        public Stream<Integer> stream(int start, int end) {
            return IntStream.range(start, Math.min(end, start + 5)).boxed();
        }

        @ServiceMethod
        public double slow(double seconds) throws InterruptedException {
            Thread.sleep(Math.max(0, Math.min(10, (long) (seconds * 1000))));
            return seconds;
        }

        @ServiceMethod
        public String fail(String message) {
            throw new IllegalStateException(message);
        }
    }

    @BeforeContainer
    static void start() {
        context = new ZContext(1);
        bus = Bus.start(b -> b.mode(RouterMode.FIFO).requireAuth(true).dealerApiKeys(List.of(DEALER_KEY))
                .clientApiKeys(List.of(CLIENT_KEY)));
        bus.dealer(new QuickEcho(), b -> b.apiKey(DEALER_KEY));
        busClient = bus.client(b -> b.apiKey(CLIENT_KEY));
        attacker = new RawPeer(bus.address(), Identities.newClientId());
        dealerRouter = RawSocket.router(context, true);
        dealer = ServiceDealer.builder().routerAddress(dealerRouter.address()).service(new QuickEcho())
                .environment(Bus.NO_ENV).heartbeatInterval(Duration.ofMillis(500)).build().start();
        pythonRouter = new ClientSide(PYTHON_ROUTER_INFO);
        javaRouter = new ClientSide(JAVA_ROUTER_INFO);
    }

    @AfterContainer
    static void stop() {
        pythonRouter.close();
        javaRouter.close();
        dealer.close();
        attacker.close();
        bus.close();
        dealerRouter.close();
        context.close();
    }

    @Provide
    Arbitrary<List<String>> toRouter() {
        return mutated(Vectors.all().values().stream().flatMap(List::stream).filter(Vectors.Message::toRouter)
                .map(Vectors.Message::body).toList());
    }

    @Provide
    Arbitrary<List<String>> toDealer() {
        // not the refusal of a bad key: that one legitimately stops the dealer
        return mutated(messagesTo("dealer").stream().filter(m -> !m.token().equals("error")).map(Vectors.Message::body)
                .toList());
    }

    @Provide
    Arbitrary<List<String>> toClient() {
        return mutated(messagesTo("client").stream().map(Vectors.Message::body).toList());
    }

    private static List<Vectors.Message> messagesTo(String role) {
        return Vectors.all().values().stream().flatMap(List::stream)
                .filter(m -> !m.toRouter() && m.peerRole().equals(role)).toList();
    }

    @Property(tries = 150)
    void theRouterSurvivesAndStillAnswers(@ForAll("toRouter") List<String> frames) {
        attacker.send("auth", ATTACKER_AUTH); // again: a mutated auth may have cost it its authentication
        attacker.send(frames.toArray(String[]::new));
        while (attacker.receive(0) != null) {
            // answers to mutated messages are not looked at
        }
        String text = "n" + CALLS.incrementAndGet();
        assertThat(busClient.invokeAsync("EchoService.echo", String.class, text)).succeedsWithin(BOUND)
                .isEqualTo(text);
    }

    @Property(tries = 150)
    void theDealerSurvivesAndStillAnswers(@ForAll("toDealer") List<String> frames) {
        String id = awaitDealerRegistered();
        List<String> message = new ArrayList<>(List.of(id));
        message.addAll(frames);
        dealerRouter.send(message);
        String requestId = "p" + CALLS.incrementAndGet();
        String caller = Identities.newClientId();
        dealerRouter.send(List.of(id, "call_from_router", caller, "EchoService.echo", "{\"type\": \"request\", "
                + "\"request_id\": \"" + requestId + "\", \"func_name\": \"EchoService.echo\", \"args\": [\"" + requestId
                + "\"], \"kwargs\": {}}"));
        long end = System.nanoTime() + BOUND.toNanos();
        while (System.nanoTime() < end) {
            List<String> got = dealerRouter.receive(Duration.ofMillis(100));
            if (got == null) {
                continue;
            }
            answerRegistration(got);
            if (got.get(1).equals("reply_from_dealer") && got.get(3).contains("\"" + requestId + "\"")) {
                assertThat(got.get(2)).isEqualTo(caller);
                assertThat(got.get(3)).containsPattern("\"result\":\\s*\"" + requestId + "\"");
                return;
            }
        }
        throw new AssertionError("the dealer did not answer " + requestId + " after " + frames);
    }

    /**
     * Behind a Python router an id-less error legitimately answers the oldest call (PROTOCOL.md section 4), so a
     * mutated frame may end the call with a VoidRail error; it must end, and the next call must get its answer.
     */
    @Property(tries = 150)
    void theClientOfAPythonRouterSurvives(@ForAll("toClient") List<String> frames) {
        String text = "c" + CALLS.incrementAndGet();
        CompletableFuture<String> call = pythonRouter.callWith(frames, text);
        try {
            assertThat(call.get(BOUND.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo(text);
        }
        catch (ExecutionException ex) {
            assertThat(ex.getCause()).as("how the call after %s ended", frames).isInstanceOf(VoidRailException.class);
        }
        catch (InterruptedException | TimeoutException ex) {
            throw new AssertionError("the call after " + frames + " did not end", ex);
        }
        String next = "c" + CALLS.incrementAndGet();
        assertThat(pythonRouter.callWith(List.of(), next)).as("the next call after %s", frames).succeedsWithin(BOUND)
                .isEqualTo(next);
    }

    /** Behind a Java router only the answer carrying the call's request id ends it. */
    @Property(tries = 150)
    void theClientOfAJavaRouterTakesOnlyItsAnswer(@ForAll("toClient") List<String> frames) {
        String text = "j" + CALLS.incrementAndGet();
        assertThat(javaRouter.callWith(frames, text)).as("the call after %s", frames).succeedsWithin(BOUND)
                .isEqualTo(text);
    }

    /** The dialects apart: an id-less error answers the oldest call of a Python router, no call of a Java one. */
    @Example
    void anIdLessErrorEndsACallOnlyBehindAPythonRouter() {
        List<String> error = List.of("error", "{\"type\": \"error\", \"error\": \"Service Router Error\"}");
        assertThat(javaRouter.callWith(error, "java")).succeedsWithin(BOUND).isEqualTo("java");
        assertThat(pythonRouter.callWith(error, "python")).failsWithin(BOUND).withThrowableThat()
                .havingCause().isInstanceOf(VoidRailException.class).withMessage("Service Router Error");
    }

    /** The dealer's identity once it has registered (again: a mutated message may have made it reconnect). */
    private static String awaitDealerRegistered() {
        long end = System.nanoTime() + BOUND.toNanos();
        while (!dealer.isRegistered()) {
            if (System.nanoTime() - end > 0) {
                throw new AssertionError("the dealer did not register again within " + BOUND);
            }
            List<String> got = dealerRouter.receive(Duration.ofMillis(100));
            if (got != null) {
                answerRegistration(got);
            }
        }
        return dealer.identity();
    }

    private static void answerRegistration(List<String> got) {
        if (got.get(1).equals("register")) {
            dealerRouter.send(List.of(got.get(0), "register_ack", ""));
        }
        else if (got.get(1).equals("heartbeat")) {
            dealerRouter.send(List.of(got.get(0), "heartbeat_ack", ""));
        }
    }

    /** A raw ROUTER playing a router for one Java client: it introduces itself, answers pings, takes calls. */
    private static final class ClientSide implements AutoCloseable {

        private final String routerInfo;
        private final RawSocket router;
        private final ClientDealer client;

        ClientSide(String routerInfo) {
            this.routerInfo = routerInfo;
            this.router = RawSocket.router(context, true);
            this.client = ClientDealer.builder().routerAddress(router.address()).environment(Bus.NO_ENV)
                    .timeout(Duration.ofSeconds(5)).build();
        }

        /** A call to echo {@code text}: the mutated frames reach the client first, then the genuine answer. */
        CompletableFuture<String> callWith(List<String> frames, String text) {
            CompletableFuture<String> call = client.invokeAsync("EchoService.echo", String.class, text);
            List<String> request = awaitCall();
            List<String> mutated = new ArrayList<>(List.of(request.get(0)));
            mutated.addAll(frames);
            router.send(mutated);
            Matcher id = REQUEST_ID.matcher(request.get(3));
            assertThat(id.find()).as("a request id in %s", request).isTrue();
            router.send(List.of(request.get(0), "reply_from_router", "{\"type\": \"reply\", \"request_id\": \""
                    + id.group(1) + "\", \"result\": \"" + text + "\"}"));
            return call;
        }

        private List<String> awaitCall() {
            long end = System.nanoTime() + BOUND.toNanos();
            while (System.nanoTime() < end) {
                List<String> got = router.receive(Duration.ofMillis(100));
                if (got == null) {
                    continue;
                }
                switch (got.get(1)) {
                    case "call_from_client" -> {
                        return got;
                    }
                    case "router_info" -> router.send(List.of(got.get(0), "router_info_ack", routerInfo));
                    case "router_monitor" -> router.send(List.of(got.get(0), "heartbeat_ack", ""));
                    default -> {
                        // the client's cancel of a call that ended with an error, and the like
                    }
                }
            }
            throw new AssertionError("the client's call did not reach the router within " + BOUND);
        }

        @Override
        public void close() {
            client.close();
            router.close();
        }
    }

    /** A recorded message with a few mutations applied. */
    private static Arbitrary<List<String>> mutated(List<List<String>> recorded) {
        return Arbitraries.of(recorded).flatMap(frames -> Arbitraries.of(Op.values()).list().ofMinSize(1).ofMaxSize(4)
                .flatMap(ops -> Arbitraries.longs().map(seed -> mutate(frames, ops, new Random(seed)))));
    }

    static List<String> mutate(List<String> original, List<Op> ops, Random random) {
        List<String> frames = new ArrayList<>(original);
        for (Op op : ops) {
            if (frames.isEmpty()) {
                frames.add("");
            }
            int at = random.nextInt(frames.size());
            String frame = frames.get(at);
            switch (op) {
                case DROP -> frames.remove(at);
                case DUPLICATE -> frames.add(at, frame);
                case SWAP -> frames.set(at, frames.set(random.nextInt(frames.size()), frame));
                case FLIP -> {
                    if (!frame.isEmpty()) {
                        char[] chars = frame.toCharArray();
                        int i = random.nextInt(chars.length);
                        chars[i] = (char) (chars[i] ^ (1 << random.nextInt(8)));
                        frames.set(at, new String(chars));
                    }
                }
                case TRUNCATE -> frames.set(at, frame.substring(0, random.nextInt(frame.length() + 1)));
                case EXTREME -> {
                    Matcher values = JSON_VALUE.matcher(frame);
                    List<int[]> spans = new ArrayList<>();
                    while (values.find()) {
                        spans.add(new int[] { values.start(1), values.end(1) });
                    }
                    String extreme = EXTREMES[random.nextInt(EXTREMES.length)];
                    if (spans.isEmpty()) {
                        frames.set(at, extreme);
                    }
                    else {
                        int[] span = spans.get(random.nextInt(spans.size()));
                        frames.set(at, frame.substring(0, span[0]) + extreme + frame.substring(span[1]));
                    }
                }
                case EMPTY -> frames.set(at, "");
            }
        }
        return frames.isEmpty() ? List.of("") : frames;
    }
}
