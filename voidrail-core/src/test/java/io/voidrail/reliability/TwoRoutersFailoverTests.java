package io.voidrail.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.voidrail.client.ClientDealer;
import io.voidrail.dealer.DealerState;
import io.voidrail.dealer.ServiceDealer;
import io.voidrail.it.Bus;
import io.voidrail.protocol.ErrorCode;

/**
 * Two router processes; a dealer registered with both and a client that knows both, in this JVM. The primary router
 * is killed (SIGKILL) under load: the client fails over to the other within two heartbeat intervals, calls in
 * flight at that moment end with an answer or an explicit UNAVAILABLE, and no call is lost.
 */
class TwoRoutersFailoverTests {

    /** The client's heartbeat interval (its default). */
    private static final Duration HEARTBEAT = Duration.ofSeconds(1);
    private static final int IN_FLIGHT = 4;

    @Test
    void killingThePrimaryRouterUnderLoadMovesTheCallsToTheOther() throws Exception {
        try (JavaProcess primary = JavaProcess.start(RouterMain.class, "tcp://127.0.0.1:0");
                JavaProcess secondary = JavaProcess.start(RouterMain.class, "tcp://127.0.0.1:0")) {
            String first = primary.awaitLine("READY (\\S+)", Duration.ofSeconds(30)).group(1);
            String second = secondary.awaitLine("READY (\\S+)", Duration.ofSeconds(30)).group(1);
            try (ServiceDealer dealer = ServiceDealer.builder().routerAddresses(first, second)
                    .service(new ReliabilityService("jvm")).environment(Bus.NO_ENV).heartbeatInterval(Duration.ofMillis(200))
                    .slots(IN_FLIGHT).build().start();
                    ClientDealer client = ClientDealer.builder().routerAddresses(first, second).environment(Bus.NO_ENV)
                            .heartbeatInterval(HEARTBEAT).timeout(Duration.ofSeconds(10)).build()) {
                await().atMost(Duration.ofSeconds(20)).until(() -> dealer.routerStates().values().stream()
                        .allMatch(state -> state == DealerState.REGISTERED));
                client.connect();
                await().atMost(Duration.ofSeconds(10)).until(client::isConnected);
                assertThat(client.routerAddress()).isEqualTo(first);

                CallTally tally = new CallTally("primary_router_kill");
                Semaphore window = new Semaphore(IN_FLIGHT);
                load(client, tally, window, Duration.ofSeconds(1));
                tally.fault();
                primary.kill();
                load(client, tally, window, HEARTBEAT.multipliedBy(3));
                CallTally.Result result = tally.finish(Duration.ofSeconds(15));

                long firstAnswer = tally.firstAnswerAfterFaultMs();
                System.out.println("primary_router_kill: first answer through " + client.routerAddress() + " "
                        + firstAnswer + " ms after the kill");
                assertThat(client.routerAddress()).isEqualTo(second);
                assertThat(result.answered()).isGreaterThan(IN_FLIGHT);
                // calls in flight at the kill end explicitly: UNAVAILABLE (they may or may not have run)
                assertThat(result.errors().keySet()).isSubsetOf(ErrorCode.UNAVAILABLE);
                assertThat(firstAnswer).isBetween(0L, HEARTBEAT.multipliedBy(2).toMillis());
                assertThat(tally.failedSubmittedLaterThan(HEARTBEAT.multipliedBy(2))).as("failed calls sent later than "
                        + "two heartbeat intervals after the kill").isZero();
                // the load ran for 3 intervals after the kill; its last calls ended soon after
                assertThat(result.lastEndMs()).isLessThan(HEARTBEAT.multipliedBy(3).toMillis() + 2000);
            }
        }
    }

    /** Keeps {@code IN_FLIGHT} short calls under way for {@code duration}. */
    private static void load(ClientDealer client, CallTally tally, Semaphore window, Duration duration)
            throws InterruptedException {
        long until = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < until) {
            if (!window.tryAcquire(50, TimeUnit.MILLISECONDS)) {
                continue;
            }
            CompletableFuture<String> call = tally.add(client.call("Reliability.work").arg(0.05).invokeAsync(String.class));
            call.whenComplete((value, error) -> window.release());
        }
    }
}
