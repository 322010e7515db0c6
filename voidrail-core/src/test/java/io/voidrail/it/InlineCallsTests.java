package io.voidrail.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

import io.voidrail.RouterMode;
import io.voidrail.annotation.ServiceMethod;
import io.voidrail.annotation.VoidRailService;
import io.voidrail.client.ClientDealer;
import io.voidrail.dealer.ServiceDealer;

/**
 * Quick calls run on the dealer's I/O thread; a long one moves the loop to another thread, which keeps heartbeating
 * and takes the cancel, while the call ends on the old one. The long-call tests play the router with a raw ROUTER
 * socket, to see every heartbeat the dealer sends.
 */
class InlineCallsTests {

    private static final String DEALER_THREAD = "voidrail-dealer-";
    private static final String WORKER_THREAD = "voidrail-worker-";

    @VoidRailService("Inline")
    public static class InlineService {

        final CompletableFuture<Boolean> holdInterrupted = new CompletableFuture<>();

        @ServiceMethod
        public String thread() {
            return Thread.currentThread().getName() + "#" + Thread.currentThread().getId();
        }

        @ServiceMethod
        public String hold(int millis) {
            try {
                Thread.sleep(millis);
                holdInterrupted.complete(false);
            }
            catch (InterruptedException ex) {
                holdInterrupted.complete(true);
            }
            return Thread.currentThread().getName();
        }

        @ServiceMethod
        public Stream<String> threads() {
            return Stream.of(Thread.currentThread().getName());
        }
    }

    @Test
    void quickCallsRunOnTheDealersIoThreadStreamsAndDisabledDealersOnWorkers() {
        try (Bus bus = Bus.start(RouterMode.FIFO)) {
            bus.dealer(new InlineService());
            ClientDealer client = bus.client();
            String first = client.call("Inline.thread").invoke(String.class);
            assertThat(first).startsWith(DEALER_THREAD);
            for (int i = 0; i < 5; i++) {
                String next = client.call("Inline.thread").invoke(String.class);
                if (!next.equals(first)) {
                    // only if the machine stalled a call for 20 ms: the loop moved on, and the stalled thread left
                    assertThat(next).startsWith(WORKER_THREAD);
                    await().atMost(Duration.ofSeconds(5)).until(() -> !alive(first));
                    break;
                }
            }
            assertThat(client.call("Inline.threads").stream(String.class).toList())
                    .singleElement().asString().startsWith(WORKER_THREAD);
        }
        try (Bus bus = Bus.start(RouterMode.FIFO)) {
            bus.dealer(new InlineService(), b -> b.inlineQuickCalls(false));
            assertThat(bus.client().call("Inline.thread").invoke(String.class)).startsWith(WORKER_THREAD);
        }
    }

    @Test
    void aLongCallKeepsHeartbeatsFlowingTakesItsCancelAndItsMethodMovesToWorkers() throws Exception {
        InlineService service = new InlineService();
        try (ZContext context = new ZContext(); RawRouter router = new RawRouter(context)) {
            ServiceDealer dealer = ServiceDealer.builder().routerAddress(router.address).service(service)
                    .environment(Bus.NO_ENV).heartbeatInterval(Duration.ofMillis(50))
                    .routerSilenceTimeout(Duration.ofSeconds(30)).build().start();
            try {
                assertThat(router.next("register").get(1)).contains("\"hold\"").contains("\"thread\"");
                byte[] dealerId = router.lastIdentity;
                router.send(dealerId, "register_ack", "");

                router.send(dealerId, "call_from_router", "client-1", "Inline.hold",
                        "{\"type\": \"request\", \"request_id\": \"long\", \"args\": [20000], \"kwargs\": {}}");
                await().atMost(Duration.ofSeconds(5)).until(() -> threadsNamed(dealerId).size() == 2);
                // the call holds one thread; the other serves the socket: heartbeats keep coming
                int reportingTheCall = 0;
                long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                while (reportingTheCall < 5) {
                    assertThat(System.nanoTime() - end).as("5 heartbeats reporting the call within 5 s").isNegative();
                    boolean running = router.next("heartbeat").get(1).contains("\"processing_requests\":1");
                    assertThat(running || reportingTheCall == 0).as("once the call runs, every heartbeat says so")
                            .isTrue();
                    reportingTheCall += running ? 1 : 0;
                }
                router.send(dealerId, "cancel_from_router", "client-1", "{\"request_id\": \"long\"}");
                List<String> cancelled = router.next("reply_from_dealer");
                assertThat(cancelled.get(2)).contains("\"request_id\":\"long\"").contains("CANCELLED");
                assertThat(service.holdInterrupted.get()).isTrue();
                await().atMost(Duration.ofSeconds(5)).until(() -> threadsNamed(dealerId).size() == 1);

                // its next call runs on a worker; other methods still on the (new) I/O thread
                router.send(dealerId, "call_from_router", "client-1", "Inline.hold",
                        "{\"type\": \"request\", \"request_id\": \"short\", \"args\": [1], \"kwargs\": {}}");
                assertThat(router.next("reply_from_dealer").get(2)).contains("\"short\"").contains(WORKER_THREAD);
                router.send(dealerId, "call_from_router", "client-1", "Inline.thread",
                        "{\"type\": \"request\", \"request_id\": \"quick\", \"args\": [], \"kwargs\": {}}");
                assertThat(router.next("reply_from_dealer").get(2)).contains("\"quick\"").contains(DEALER_THREAD);
            }
            finally {
                dealer.close();
            }
            router.next("shutdown"); // fails unless the new loop thread says goodbye
            await().atMost(Duration.ofSeconds(5)).until(() -> threadsNamed(dealerIdOf(dealer)).isEmpty());
        }
    }

