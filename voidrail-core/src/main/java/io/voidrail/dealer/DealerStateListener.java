package io.voidrail.dealer;

/**
 * Told each time a dealer's {@link RegistrationState} changes: registered, registration lost (the router went quiet,
 * restarted or asked to register again), refused, stopping, stopped.
 *
 * <p>Called on the dealer's I/O thread: it must return quickly (hand real work to another thread) and must not
 * throw; heartbeats wait while it runs.
 */
@FunctionalInterface
public interface DealerStateListener {

    DealerStateListener NONE = (dealer, previous, current) -> { };

    void stateChanged(ServiceDealer dealer, RegistrationState previous, RegistrationState current);
}
