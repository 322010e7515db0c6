package io.voidrail.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.voidrail.client.ClientDealer;
import io.voidrail.dealer.ServiceDealer;
import io.voidrail.it.Bus;
import io.voidrail.it.LogCapture;
import io.voidrail.ErrorCode;
import io.voidrail.status.DealerState;
import io.voidrail.RouterMode;
import io.voidrail.status.RouterStatus;
import io.voidrail.router.ServiceRouter;

/**
 * Real dealer processes killed, frozen and stopped while the test's router, survivor dealer and client run in this
 * JVM. Every call must end with a result or an explicit error within the bounds (a killed busy dealer's calls
 * within 15 s with the default settings, within 7 s with a 3 s heartbeat timeout); none may be lost.
 */
class DealerFaultTests {

    /** What a call costs on a dealer; the victim holds four of them when the fault comes. */
    private static final double WORK_SECONDS = 1.0;
    private static final Duration DEFAULT_BOUND = Duration.ofSeconds(15);
    private static final Duration SHORT_HEARTBEAT = Duration.ofSeconds(3);
    private static final Duration SHORT_BOUND = Duration.ofSeconds(7);

    private final Resources resources = new Resources();

    @AfterEach
    void closeAll() {
        resources.close();
    }

    @Test
    void kill9OfABusyDealerInFifoMode() {
        busyDealerFault("kill9-busy-fifo", RouterMode.FIFO, b -> { }, JavaProcess::kill, DEFAULT_BOUND);
    }

    @Test
    void kill9OfABusyDealerInLoadBalanceMode() {
        busyDealerFault("kill9-busy-lb", RouterMode.LOAD_BALANCE, b -> { }, JavaProcess::kill, DEFAULT_BOUND);
    }

    /** A frozen process keeps its connection open: only the heartbeat timeout can tell (a hung host looks the same). */
    @Test
    void aFrozenBusyDealerIsLostAfterTheHeartbeatTimeout() {
        busyDealerFault("sigstop-busy-fifo-hb3s", RouterMode.FIFO, b -> b.heartbeatTimeout(SHORT_HEARTBEAT),
                victim -> victim.signal("STOP"), SHORT_BOUND);
    }

    /**
     * The victim registers first, so it gets the first four calls: two of {@code work} (not idempotent: DEALER_LOST)
     * and two of {@code retryable} (idempotent: re-queued and answered by the survivor).
     */
    private void busyDealerFault(String name, RouterMode mode, Consumer<ServiceRouter.Builder> config,
            Consumer<JavaProcess> fault, Duration bound) {
        ServiceRouter router = router(b -> config.accept(b.mode(mode)));
        JavaProcess victim = victim(router, "slots=4", "max-concurrent=4");
        String victimId = identityOf(victim);
        survivor(router, 4, 8);
        ClientDealer client = client(router);
        int calls = mode == RouterMode.FIFO ? 12 : 8; // load balance has no queue: what fits at once
        Tally tally = new Tally(name);
        for (int i = 0; i < calls; i++) {
            String method = i % 4 < 2 ? "work" : "retryable";
            tally.submit(method, client.invokeAsync("Reliability." + method, String.class, WORK_SECONDS));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> dealer(router, victimId).inFlight() == 4);
        tally.fault();
        fault.accept(victim);
        tally.awaitEnd(bound.plusSeconds(5));
        long lostCallsEnd = tally.lastEndMillis(o -> o.code() == ErrorCode.DEALER_LOST);
        String line = tally.summary("lost_calls_end_ms=" + lostCallsEnd + " bound_ms=" + bound.toMillis());

        assertThat(tally.lost()).as(line).isZero();
        assertThat(tally.errors()).as(line).hasSize(2).allSatisfy(error -> {
            assertThat(error.code()).isEqualTo(ErrorCode.DEALER_LOST);
            assertThat(error.label()).as("only the call that is not idempotent fails").isEqualTo("work");
            assertThat(error.error()).contains(victimId);
        });
        assertThat(tally.answered()).as(line).hasSize(calls - 2)
                .allSatisfy(answer -> assertThat(answer.result()).isEqualTo("survivor"));
        assertThat(lostCallsEnd).as("the killed dealer's calls end within the bound").isBetween(0L, bound.toMillis());
        assertThat(dealer(router, victimId).state()).isEqualTo(DealerState.INACTIVE);
    }

