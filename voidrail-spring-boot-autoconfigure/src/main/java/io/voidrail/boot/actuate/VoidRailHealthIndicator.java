package io.voidrail.boot.actuate;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

import io.voidrail.client.ConnectionState;
import io.voidrail.client.VoidRailClient;
import io.voidrail.dealer.ServiceDealer;
import io.voidrail.status.DealerState;
import io.voidrail.status.RouterStatus;
import io.voidrail.router.ServiceRouter;

/**
 * Health of VoidRail in this application: DOWN when the in-process router is not running, when one of this
 * application's dealers is not registered with its router, or when the client cannot reach its router (it has not
 * heard from it recently and it does not answer a ping). The details say which.
 */
public class VoidRailHealthIndicator extends AbstractHealthIndicator {

    private final @Nullable ServiceRouter router;

    private final Supplier<List<ServiceDealer>> dealers;

    private final VoidRailClient client;

    private final Supplier<@Nullable String> clientRouterAddress;

    private final Duration pingTimeout;

    /**
     * @param router              the in-process router, or {@code null} when the router runs elsewhere
     * @param dealers             this application's dealers
     * @param client              the application's client
     * @param clientRouterAddress where the client connects, or {@code null} while not known
     * @param pingTimeout         how long the client's router may take to answer a ping
     */
    public VoidRailHealthIndicator(@Nullable ServiceRouter router, Supplier<List<ServiceDealer>> dealers,
            VoidRailClient client, Supplier<@Nullable String> clientRouterAddress, Duration pingTimeout) {
        super("VoidRail health check failed");
        this.router = router;
        this.dealers = dealers;
        this.client = client;
        this.clientRouterAddress = clientRouterAddress;
        this.pingTimeout = pingTimeout;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        boolean up = true;
        if (this.router != null) {
            boolean running = this.router.isRunning();
            Map<String, Object> router = new LinkedHashMap<>();
            router.put("address", this.router.address());
            router.put("running", running);
            if (running) {
                addDealerTable(router, this.router.status());
            }
            builder.withDetail("router", router);
            up = running;
        }
        Map<String, String> dealerStates = new LinkedHashMap<>();
        for (ServiceDealer dealer : this.dealers.get()) {
            dealerStates.put(dealer.group(), dealer.state().name());
            up &= dealer.isRegistered();
        }
        if (!dealerStates.isEmpty()) {
            builder.withDetail("dealers", dealerStates);
        }
        // heard from recently: reachable; connecting: a ping says; unavailable: not reachable, without waiting
        ConnectionState state = this.client.connectionState();
        boolean reachable = state == ConnectionState.READY
                || (state != ConnectionState.UNAVAILABLE && this.client.ping(this.pingTimeout));
        Map<String, Object> client = new LinkedHashMap<>();
        client.put("routerAddress", this.clientRouterAddress.get());
        client.put("routerReachable", reachable);
        client.put("state", this.client.connectionState().name());
        builder.withDetail("client", client);
        up &= reachable;
        if (up) {
            builder.up();
        }
        else {
            builder.down();
        }
    }

    /**
     * The router's dealers by state, and which are not active (a lost dealer is inactive). Other applications'
     * dealers going away does not make this application DOWN; the details show it.
     */
    private static void addDealerTable(Map<String, Object> router, RouterStatus status) {
        Map<String, Long> counts = new TreeMap<>();
        Map<String, String> notActive = new TreeMap<>();
        for (RouterStatus.Dealer dealer : status.dealers()) {
            counts.merge(dealer.state().wireName(), 1L, Long::sum);
            if (dealer.state() != DealerState.ACTIVE) {
                notActive.put(dealer.id(), dealer.state().wireName());
            }
        }
        router.put("dealers", counts);
        if (!notActive.isEmpty()) {
            router.put("unavailableDealers", notActive);
        }
    }

}