    @Test
    void callsThatArriveWhileAnotherRunsGoToWorkersFromThenOn() throws Exception {
        try (ZContext context = new ZContext(); RawRouter router = new RawRouter(context);
                ServiceDealer dealer = router.registered(new InlineService())) {
            // as a LOAD_BALANCE router would: the second before the first is answered
            router.call("Inline.hold", "first", "15");
            router.call("Inline.thread", "second", "");
            assertThat(router.replyTo("second", 2)).as("it waited behind the first, or arrived while it ran")
                    .contains(WORKER_THREAD);
            router.call("Inline.thread", "third", "");
            assertThat(router.replyTo("third", 1)).contains(WORKER_THREAD);
        }
    }

    @Test
    void aTinyMethodRunsOnTheIoThreadEvenWhileAnotherCallIsInFlightASlowerOneNever() throws Exception {
        try (ZContext context = new ZContext(); RawRouter router = new RawRouter(context);
                ServiceDealer dealer = router.registered(new InlineService())) {
            // pairs sent back to back, as a LOAD_BALANCE router does: the second of a pair overlaps the first, so it
            // runs on a worker until the method has shown that its calls are shorter than a hand-off (once the JIT
            // has compiled the path: about 1,000 calls here)
            boolean secondOnIoThread = false;
            long giveUp = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            for (int pair = 0; !secondOnIoThread && System.nanoTime() - giveUp < 0; pair++) {
                router.call("Inline.thread", "a" + pair, "");
                router.call("Inline.thread", "b" + pair, "");
                secondOnIoThread = router.replyTo("b" + pair, 2).contains(DEALER_THREAD);
            }
            assertThat(secondOnIoThread).as("within 20 s, overlapping calls of a tiny method on the I/O thread").isTrue();
            // a method of 5 ms is not tiny: its overlapping call goes to a worker
            router.call("Inline.hold", "h1", "5");
            router.call("Inline.hold", "h2", "5");
            assertThat(router.replyTo("h2", 2)).contains(WORKER_THREAD);
        }
    }

    /** Whether the thread that {@code Inline.thread} named ({@code name#id}) still runs. */
    private static boolean alive(String thread) {
        long id = Long.parseLong(thread.substring(thread.lastIndexOf('#') + 1));
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getId() == id && t.isAlive());
    }

    private static byte[] dealerIdOf(ServiceDealer dealer) {
        return dealer.identity().getBytes(StandardCharsets.UTF_8);
    }

    /** The live threads of the dealer whose routing identity this is (its loop, and a call's former loop). */
    private static List<Thread> threadsNamed(byte[] dealerId) {
        String name = DEALER_THREAD + new String(dealerId, StandardCharsets.UTF_8);
        List<Thread> found = new ArrayList<>();
        Thread.getAllStackTraces().keySet().stream().filter(t -> t.isAlive() && t.getName().equals(name))
                .forEach(found::add);
        return found;
    }

    /** A ROUTER socket on 127.0.0.1 that the test reads and writes itself (one thread: the test's). */
    private static final class RawRouter implements AutoCloseable {

        final ZMQ.Socket socket;
        final String address;
        byte[] lastIdentity;
        byte[] dealerId;

        RawRouter(ZContext context) {
            socket = context.createSocket(SocketType.ROUTER);
            socket.setReceiveTimeOut(5_000);
            int port = socket.bindToRandomPort("tcp://127.0.0.1");
            address = "tcp://127.0.0.1:" + port;
        }

        /** The next message of this type (frames after identity and type, as text); fails after 5 s without one. */
        List<String> next(String type) {
            long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (System.nanoTime() - end < 0) {
                byte[] identity = socket.recv();
                if (identity == null) {
                    break;
                }
                List<String> frames = new ArrayList<>();
                while (socket.hasReceiveMore()) {
                    frames.add(socket.recvStr());
                }
                if (!frames.isEmpty() && frames.get(0).equals(type)) {
                    lastIdentity = identity;
                    return frames;
                }
            }
            throw new AssertionError("No " + type + " within 5 s");
        }

        /** A dealer of the service (up to 4 calls at once), registered with this router. */
        ServiceDealer registered(Object service) {
            ServiceDealer dealer = ServiceDealer.builder().routerAddress(address).service(service)
                    .environment(Bus.NO_ENV).maxConcurrent(4).routerSilenceTimeout(Duration.ofSeconds(30)).build()
                    .start();
            next("register");
            dealerId = lastIdentity;
            send(dealerId, "register_ack", "");
            return dealer;
        }

        /** A call to the {@linkplain #registered registered} dealer, as a router sends it. */
        void call(String method, String requestId, String args) {
            send(dealerId, "call_from_router", "client-1", method, "{\"type\": \"request\", \"request_id\": \""
                    + requestId + "\", \"args\": [" + args + "], \"kwargs\": {}}");
        }

        /** The next {@code replies} replies (in any order): the JSON of the one to {@code requestId}. */
        String replyTo(String requestId, int replies) {
            String found = null;
            for (int i = 0; i < replies; i++) {
                String reply = next("reply_from_dealer").get(2);
                found = reply.contains("\"" + requestId + "\"") ? reply : found;
            }
            assertThat(found).as("a reply to " + requestId).isNotNull();
            return found;
        }

        void send(byte[] identity, String... frames) {
            socket.sendMore(identity);
            for (int i = 0; i < frames.length; i++) {
                if (i < frames.length - 1) {
                    socket.sendMore(frames[i]);
                }
                else {
                    socket.send(frames[i]);
                }
            }
        }

        @Override
        public void close() {
            socket.close();
        }
    }
}
