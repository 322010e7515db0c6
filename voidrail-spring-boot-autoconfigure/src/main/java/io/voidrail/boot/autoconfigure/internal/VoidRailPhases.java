package io.voidrail.boot.autoconfigure.internal;

import org.springframework.context.SmartLifecycle;

/**
 * Lifecycle phases. The web server starts at {@code DEFAULT_PHASE - 2048} and shuts down gracefully at
 * {@code DEFAULT_PHASE - 1024}; VoidRail sits below both, so HTTP requests in flight at shutdown can still use the
 * bus. Start: router, client, dealers, web server. Stop: the reverse, so dealers finish their calls while the
 * client can still receive the answers and the router relay them.
 */
public final class VoidRailPhases {

    /** The in-process router: first up, last down. */
    public static final int ROUTER = SmartLifecycle.DEFAULT_PHASE - 4096;

    /** The client: after the router, and down after the dealers. */
    public static final int CLIENT = SmartLifecycle.DEFAULT_PHASE - 3584;

    /** The dealers: after the router and the client, before the web server. */
    public static final int DEALERS = SmartLifecycle.DEFAULT_PHASE - 3072;

    private VoidRailPhases() {
    }

}
