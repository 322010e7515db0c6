package io.voidrail.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import io.voidrail.ErrorCode;
import io.voidrail.RouterMode;
import io.voidrail.client.ClientDealer;
import io.voidrail.codec.JsonCodec;
import io.voidrail.event.CallEvent;
import io.voidrail.event.CallListener;
import io.voidrail.event.CallObservation;

/**
 * {@link CallObservation#queued} and {@link CallObservation#dispatched} over real sockets: what the router tells the
 * client about its call, and what the dealer knows before a worker starts; nothing of it with a router that does not
 * announce it.
 */
class CallProgressEventsTests {

    /** Notes each call's events, with the thread of queued and dispatched, and the queue times it was told. */
    static final class Recorder implements CallListener {
        final List<List<String>> calls = new CopyOnWriteArrayList<>();
        final List<Duration> queueTimes = new CopyOnWriteArrayList<>();

        @Override
        public boolean observesProgress() {
            return true;
        }

        @Override
        public CallObservation callStarted(CallEvent event) {
            List<String> events = new CopyOnWriteArrayList<>(List.of("started"));
            calls.add(events);
            return new CallObservation() {
                @Override
                public void queued() {
                    events.add("queued " + role(Thread.currentThread().getName()));
                }

                @Override
                public void dispatched(Duration queueTime) {
                    queueTimes.add(queueTime);
                    events.add("dispatched " + role(Thread.currentThread().getName()));
                }

                @Override
                public Scope openScope() {
                    events.add("scope");
                    return Scope.NONE;
                }

                @Override
                public void finished(@Nullable ErrorCode code, @Nullable Throwable error) {
                    events.add("finished " + (code == null ? "SUCCESS" : code));
                }
            };
        }

        /** The kind of thread: {@code client-io}, {@code worker} or its name. */
        private static String role(String thread) {
            return thread.startsWith("voidrail-client-") ? "client-io"
                    : thread.startsWith("voidrail-worker-") ? "worker" : thread;
        }
    }

    @Test
    void theClientHearsWhenItsCallWaitsAndWhenADealerTakesIt() {
        Gate gate = new Gate();
        Recorder clientA = new Recorder();
        Recorder clientB = new Recorder();
        Recorder dealerSide = new Recorder();
        try (Bus bus = Bus.start(RouterMode.FIFO)) {
            // on workers: the thread of the dealer's events is then known (a held call on the I/O thread moves it)
            bus.dealer(gate, b -> b.slots(1).inlineQuickCalls(false).listener(dealerSide));
            ClientDealer first = bus.client(b -> b.listener(clientA));
            ClientDealer second = bus.client(b -> b.listener(clientB));
            // both have read the router's capabilities (router_info) before they call
            first.connect();
            second.connect();
            await().atMost(Duration.ofSeconds(5)).until(() -> first.routerSupportsCancel() && second.routerSupportsCancel());

            CompletableFuture<String> holding = first.invokeAsync("Gate.hold", String.class, "a");
            await().atMost(Duration.ofSeconds(5)).until(() -> clientA.queueTimes.size() == 1);
            CompletableFuture<String> waiting = second.invokeAsync("Gate.hold", String.class, "b");
            await().atMost(Duration.ofSeconds(5)).until(() -> clientB.calls.size() == 1
                    && clientB.calls.get(0).contains("queued client-io"));
            long queuedSeen = System.nanoTime();
            await().atMost(Duration.ofSeconds(5)).until(() -> bus.router().status().requestsInQueue() == 1);
            long released = System.nanoTime();
            gate.open.countDown();
            assertThat(holding).succeedsWithin(Duration.ofSeconds(5)).isEqualTo("a");
            assertThat(waiting).succeedsWithin(Duration.ofSeconds(5)).isEqualTo("b");

            assertThat(clientA.calls).singleElement().asList()
                    .containsExactly("started", "scope", "dispatched client-io", "finished SUCCESS");
            assertThat(clientA.queueTimes).as("a dealer took it at once").containsExactly(Duration.ZERO);
            assertThat(clientB.calls).singleElement().asList()
                    .containsExactly("started", "scope", "queued client-io", "dispatched client-io", "finished SUCCESS");
            assertThat(clientB.queueTimes).hasSize(1);
            assertThat(clientB.queueTimes.get(0)).as("the router counted at least the time the test held it")
                    .isGreaterThanOrEqualTo(Duration.ofNanos(released - queuedSeen));

            await().atMost(Duration.ofSeconds(5)).until(() -> dealerSide.calls.size() == 2
                    && dealerSide.calls.get(1).size() == 4);
            assertThat(dealerSide.calls).allSatisfy(call -> assertThat(call)
                    .containsExactly("started", "dispatched worker", "scope", "finished SUCCESS"));
            assertThat(dealerSide.queueTimes).hasSize(2).allSatisfy(wait -> assertThat(wait)
                    .isBetween(Duration.ZERO, Duration.ofSeconds(5)));
        }
        finally {
            gate.open.countDown();
        }
    }

