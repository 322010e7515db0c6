package io.voidrail.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.voidrail.VoidRailException;
import io.voidrail.annotation.ServiceMethod;
import io.voidrail.annotation.VoidRailService;
import io.voidrail.client.ClientDealer;
import io.voidrail.dealer.ServiceDealer;
import io.voidrail.it.Bus;
import io.voidrail.ErrorCode;
import io.voidrail.RouterMode;
import io.voidrail.service.CallContext;

/**
 * Every way a caller gives up reaches the running method and frees the dealer's slot at once: a cancelled future, a
 * closed stream, a passed deadline, a closed client. A one-slot dealer proves the slot is free: the next call runs.
 */
class CancellationTests {

    /** From the trigger until the method has seen it and the router's slot is free again. */
    private static final Duration BOUND = Duration.ofSeconds(2);

    private Bus bus;
    private ServiceDealer dealer;
    private ClientDealer client;
    private final Running service = new Running();

    @BeforeEach
    void start() {
        bus = Bus.start(RouterMode.FIFO);
        dealer = bus.dealer(service);
        client = bus.client();
        // warm: a first call of a fresh JVM on a loaded machine can take longer than the short deadline below
        assertThat(client.invoke("Running.echo", String.class, "warm")).isEqualTo("warm");
    }

    @AfterEach
    void stop() {
        bus.close();
    }

    @Test
    void cancellingTheFutureInterruptsABlockingMethod() throws Exception {
        Tally tally = new Tally("cancel_future");
        CompletableFuture<String> call = client.invokeAsync("Running.block", String.class);
        // the caller's future ends with a CancellationException: counted as the CANCELLED it is
        tally.submit("block", call.exceptionallyCompose(error -> CompletableFuture.failedFuture(
                error instanceof CancellationException ? new VoidRailException("cancelled", ErrorCode.CANCELLED) : error)));
        service.awaitStarted();
        tally.fault();
        assertThat(call.cancel(true)).isTrue();
        await().atMost(BOUND).untilTrue(service.interrupted);
        assertSlotFreed(tally);
        assertEndedWith(tally, ErrorCode.CANCELLED);
    }

    @Test
    void closingTheStreamStopsTheProducer() throws Exception {
        Tally tally = new Tally("cancel_stream_close");
        Stream<Long> items = client.call("Running.endless").timeout(Duration.ofSeconds(10)).stream(Long.class);
        Iterator<Long> iterator = items.iterator();
        for (long i = 0; i < 10; i++) {
            assertThat(iterator.next()).isEqualTo(i);
        }
        tally.fault();
        CompletableFuture<String> ended = new CompletableFuture<>();
        tally.submit("endless", ended);
        items.close();
        ended.completeExceptionally(new VoidRailException("closed by its consumer", ErrorCode.CANCELLED));
        assertSlotFreed(tally);
        await().atMost(BOUND).untilTrue(service.producerClosed);
        long produced = service.produced.get();
        // flow control: the producer was never far ahead of the consumer (the default window, at most 1024)
        assertThat(produced).isLessThanOrEqualTo(10 + 1024 + 32);
        await().during(Duration.ofMillis(300)).atMost(BOUND).until(() -> service.produced.get() == produced);
        assertEndedWith(tally, ErrorCode.CANCELLED);
    }

    @Test
    void aPassedDeadlineCancelsACooperativeMethod() throws Exception {
        Tally tally = new Tally("cancel_deadline");
        CompletableFuture<String> call = client.call("Running.cooperative").header("tenant", "acme")
                .timeout(Duration.ofMillis(1500)).invokeAsync(String.class);
        tally.submit("cooperative", call);
        service.awaitStarted();
        tally.fault(); // the trigger is the deadline; last_end_ms counts from the method's start
        await().atMost(Duration.ofSeconds(4)).untilTrue(service.sawCancelled);
        assertThat(service.context.get().headers()).containsEntry("tenant", "acme");
        assertThat(service.remainingAtStart.get()).isPositive().isLessThanOrEqualTo(1500);
        assertThat(service.context.get().method()).isEqualTo("Running.cooperative");
        assertSlotFreed(tally);
        // an answer from the bus, not the client giving up by itself: the router's verdict at the deadline (it
        // says where the call was) or, if the dealer's came first, that the method ended after its deadline
        assertEndedWith(tally, ErrorCode.DEADLINE_EXCEEDED);
        assertThat(tally.errors()).singleElement().satisfies(outcome -> assertThat(outcome.error()).satisfiesAnyOf(
                text -> assertThat(text).startsWith("Deadline exceeded for Running.cooperative: running on dealer "),
                text -> assertThat(text).isEqualTo("Running.cooperative did not finish before its deadline")));
        assertThat(call).isCompletedExceptionally();
    }

