package io.voidrail.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import io.voidrail.auth.ApiKeyManager;
import io.voidrail.client.ClientDealer;
import io.voidrail.dealer.ServiceDealer;
import io.voidrail.router.ServiceRouter;
import io.voidrail.status.DealerState;

/**
 * A network that drops a dealer's connection without the router seeing it end. With auth on, ZeroMQ's handover is
 * off and never reads a new connection under an identity an open connection holds, even after that one ends.
 */
class HalfOpenConnectionTests {

    private static final String DEALER_KEY = ApiKeyManager.generateKey("dealer");
    private static final String CLIENT_KEY = ApiKeyManager.generateKey("client");

    @Test
    void aDealerCutOffByTheNetworkServesAgainWhileTheRoutersSideOfItsOldConnectionStaysOpen() throws IOException {
        try (Bus bus = secured(b -> b.heartbeatTimeout(Duration.ofMillis(800)));
                TcpRelay relay = new TcpRelay(URI.create(bus.address()).getPort()); LogCapture logs = new LogCapture()) {
            ServiceDealer dealer = bus.dealer(new EchoService(), b -> b.routerAddress(relay.address()).apiKey(DEALER_KEY));
            ClientDealer client = bus.client(b -> b.apiKey(CLIENT_KEY));
            assertThat(client.invoke("EchoService.echo", String.class, "before")).isEqualTo("before");
            String before = bus.router().status().dealers().get(0).id();

            relay.dropPeerSides();

            // the router loses the silent dealer, and the dealer, finding the router silent, connects again
            await().atMost(Duration.ofSeconds(15)).until(() -> activeOtherThan(bus, before));
            assertThat(client.invoke("EchoService.echo", String.class, "after")).isEqualTo("after");
            assertThat(dealer.isRegistered()).isTrue();
            assertThat(relay.connections()).as("the dealer's connections through the relay").isGreaterThan(1);
            // ZeroMQ still holds the old identity for the open end: the dealer came back under a new one
            assertThat(logs.text()).contains("connecting as " + dealer.identity() + ".");
        }
    }

    @Test
    void aClientCutOffByTheNetworkCallsAgainWhileTheRoutersSideOfItsOldConnectionStaysOpen() throws IOException {
        try (Bus bus = secured(b -> { });
                TcpRelay relay = new TcpRelay(URI.create(bus.address()).getPort())) {
            bus.dealer(new EchoService(), b -> b.apiKey(DEALER_KEY));
            ClientDealer client = bus.client(b -> b.routerAddress(relay.address()).apiKey(CLIENT_KEY)
                    .heartbeatInterval(Duration.ofMillis(200)).timeout(Duration.ofSeconds(2)));
            assertThat(client.invoke("EchoService.echo", String.class, "before")).isEqualTo("before");

            relay.dropPeerSides();

            // the client finds the router silent and replaces its connection: under its old identity it would never
            // be read, and every call would fail
            await().atMost(Duration.ofSeconds(15)).ignoreExceptions()
                    .until(() -> client.invoke("EchoService.echo", String.class, "after").equals("after"));
            assertThat(relay.connections()).as("the client's connections through the relay").isGreaterThan(1);
        }
    }

    private static Bus secured(Consumer<ServiceRouter.Builder> config) {
        return Bus.start(b -> config.accept(b.requireAuth(true).dealerApiKeys(List.of(DEALER_KEY)).clientApiKeys(List.of(CLIENT_KEY))));
    }

    private static boolean activeOtherThan(Bus bus, String publicId) {
        return bus.router().status().dealers().stream()
                .anyMatch(d -> d.state() == DealerState.ACTIVE && !d.id().equals(publicId));
    }
}
