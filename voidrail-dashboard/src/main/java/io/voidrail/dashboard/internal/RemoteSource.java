package io.voidrail.dashboard.internal;

import java.time.Duration;

import io.voidrail.VoidRailException;
import io.voidrail.client.VoidRailClient;

/**
 * Reads a router over the wire, read-only, as the client's {@link VoidRailClient#getRouterInfo() status}. Works with
 * Python routers too; what only a Java router reports (per-method figures, errors, runtimes) is then left empty.
 */
public final class RemoteSource implements BusSource {

    private final VoidRailClient client;
    private final Duration pingTimeout;

    public RemoteSource(VoidRailClient client, Duration pingTimeout) {
        this.client = client;
        this.pingTimeout = pingTimeout;
    }

    @Override
    public BusSnapshot read(long nowEpochMs) {
        // a short ping first, so that a router that is down costs the page seconds, not the client's call timeout
        if (!client.ping(pingTimeout)) {
            throw new VoidRailException("The router at " + client.routerAddress() + " does not answer");
        }
        return StatusSnapshot.of(client.getRouterInfo(), false, address(), nowEpochMs);
    }

    @Override
    public boolean local() {
        return false;
    }

    @Override
    public String address() {
        return client.routerAddress();
    }
}
