package io.voidrail.boot.event;

import io.voidrail.dealer.RegistrationState;
import io.voidrail.dealer.ServiceDealer;

/**
 * A registered dealer lost its registration while serving: the router stopped, went quiet or refused its key
 * ({@link #getState()} is {@code REGISTERING} while it tries again, {@code REFUSED} for the key). Not published
 * when the application itself stops its dealers.
 */
public class VoidRailDealerLostEvent extends VoidRailDealerEvent {

    private static final long serialVersionUID = 1L;

    public VoidRailDealerLostEvent(ServiceDealer dealer, RegistrationState state) {
        super(dealer, state);
    }

}
