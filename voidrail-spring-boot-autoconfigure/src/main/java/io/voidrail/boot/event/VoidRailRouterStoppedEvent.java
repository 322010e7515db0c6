package io.voidrail.boot.event;

import io.voidrail.router.ServiceRouter;

/** The in-process router has closed: its dealers were told, the calls still queued were answered with an error. */
public class VoidRailRouterStoppedEvent extends VoidRailRouterEvent {

    private static final long serialVersionUID = 1L;

    public VoidRailRouterStoppedEvent(ServiceRouter router, String address) {
        super(router, address);
    }

}
