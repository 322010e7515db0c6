package io.voidrail.boot.actuate;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

import io.voidrail.client.ConnectionState;
import io.voidrail.client.VoidRailClient;
import io.voidrail.dealer.ServiceDealer;
import io.voidrail.status.RouterStatus;
import io.voidrail.router.ServiceRouter;

/**
 * {@code /actuator/voidrail}: the router (the in-process one, or the one the client uses), its queues, this
 * application's dealers and the client. Selectors {@code router}, {@code queues} and {@code services} return one
 * part.
 */
@Endpoint(id = "voidrail")
public class VoidRailEndpoint {

    /** How long the endpoint waits for a router in another process. */
    private static final Duration REMOTE_TIMEOUT = Duration.ofSeconds(2);

    private final @Nullable ServiceRouter router;

    private final Supplier<List<ServiceDealer>> dealers;

    private final VoidRailClient client;

    private final Supplier<@Nullable String> clientRouterAddress;

    /**
     * @param router              the in-process router, or {@code null} when the router runs elsewhere
     * @param dealers             this application's dealers
     * @param client              the application's client, asked about the router when it is not in-process
     * @param clientRouterAddress where the client connects, or {@code null} while not known
     */
    public VoidRailEndpoint(@Nullable ServiceRouter router, Supplier<List<ServiceDealer>> dealers,
            VoidRailClient client, Supplier<@Nullable String> clientRouterAddress) {
        this.router = router;
        this.dealers = dealers;
        this.client = client;
        this.clientRouterAddress = clientRouterAddress;
    }

    @ReadOperation
    public VoidRailDescriptor voidrail() {
        RouterView view = routerView();
        return new VoidRailDescriptor(view.router(), view.queues(), services(), client());
    }

    /** One part: {@code router}, {@code queues} or {@code services}; anything else is not found. */
    @ReadOperation
    public @Nullable Object voidrailPart(@Selector String part) {
        return switch (part) {
            case "router" -> routerView().router();
            case "queues" -> OperationResponseBody.of(routerView().queues());
            case "services" -> new ServicesDescriptor(services());
            default -> null;
        };
    }

    private RouterView routerView() {
        ServiceRouter local = this.router;
        if (local != null) {
            if (!local.isRunning()) {
                return new RouterView(RouterDescriptor.stopped(local.address()), Map.of());
            }
            RouterStatus status = local.status();
            return new RouterView(RouterDescriptor.of(status, true), new LinkedHashMap<>(status.queues()));
        }
        String address = this.clientRouterAddress.get();
        if (!this.client.ping(REMOTE_TIMEOUT)) {
            return new RouterView(RouterDescriptor.unreachable(address), Map.of());
        }
        RouterStatus status = this.client.getRouterInfo();
        return new RouterView(RouterDescriptor.of(status, false), new LinkedHashMap<>(status.queues()));
    }

    private List<DealerDescriptor> services() {
        return this.dealers.get().stream().map(DealerDescriptor::of).toList();
    }

    private ClientDescriptor client() {
        ConnectionState state = this.client.connectionState();
        return new ClientDescriptor(this.clientRouterAddress.get(), state == ConnectionState.READY, state.name());
    }

    private record RouterView(RouterDescriptor router, Map<String, ?> queues) {
    }

    /** The whole report. */
    public record VoidRailDescriptor(RouterDescriptor router, Map<String, ?> queues, List<DealerDescriptor> services,
            ClientDescriptor client) implements OperationResponseBody {
    }

    /**
     * The router's status and its dealer table: the in-process router's, or, in another process, what the client's
     * router reports ({@link VoidRailClient#getRouterInfo()}; figures it does not report, as a Python router's uptime,
     * are left out).
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RouterDescriptor(boolean local, @Nullable String address, boolean running, @Nullable String mode,
            @Nullable Boolean authRequired, @Nullable Duration uptime, @Nullable Long totalRequests,
            @Nullable Long totalResponses, @Nullable Long requestsInQueue, @Nullable Long requestsInProcess,
            @Nullable List<RouterDealerDescriptor> dealers) implements OperationResponseBody {

        static RouterDescriptor of(RouterStatus status, boolean local) {
            Duration uptime = status.uptime();
            return new RouterDescriptor(local, status.address(), true,
                    (status.mode() != null) ? status.mode().wireName() : null, status.authRequired(),
                    (uptime != null) ? uptime.truncatedTo(ChronoUnit.SECONDS) : null, known(status.totalRequests()),
                    known(status.totalResponses()), status.requestsInQueue(), status.requestsInProcess(),
                    status.dealers().stream().map(RouterDealerDescriptor::of).toList());
        }

        static RouterDescriptor stopped(String address) {
            return new RouterDescriptor(true, address, false, null, null, null, null, null, null, null, null);
        }

        static RouterDescriptor unreachable(@Nullable String address) {
            return new RouterDescriptor(false, address, false, null, null, null, null, null, null, null, null);
        }

        private static @Nullable Long known(long count) {
            return (count == RouterStatus.UNKNOWN_COUNT) ? null : count;
        }

    }

    /** A dealer as the in-process router sees it: any dealer on the bus, local or not. */
    public record RouterDealerDescriptor(String id, String group, List<String> methods, String state, int slots,
            int maxConcurrent, int inFlight, long requestCount, long replyCount, Instant lastHeartbeat) {

        static RouterDealerDescriptor of(RouterStatus.Dealer dealer) {
            return new RouterDealerDescriptor(dealer.id(), dealer.group(), dealer.methods(), dealer.state().wireName(),
                    dealer.slots(), dealer.maxConcurrent(), dealer.inFlight(), dealer.requestCount(),
                    dealer.replyCount(), dealer.lastHeartbeat());
        }

    }

    /** This application's dealers. */
    public record ServicesDescriptor(List<DealerDescriptor> services) implements OperationResponseBody {
    }

    /** One of this application's dealers: the service group it serves. */
    public record DealerDescriptor(String group, String identity, List<String> methods, String state, int inFlight,
            int slots, int maxConcurrent, String routerAddress) {

        static DealerDescriptor of(ServiceDealer dealer) {
            return new DealerDescriptor(dealer.group(), dealer.identity(), dealer.methodNames(), dealer.state().name(),
                    dealer.inFlight(), dealer.slots(), dealer.maxConcurrent(), dealer.routerAddress());
        }

    }

    /**
     * The application's client: where it connects, and whether it has heard from that router recently
     * ({@code connected}, only in state {@code READY}).
     */
    public record ClientDescriptor(@Nullable String routerAddress, boolean connected, String state) {
    }

}
