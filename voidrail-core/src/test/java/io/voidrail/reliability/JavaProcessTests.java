package io.voidrail.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import io.voidrail.client.ClientDealer;
import io.voidrail.it.Bus;
import io.voidrail.RouterMode;

/** The launcher itself: a dealer in another JVM serves, and kill -9 ends it without a goodbye. */
class JavaProcessTests {

    @Test
    void aDealerProcessServesUntilKilled() {
        try (Bus bus = Bus.start(RouterMode.FIFO);
                JavaProcess dealer = JavaProcess.start(DealerMain.class, bus.address(), ReliabilityService.class.getName())) {
            String identity = dealer.awaitLine("READY (Reliability-[0-9a-f]{8})", Duration.ofSeconds(30)).group(1);
            ClientDealer client = bus.client();
            assertThat(client.invoke("Reliability.work", String.class, 0.0)).isEqualTo("pid" + dealer.pid());
            assertThat(bus.router().status().dealers()).anyMatch(d -> d.id().equals(identity));
            dealer.kill();
            assertThat(dealer.isAlive()).isFalse();
            assertThat(dealer.awaitExit(Duration.ofSeconds(5))).as("SIGKILL").isEqualTo(137);
            assertThat(dealer.lines()).noneMatch(line -> line.equals("STOPPED"));
        }
    }

    @Test
    void aRouterProcessAnswersAndClosingItsInputStopsItGracefully() {
        try (JavaProcess router = JavaProcess.start(RouterMain.class, "tcp://127.0.0.1:0")) {
            String address = router.awaitLine("READY (tcp://127\\.0\\.0\\.1:\\d+)", Duration.ofSeconds(30)).group(1);
            try (ClientDealer client = ClientDealer.builder().routerAddress(address).environment(Bus.NO_ENV).build()) {
                assertThat(client.ping(Duration.ofSeconds(10))).isTrue();
            }
            router.closeInput();
            assertThat(router.awaitExit(Duration.ofSeconds(15))).isZero();
            assertThat(router.lines()).contains("STOPPED");
        }
    }
}
