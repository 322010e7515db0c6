package io.voidrail.boot.event;

import io.voidrail.router.ServiceRouter;

/** The in-process router has bound its address and serves; published before dealers and the client start. */
public class VoidRailRouterStartedEvent extends VoidRailRouterEvent {

    private static final long serialVersionUID = 1L;

    public VoidRailRouterStartedEvent(ServiceRouter router) {
        super(router, router.address());
    }

    /** The bound TCP port (also published as {@code local.voidrail.router.port}), or -1 when not over TCP. */
    public int getPort() {
        return getRouter().port();
    }

}