    @Test
    void aClientAsksForProgressOnlyOfARouterThatAnnouncesIt() throws Exception {
        Recorder listener = new Recorder();
        try (FakeRouter python = new FakeRouter("[\"cancel\"]")) {
            assertThat(callThrough(python, listener)).doesNotContain("progress");
        }
        try (FakeRouter java = new FakeRouter("[\"cancel\", \"progress\"]")) {
            assertThat(callThrough(java, listener, "{\"request_id\": \"$ID\", \"state\": \"queued\"}",
                    "{\"request_id\": \"$ID\", \"state\": \"dispatched\", \"queued_ms\": 12.5}",
                    "{\"request_id\": \"someone-else\", \"state\": \"queued\"}")).contains("\"progress\":true");
        }
        assertThat(listener.calls).containsExactly(List.of("started", "scope", "finished SUCCESS"),
                List.of("started", "scope", "queued client-io", "dispatched client-io", "finished SUCCESS"));
        assertThat(listener.queueTimes).containsExactly(Duration.ofMillis(12).plusNanos(500_000));
    }

    /** Progress costs messages: a listener that does not use it (one that only times calls) does not ask for it. */
    @Test
    void aListenerThatDoesNotObserveProgressDoesNotAskForIt() throws Exception {
        List<String> started = new CopyOnWriteArrayList<>();
        CallListener timing = new CallListener() {
            @Override
            public CallObservation callStarted(CallEvent event) {
                started.add(event.method());
                return CallObservation.NONE;
            }
        };
        try (FakeRouter java = new FakeRouter("[\"cancel\", \"progress\"]")) {
            assertThat(callThrough(java, timing)).doesNotContain("progress");
        }
        assertThat(started).hasSize(1);
    }

    @Test
    void aListenerThatThrowsOnProgressIsLoggedAndTheCallGoesOn() throws Exception {
        CallListener throwing = new CallListener() {
            @Override
            public boolean observesProgress() {
                return true;
            }

            @Override
            public CallObservation callStarted(CallEvent event) {
                return new CallObservation() {
                    @Override
                    public void queued() {
                        throw new IllegalStateException("listener bug in queued");
                    }

                    @Override
                    public void dispatched(Duration queueTime) {
                        throw new IllegalStateException("listener bug in dispatched");
                    }
                };
            }
        };
        try (LogCapture logs = new LogCapture(); FakeRouter router = new FakeRouter("[\"cancel\", \"progress\"]")) {
            callThrough(router, throwing, "{\"request_id\": \"$ID\", \"state\": \"queued\"}",
                    "{\"request_id\": \"$ID\", \"state\": \"dispatched\", \"queued_ms\": 1}");
            assertThat(logs.text()).contains("failed in queued of Echo.echo", "failed in dispatched of Echo.echo");
        }
    }

    /**
     * One call through a hand-made router, once the client has read its capabilities: the router answers with the
     * given {@code call_progress} payloads ({@code $ID}: the call's request id), then the result.
     *
     * @return the request as the router got it
     */
    private static String callThrough(FakeRouter router, CallListener listener, String... progress) throws Exception {
        try (ClientDealer client = ClientDealer.builder().routerAddress(router.address()).environment(Bus.NO_ENV)
                .listener(listener).timeout(Duration.ofSeconds(5)).build()) {
            client.connect();
            await().atMost(Duration.ofSeconds(5)).until(client::routerSupportsCancel);
            CompletableFuture<String> call = client.invokeAsync("Echo.echo", String.class, "x");
            List<String> frames = router.receive("call_from_client", 5_000);
            assertThat(frames).isNotNull();
            String request = frames.get(frames.size() - 1);
            String id = JsonCodec.defaults().read(request.getBytes(StandardCharsets.UTF_8)).path("request_id").asString();
            for (String payload : progress) {
                router.reply("call_progress", payload.replace("$ID", id));
            }
            router.reply("reply_from_router", "{\"type\": \"reply\", \"request_id\": \"" + id + "\", \"result\": \"x\"}");
            assertThat(call).succeedsWithin(Duration.ofSeconds(5)).isEqualTo("x");
            return request;
        }
    }
}
