package io.voidrail.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import io.voidrail.ErrorCode;
import io.voidrail.RouterMode;
import io.voidrail.VoidRailException;
import io.voidrail.client.ClientDealer;
import io.voidrail.router.ServiceRouter;

/** {@link ServiceRouter#close(Duration)}: returns as the last running call ends, or closes anyway after the grace. */
class GracefulCloseTests {

    @Test
    void closeReturnsWhenTheRunningCallEndsAndItsAnswerGetsThrough() throws Exception {
        Gate gate = new Gate();
        try (Bus bus = Bus.start(RouterMode.FIFO)) {
            bus.dealer(gate);
            ClientDealer client = bus.client();
            CompletableFuture<String> call = client.invokeAsync("Gate.hold", String.class, "released");
            ServiceRouter router = bus.router();
            awaitRunning(router);
            CompletableFuture<Boolean> closing = CompletableFuture.supplyAsync(() -> router.close(Duration.ofSeconds(20)));
            // the call is still held: close waits (the router still answers status, so it is not closed yet)
            assertThat(router.status().requestsInProcess()).isEqualTo(1);
            assertThat(closing).isNotDone();
            gate.open.countDown();
            assertThat(closing).succeedsWithin(Duration.ofSeconds(10)).isEqualTo(true);
            assertThat(call).succeedsWithin(Duration.ofSeconds(5)).isEqualTo("released");
            assertThat(router.isClosed()).isTrue();
        }
    }

    @Test
    void closeWithoutRunningCallsReturnsAtOnce() {
        try (Bus bus = Bus.start(RouterMode.FIFO)) {
            long start = System.nanoTime();
            assertThat(bus.router().close(Duration.ofMinutes(1))).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            assertThat(bus.router().isRunning()).isFalse();
            assertThat(bus.router().close(Duration.ofMinutes(1))).isTrue(); // closed already: nothing to wait for
        }
    }

    @Test
    void afterTheGraceTheRouterClosesAnywayAndTheRunningCallIsAnswered() {
        Gate gate = new Gate();
        try (Bus bus = Bus.start(RouterMode.FIFO)) {
            bus.dealer(gate);
            ClientDealer client = bus.client();
            CompletableFuture<String> call = client.invokeAsync("Gate.hold", String.class, "released");
            awaitRunning(bus.router());
            assertThat(bus.router().close(Duration.ofMillis(200))).isFalse();
            assertThat(call).failsWithin(Duration.ofSeconds(5)).withThrowableThat().havingCause()
                    .isInstanceOfSatisfying(VoidRailException.class,
                            ex -> assertThat(ex.code()).isEqualTo(ErrorCode.UNAVAILABLE));
            gate.open.countDown(); // before the dealer closes: it would wait for its running call
        }
    }

    private static void awaitRunning(ServiceRouter router) {
        await().atMost(Duration.ofSeconds(5))
                .until(() -> router.status().requestsInProcess() == 1);
    }
}
