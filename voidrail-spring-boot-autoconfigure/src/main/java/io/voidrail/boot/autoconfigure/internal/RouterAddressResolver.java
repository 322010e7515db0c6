package io.voidrail.boot.autoconfigure.internal;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;

import io.voidrail.internal.Addresses;
import io.voidrail.router.ServiceRouter;

/**
 * Where dealers and the client connect: the configured {@code voidrail.router-address}, else the in-process router
 * (its bound address once started, so that port 0 works), else the default.
 */
public final class RouterAddressResolver {

    private final @Nullable String configured;

    private final String fallback;

    private final ObjectProvider<ServiceRouter> localRouter;

    public RouterAddressResolver(@Nullable String configured, String fallback, ObjectProvider<ServiceRouter> localRouter) {
        this.configured = configured;
        this.fallback = fallback;
        this.localRouter = localRouter;
    }

    public String resolve() {
        if (this.configured != null) {
            return this.configured;
        }
        ServiceRouter router = this.localRouter.getIfAvailable();
        if (router == null) {
            return this.fallback;
        }
        if (!router.isRunning() && Addresses.port(router.address()) == 0) {
            throw new IllegalStateException("The in-process VoidRail router has not bound its port yet (voidrail.router"
                    + ".address=" + router.address() + "): use VoidRail after the context has started, for example "
                    + "from an ApplicationRunner, or set voidrail.router-address");
        }
        return connectable(router.address());
    }

    /** Whether the address comes from the in-process router. */
    public boolean isLocalRouter() {
        return this.configured == null && this.localRouter.getIfAvailable() != null;
    }

    /** A bind address as peers on this host reach it: a wildcard host becomes the loopback address. */
    static String connectable(String bound) {
        for (String wildcard : new String[] { "tcp://*:", "tcp://0.0.0.0:" }) {
            if (bound.startsWith(wildcard)) {
                return "tcp://127.0.0.1:" + bound.substring(wildcard.length());
            }
        }
        return bound;
    }

}
