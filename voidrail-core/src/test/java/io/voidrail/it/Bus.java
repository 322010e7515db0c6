package io.voidrail.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.awaitility.Awaitility;

import io.voidrail.auth.AuthEnvironment;
import io.voidrail.client.ClientDealer;
import io.voidrail.dealer.ServiceDealer;
import io.voidrail.RouterMode;
import io.voidrail.router.ServiceRouter;

/**
 * A router on 127.0.0.1 with an ephemeral port, plus the dealers and clients a test starts; closes
 * everything in reverse order. The environment is empty so the machine's VOIDRAIL_* never leak in.
 */
public final class Bus implements AutoCloseable {

    public static final AuthEnvironment NO_ENV = new AuthEnvironment(Map.of());

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final ServiceRouter router;

    private Bus(ServiceRouter router) {
        this.router = router;
        resources.add(router);
    }

    public static Bus start(RouterMode mode) {
        return start(b -> b.mode(mode));
    }

    public static Bus start(Consumer<ServiceRouter.Builder> config) {
        ServiceRouter.Builder builder = ServiceRouter.builder().address("tcp://127.0.0.1:0").environment(NO_ENV);
        config.accept(builder);
        return new Bus(builder.build().start());
    }

    public ServiceRouter router() {
        return router;
    }

    public String address() {
        return router.address();
    }

    /** Starts a dealer and waits until the router has acknowledged it. */
    public ServiceDealer dealer(Object service) {
        return dealer(service, b -> { });
    }

    public ServiceDealer dealer(Object service, Consumer<ServiceDealer.Builder> config) {
        ServiceDealer.Builder builder = ServiceDealer.builder().routerAddress(address()).service(service)
                .environment(NO_ENV).heartbeatInterval(Duration.ofMillis(200));
        config.accept(builder);
        ServiceDealer dealer = builder.build().start();
        resources.add(dealer);
        Awaitility.await().atMost(Duration.ofSeconds(10)).until(dealer::isRegistered);
        return dealer;
    }

    public ClientDealer client() {
        return client(b -> { });
    }

    public ClientDealer client(Consumer<ClientDealer.Builder> config) {
        ClientDealer.Builder builder = ClientDealer.builder().routerAddress(address()).environment(NO_ENV)
                .timeout(Duration.ofSeconds(10));
        config.accept(builder);
        ClientDealer client = builder.build();
        resources.add(client);
        return client;
    }

    /** A TCP port on 127.0.0.1 with nothing listening (free a moment ago): where no router answers. */
    public static int freePort() {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
        catch (java.io.IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
    }

    @Override
    public void close() {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            }
            catch (Exception ex) {
                // closing the rest matters more
            }
        }
    }
}
