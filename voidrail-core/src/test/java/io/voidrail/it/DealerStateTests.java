package io.voidrail.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;

import org.junit.jupiter.api.Test;

import io.voidrail.VoidRailException;
import io.voidrail.dealer.RegistrationState;
import io.voidrail.dealer.ServiceDealer;
import io.voidrail.ErrorCode;
import io.voidrail.RouterMode;

/** What a dealer tells about its registration: the {@code registered()} future and the state listener. */
class DealerStateTests {

    private static final Duration WAIT = Duration.ofSeconds(10);

    @Test
    void registeredCompletesAndTheListenerSeesRegistrationLostWhenTheRouterStops() throws Exception {
        List<String> changes = new CopyOnWriteArrayList<>();
        Bus bus = Bus.start(RouterMode.FIFO);
        try (ServiceDealer dealer = ServiceDealer.builder().routerAddress(bus.address()).service(new EchoService())
                .environment(Bus.NO_ENV)
                .stateListener((source, previous, current) -> changes.add(previous + ">" + current))
                .build()) {
            assertThat(dealer.start().registered()).succeedsWithin(WAIT).isSameAs(dealer);
            assertThat(changes).containsExactly("REGISTERING>REGISTERED");

            bus.close(); // router_shutdown: the dealer loses its registration and tries again
            await().atMost(WAIT).until(() -> changes.contains("REGISTERED>REGISTERING"));
            dealer.close();
            assertThat(changes).endsWith("REGISTERING>STOPPING", "STOPPING>STOPPED");
        }
        finally {
            bus.close();
        }
    }

    @Test
    void registeredFailsWhenTheRouterRefusesTheKey() {
        try (Bus bus = Bus.start((router) -> router.requireAuth(true).dealerApiKeys(List.of("right")));
                ServiceDealer dealer = ServiceDealer.builder().routerAddress(bus.address()).service(new EchoService())
                        .environment(Bus.NO_ENV).apiKey("wrong").build().start()) {
            assertThat(dealer.registered()).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
                    .havingCause().isInstanceOfSatisfying(VoidRailException.class,
                            (ex) -> assertThat(ex.code()).isEqualTo(ErrorCode.UNAUTHENTICATED));
            assertThat(dealer.state()).isEqualTo(RegistrationState.REFUSED);
        }
    }

    @Test
    void registeredFailsWhenTheDealerStopsFirst() {
        // nothing listens on port 1: the dealer never hears from a router
        ServiceDealer dealer = ServiceDealer.builder().routerAddress("tcp://127.0.0.1:1").service(new EchoService())
                .environment(Bus.NO_ENV).shutdownGracePeriod(Duration.ZERO).build().start();
        dealer.close();
        assertThat(dealer.registered()).failsWithin(WAIT).withThrowableOfType(ExecutionException.class)
                .withMessageContaining("stopped before it registered");
    }

    /** The listener runs on the dealer's I/O thread: an error of its own code must not end the loop. */
    @Test
    void aListenerThatThrowsIsLoggedAndTheDealerServesOn() {
        try (LogCapture log = new LogCapture(); Bus bus = Bus.start(RouterMode.FIFO);
                ServiceDealer dealer = ServiceDealer.builder().routerAddress(bus.address()).service(new EchoService())
                        .environment(Bus.NO_ENV).stateListener((source, previous, current) -> {
                            throw new NoClassDefFoundError("io/example/Tracing");
                        }).build().start()) {
            assertThat(dealer.registered()).succeedsWithin(WAIT);
            assertThat(bus.client().invoke("EchoService.echo", String.class, "still here")).isEqualTo("still here");
            assertThat(dealer.state()).isEqualTo(RegistrationState.REGISTERED);
            assertThat(log.text()).contains("VoidRail dealer " + dealer.identity() + ": state listener failed");
        }
    }
}
