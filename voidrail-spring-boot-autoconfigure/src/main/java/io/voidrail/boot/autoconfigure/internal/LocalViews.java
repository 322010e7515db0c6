package io.voidrail.boot.autoconfigure.internal;

import java.util.List;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;

import io.voidrail.client.ClientDealer;
import io.voidrail.client.VoidRailClient;
import io.voidrail.dealer.ServiceDealer;

/** What the endpoint, the health indicator and the meters read about this application's dealers and client. */
public final class LocalViews {

    private LocalViews() {
    }

    public static Supplier<List<ServiceDealer>> dealers(ObjectProvider<DealerLifecycle> lifecycle) {
        return () -> {
            DealerLifecycle current = lifecycle.getIfAvailable();
            return (current != null) ? current.dealers() : List.of();
        };
    }

    /** Where the client connects; {@code null} until it is built, or for a client of unknown type. */
    public static Supplier<@Nullable String> routerAddress(VoidRailClient client) {
        return () -> {
            // a managed client not yet started has no address yet (an in-process router may bind port 0)
            if (client instanceof ManagedVoidRailClient managed) {
                ClientDealer dealer = managed.currentDelegate();
                return (dealer != null) ? dealer.routerAddress() : null;
            }
            return client.routerAddress();
        };
    }

}
