package io.voidrail.boot.event;

import org.springframework.context.ApplicationEvent;

import io.voidrail.router.ServiceRouter;

/** Something happened to the in-process router; the source is the {@link ServiceRouter}. */
public abstract class VoidRailRouterEvent extends ApplicationEvent {

    private static final long serialVersionUID = 1L;

    private final String address;

    protected VoidRailRouterEvent(ServiceRouter router, String address) {
        super(router);
        this.address = address;
    }

    public ServiceRouter getRouter() {
        return (ServiceRouter) getSource();
    }

    /** The address the router is (or was) bound to, e.g. {@code tcp://127.0.0.1:40123}. */
    public String getAddress() {
        return this.address;
    }

}
