package io.voidrail.boot.event;

import io.voidrail.dealer.RegistrationState;
import io.voidrail.dealer.ServiceDealer;

/** The router acknowledged a dealer's registration: calls can reach it. Again after every lost registration. */
public class VoidRailDealerRegisteredEvent extends VoidRailDealerEvent {

    private static final long serialVersionUID = 1L;

    public VoidRailDealerRegisteredEvent(ServiceDealer dealer) {
        super(dealer, RegistrationState.REGISTERED);
    }

}