    @Test
    void closingTheClientCancelsItsCalls() throws Exception {
        ClientDealer leaving = bus.client();
        Tally tally = new Tally("cancel_client_close");
        tally.submit("block", leaving.invokeAsync("Running.block", String.class));
        service.awaitStarted();
        tally.fault();
        leaving.close();
        await().atMost(BOUND).untilTrue(service.interrupted);
        assertSlotFreed(tally);
        assertEndedWith(tally, ErrorCode.CANCELLED);
    }

    @Test
    void outsideACallTheContextIsInert() {
        assertThat(CallContext.current()).isSameAs(CallContext.NONE);
        assertThat(CallContext.current().isCancelled()).isFalse();
        assertThat(CallContext.current().remaining()).isEmpty();
    }

    /** The dealer dropped the call and the router gave the slot back: the one-slot dealer takes the next call. */
    private static void assertEndedWith(Tally tally, ErrorCode code) {
        tally.awaitEnd(BOUND).summary("");
        assertThat(tally.lost()).isZero();
        assertThat(tally.errors()).singleElement().satisfies(outcome -> assertThat(outcome.code()).isEqualTo(code));
    }

    private void assertSlotFreed(Tally tally) {
        await().atMost(BOUND).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(5))
                .until(() -> dealer.inFlight() == 0 && bus.router().status().requestsInProcess() == 0);
        long freedMs = (System.nanoTime() - tally.faultNanos()) / 1_000_000;
        assertThat(client.call("Running.echo").arg("next").timeout(BOUND).invoke(String.class)).isEqualTo("next");
        System.out.println("slot freed " + freedMs + " ms after the trigger");
    }

    @VoidRailService("Running")
    public static class Running {
        final CountDownLatch started = new CountDownLatch(1);
        final AtomicBoolean interrupted = new AtomicBoolean();
        final AtomicBoolean sawCancelled = new AtomicBoolean();
        final AtomicBoolean producerClosed = new AtomicBoolean();
        final AtomicLong produced = new AtomicLong();
        final AtomicLong remainingAtStart = new AtomicLong();
        final AtomicReference<CallContext> context = new AtomicReference<>();

        void awaitStarted() throws InterruptedException {
            assertThat(started.await(10, TimeUnit.SECONDS)).as("the method started").isTrue();
        }

        @ServiceMethod
        public String echo(String text) {
            return text;
        }

        /** Blocking code: only the interrupt tells it. */
        @ServiceMethod
        public String block() {
            started.countDown();
            try {
                Thread.sleep(60_000);
                return "slept";
            }
            catch (InterruptedException ex) {
                interrupted.set(true);
                Thread.currentThread().interrupt();
                return "interrupted";
            }
        }

        /** Cooperative code: asks its context, never blocks. */
        @ServiceMethod
        public String cooperative() {
            CallContext call = CallContext.current();
            context.set(call);
            remainingAtStart.set(call.remaining().orElseThrow().toMillis());
            started.countDown();
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!call.isCancelled() && System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            sawCancelled.set(call.isCancelled());
            return "stopped";
        }

        /** A producer that never ends by itself. */
        @ServiceMethod
        public Stream<Long> endless() {
            return Stream.iterate(0L, i -> i + 1).peek(i -> produced.incrementAndGet())
                    .onClose(() -> producerClosed.set(true));
        }
    }
}
