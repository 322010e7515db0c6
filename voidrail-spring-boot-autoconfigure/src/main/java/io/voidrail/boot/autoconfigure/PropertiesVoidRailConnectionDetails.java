package io.voidrail.boot.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;

import io.voidrail.internal.Addresses;
import io.voidrail.router.ServiceRouter;

/**
 * The connection the properties describe: {@code voidrail.router-address}, else the in-process router (its bound
 * address once started, so that port 0 works), else the default; the key of {@code voidrail.api-key}.
 */
final class PropertiesVoidRailConnectionDetails implements VoidRailConnectionDetails {

    private final VoidRailProperties properties;

    private final ObjectProvider<ServiceRouter> localRouter;

    PropertiesVoidRailConnectionDetails(VoidRailProperties properties, ObjectProvider<ServiceRouter> localRouter) {
        this.properties = properties;
        this.localRouter = localRouter;
    }

    @Override
    public String getRouterAddress() {
        String configured = this.properties.getRouterAddress();
        if (configured != null) {
            return configured;
        }
        ServiceRouter router = this.localRouter.getIfAvailable();
        if (router == null) {
            return VoidRailProperties.DEFAULT_ADDRESS;
        }
        if (!router.isRunning() && Addresses.port(router.address()) == 0) {
            throw new IllegalStateException("The in-process VoidRail router has not bound its port yet (voidrail.router"
                    + ".bind-address=" + router.address() + "): use VoidRail after the context has started, for "
                    + "example from an ApplicationRunner, or set voidrail.router-address");
        }
        return connectable(router.address());
    }

    /** Whether dealers and client connect to the in-process router, so that start-up can wait for registration. */
    boolean usesLocalRouter() {
        return this.properties.getRouterAddress() == null && this.localRouter.getIfAvailable() != null;
    }

    @Override
    public @Nullable String getApiKey() {
        return this.properties.getApiKey();
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
