package io.voidrail.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.voidrail.client.ClientDealer;
import io.voidrail.dealer.RegistrationState;
import io.voidrail.dealer.ServiceDealer;
import io.voidrail.it.Bus;
import io.voidrail.ErrorCode;

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
                        .allMatch(state -> state == RegistrationState.REGISTERED));
                client.connect();
                await().atMost(Duration.ofSeconds(10)).until(client::isConnected);
                assertThat(client.routerAddress()).isEqualTo(first);

                Tally tally = new Tally("primary_router_kill");
                Semaphore window = new Semaphore(IN_FLIGHT);
                load(client, tally, window, Duration.ofSeconds(1), "before");
                tally.fault();
                primary.kill();
                long killed = System.nanoTime();
                load(client, tally, window, HEARTBEAT.multipliedBy(2), "during");
                load(client, tally, window, HEARTBEAT, "after"); // submitted more than 2 intervals after the kill
                tally.awaitEnd(Duration.ofSeconds(20));
                long firstAnswer = tally.answered().stream().mapToLong(Tally.Outcome::endNanos)
                        .filter(end -> end - killed > 0).min().orElseThrow() - killed;
                tally.summary("first_answer_after_kill_ms=" + firstAnswer / 1_000_000);

                assertThat(tally.lost()).isZero();
                assertThat(client.routerAddress()).isEqualTo(second);
                assertThat(tally.answered()).hasSizeGreaterThan(IN_FLIGHT);
                // calls in flight at the kill end explicitly: UNAVAILABLE (they may or may not have run)
                assertThat(tally.errors()).allSatisfy(outcome -> assertThat(outcome.code()).isEqualTo(ErrorCode.UNAVAILABLE));
                assertThat(Duration.ofNanos(firstAnswer)).isLessThanOrEqualTo(HEARTBEAT.multipliedBy(2));
                assertThat(tally.errors()).as("calls submitted more than two heartbeat intervals after the kill fail none")
                        .noneMatch(outcome -> outcome.label().equals("after"));
                // the load ran for 3 intervals after the kill; its last calls ended soon after
                assertThat(tally.lastEndMillis()).isLessThan(HEARTBEAT.multipliedBy(3).toMillis() + 2000);
            }
        }
    }

    /** Keeps {@code IN_FLIGHT} short calls under way for {@code duration}. */
    private static void load(ClientDealer client, Tally tally, Semaphore window, Duration duration, String label)
            throws InterruptedException {
        long until = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() < until) {
            if (!window.tryAcquire(50, TimeUnit.MILLISECONDS)) {
                continue;
            }
            CompletableFuture<String> call = client.call("Reliability.work").arg(0.05).invokeAsync(String.class);
            tally.submit(label, call);
            call.whenComplete((value, error) -> window.release());
        }
    }
}