    @Test
    void kill9OfAnIdleDealer() {
        ServiceRouter router = router(b -> { });
        JavaProcess victim = victim(router);
        String victimId = identityOf(victim);
        survivor(router, 1, 100);
        ClientDealer client = client(router);
        Tally tally = new Tally("kill9-idle-fifo");
        LogCapture logs = resources.keep(new LogCapture());
        tally.fault();
        victim.kill();
        // until the router has seen the connection close, a call may still go down the dead connection: it ends
        // DEALER_LOST (the router cannot tell that the dealer never ran it). From then on the socket refuses the
        // dispatch and the call goes to the survivor.
        await().atMost(DEFAULT_BOUND).until(() -> logs.contains("dealer " + victimId + ": connection from"));
        for (int i = 0; i < 8; i++) {
            tally.submit("work", client.invokeAsync("Reliability.work", String.class, 0.05));
        }
        await().atMost(DEFAULT_BOUND).until(() -> dealer(router, victimId).state() == DealerState.INACTIVE);
        long inactiveMs = (System.nanoTime() - tally.faultNanos()) / 1_000_000L;
        tally.awaitEnd(DEFAULT_BOUND);
        String line = tally.summary("inactive_ms=" + inactiveMs);

        assertThat(tally.lost()).as(line).isZero();
        assertThat(tally.errors()).as(line).isEmpty();
        assertThat(tally.answered()).as(line).hasSize(8).allSatisfy(a -> assertThat(a.result()).isEqualTo("survivor"));
        assertThat(inactiveMs).isLessThanOrEqualTo(DEFAULT_BOUND.toMillis());
    }

    @Test
    void aStoppingDealerTakesNoNewCallsFinishesItsOwnAndLeaves() {
        ServiceRouter router = router(b -> { });
        JavaProcess victim = victim(router, "slots=2");
        String victimId = identityOf(victim);
        survivor(router, 2, 100);
        ClientDealer client = client(router);
        Tally tally = new Tally("dealer-stop-fifo");
        for (int i = 0; i < 2; i++) {
            tally.submit("running", client.invokeAsync("Reliability.work", String.class, 1.5));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> dealer(router, victimId).inFlight() == 2);
        tally.fault();
        victim.closeInput(); // DealerMain closes its dealer: shutdown, then up to its grace period for the calls it runs
        await().atMost(Duration.ofSeconds(5)).until(() -> dealer(router, victimId).state() == DealerState.SHUTDOWN);
        for (int i = 0; i < 4; i++) {
            tally.submit("new", client.invokeAsync("Reliability.work", String.class, 0.05));
        }
        tally.awaitEnd(DEFAULT_BOUND);
        String line = tally.summary("");

        assertThat(tally.lost()).as(line).isZero();
        assertThat(tally.errors()).as(line).isEmpty();
        assertThat(tally.answered()).filteredOn(a -> a.label().equals("running")).as(line)
                .hasSize(2).allSatisfy(a -> assertThat(a.result()).isEqualTo("pid" + victim.pid()));
        assertThat(tally.answered()).filteredOn(a -> a.label().equals("new")).as(line)
                .hasSize(4).allSatisfy(a -> assertThat(a.result()).isEqualTo("survivor"));
        assertThat(victim.awaitExit(Duration.ofSeconds(15))).isZero();
        assertThat(victim.lines()).contains("STOPPED");
    }

    // ---------------------------------------------------------------- set-up

    private ServiceRouter router(Consumer<ServiceRouter.Builder> config) {
        ServiceRouter.Builder builder = ServiceRouter.builder().address("tcp://127.0.0.1:0").environment(Bus.NO_ENV);
        config.accept(builder);
        return keep(builder.build().start());
    }

    /** A dealer process serving {@link ReliabilityService}, registered with the router, heartbeating every second. */
    private JavaProcess victim(ServiceRouter router, String... options) {
        List<String> args = new ArrayList<>(List.of(router.address(), ReliabilityService.class.getName(), "heartbeat-ms=1000"));
        args.addAll(List.of(options));
        JavaProcess victim = keep(JavaProcess.start(DealerMain.class, args.toArray(String[]::new)));
        victim.awaitLine("READY Reliability-[0-9a-f]{8}", Duration.ofSeconds(30));
        return victim;
    }

    private static String identityOf(JavaProcess victim) {
        return victim.awaitLine("READY (\\S+)", Duration.ofSeconds(1)).group(1);
    }

    private void survivor(ServiceRouter router, int slots, int maxConcurrent) {
        ServiceDealer dealer = keep(ServiceDealer.builder().routerAddress(router.address())
                .service(new ReliabilityService("survivor")).environment(Bus.NO_ENV).slots(slots)
                .maxConcurrent(maxConcurrent).build().start());
        await().atMost(Duration.ofSeconds(10)).until(dealer::isRegistered);
    }

    private ClientDealer client(ServiceRouter router) {
        ClientDealer client = keep(ClientDealer.builder().routerAddress(router.address()).environment(Bus.NO_ENV)
                .timeout(Duration.ofSeconds(30)).build());
        assertThat(client.ping(Duration.ofSeconds(10))).isTrue();
        return client;
    }

    private static RouterStatus.Dealer dealer(ServiceRouter router, String id) {
        return router.status().dealers().stream().filter(d -> d.id().equals(id)).findFirst().orElseThrow();
    }

    private <T extends AutoCloseable> T keep(T resource) {
        return resources.keep(resource);
    }
}
