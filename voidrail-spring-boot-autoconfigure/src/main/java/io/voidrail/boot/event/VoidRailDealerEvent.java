package io.voidrail.boot.event;

import org.springframework.context.ApplicationEvent;

import io.voidrail.dealer.RegistrationState;
import io.voidrail.dealer.ServiceDealer;

/**
 * Something happened to one of this application's dealers (one per service group); the source is the
 * {@link ServiceDealer}. Published from a VoidRail thread, never the dealer's I/O thread, so a slow listener does
 * not hold up heartbeats.
 */
public abstract class VoidRailDealerEvent extends ApplicationEvent {

    private static final long serialVersionUID = 1L;

    private final RegistrationState state;

    protected VoidRailDealerEvent(ServiceDealer dealer, RegistrationState state) {
        super(dealer);
        this.state = state;
    }

    public ServiceDealer getDealer() {
        return (ServiceDealer) getSource();
    }

    /** The service group the dealer serves, e.g. {@code EchoService}. */
    public String getGroup() {
        return getDealer().group();
    }

    /** The dealer's state when this happened. */
    public RegistrationState getState() {
        return this.state;
    }

}
