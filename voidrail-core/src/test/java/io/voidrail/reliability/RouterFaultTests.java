package io.voidrail.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.voidrail.client.ClientDealer;
import io.voidrail.dealer.ServiceDealer;
import io.voidrail.it.Bus;
import io.voidrail.ErrorCode;
import io.voidrail.RouterMode;
import io.voidrail.router.ServiceRouter;

/** The router stopping, coming back on the same port, and answering calls it cannot serve: every call ends, fast. */
class RouterFaultTests {

    /** The dealer's default heartbeat interval: a restarted router has its dealers back within two of them. */
    private static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(1);

    private final Resources resources = new Resources();

    @AfterEach
    void closeAll() {
        resources.close();
    }

    @Test
    void aRouterRestartedOnTheSamePortEndsTheCallsItHeldAndServesAgainWithinTwoHeartbeats() {
        ServiceRouter first = keep(router("tcp://127.0.0.1:0", RouterMode.FIFO, ServiceRouter.DEFAULT_STARTUP_GRACE));
        String address = first.address();
        ServiceDealer dealer = keep(ServiceDealer.builder().routerAddress(address).service(new ReliabilityService("dealer"))
                .environment(Bus.NO_ENV).slots(2).heartbeatInterval(HEARTBEAT_INTERVAL).build().start());
        await().atMost(Duration.ofSeconds(10)).until(dealer::isRegistered);
        ClientDealer client = keep(ClientDealer.builder().routerAddress(address).environment(Bus.NO_ENV)
                .timeout(Duration.ofSeconds(10)).build());
        assertThat(client.ping(Duration.ofSeconds(10))).isTrue();
        Tally tally = new Tally("router-restart-fifo");
        for (int i = 0; i < 4; i++) {
            tally.submit("held", client.invokeAsync("Reliability.work", String.class, 2.0));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> first.status().requestsInProcess() == 2
                && first.status().requestsInQueue() == 2);

        tally.fault();
        first.close();
        ServiceRouter second = keep(router(address, RouterMode.FIFO, ServiceRouter.DEFAULT_STARTUP_GRACE));
        long restarted = System.nanoTime();
        // sent at once: the new router holds it through its start-up grace until the dealer has registered again
        tally.submit("after", client.invokeAsync("Reliability.work", String.class, 0.0));
        tally.awaitEnd(Duration.ofSeconds(15));
        long resumeMs = tally.outcomes().stream().filter(o -> o.label().equals("after"))
                .mapToLong(o -> (o.endNanos() - restarted) / 1_000_000L).max().orElse(-1);
        String line = tally.summary("resume_ms=" + resumeMs);

        assertThat(tally.lost()).as(line).isZero();
        assertThat(tally.errors()).as(line).hasSize(4).allSatisfy(error -> {
            assertThat(error.label()).isEqualTo("held");
            assertThat(error.code()).isEqualTo(ErrorCode.UNAVAILABLE);
        });
        assertThat(tally.errors()).extracting(Tally.Outcome::error).filteredOn(e -> e.endsWith("its outcome is unknown"))
                .as("the two running").hasSize(2);
        assertThat(tally.errors()).extracting(Tally.Outcome::error).filteredOn(e -> e.endsWith("it never ran"))
                .as("the two queued").hasSize(2);
        assertThat(tally.answered()).singleElement().satisfies(a -> assertThat(a.result()).isEqualTo("dealer"));
        assertThat(resumeMs).isBetween(0L, 2 * HEARTBEAT_INTERVAL.toMillis());
        assertThat(second.status().dealers()).singleElement().satisfies(d -> assertThat(d.id()).isEqualTo(dealer.identity()));
    }

    @Test
    void aCallForAMethodNoDealerRegisteredFailsAtOnceInBothModes() {
        for (RouterMode mode : RouterMode.values()) {
            Duration grace = Duration.ofMillis(300);
            ServiceRouter router = keep(router("tcp://127.0.0.1:0", mode, grace));
            ServiceDealer dealer = keep(ServiceDealer.builder().routerAddress(router.address())
                    .service(new ReliabilityService("dealer")).environment(Bus.NO_ENV).build().start());
            ClientDealer client = keep(ClientDealer.builder().routerAddress(router.address()).environment(Bus.NO_ENV)
                    .timeout(Duration.ofSeconds(30)).build());
            await().atMost(Duration.ofSeconds(10)).until(() -> dealer.isRegistered()
                    && router.status().uptime().compareTo(grace) > 0);
            assertThat(client.ping(Duration.ofSeconds(10))).isTrue();
            Tally tally = new Tally("unknown-method-" + (mode == RouterMode.FIFO ? "fifo" : "lb"));
            tally.fault();
            for (int i = 0; i < 20; i++) {
                tally.submit("nope", client.invokeAsync("Reliability.nope", String.class));
            }
            tally.awaitEnd(Duration.ofSeconds(10));
            String line = tally.summary("");

            assertThat(tally.lost()).as(line).isZero();
            assertThat(tally.errors()).as(line).hasSize(20)
                    .allSatisfy(error -> assertThat(error.code()).isEqualTo(ErrorCode.NOT_FOUND));
            assertThat(tally.lastEndMillis()).as("at once, not after the client's 30 s").isLessThan(2_000);
        }
    }

    private static ServiceRouter router(String address, RouterMode mode, Duration grace) {
        return ServiceRouter.builder().address(address).environment(Bus.NO_ENV).mode(mode).startupGrace(grace).build()
                .start();
    }

    private <T extends AutoCloseable> T keep(T resource) {
        return resources.keep(resource);
    }
}
