package io.voidrail.dealer;

/**
 * Where a dealer is in its life, as it sees it (its registration with its routers), for local monitoring (Actuator,
 * health, events). The router's view of a dealer is {@link io.voidrail.status.DealerState}.
 */
public enum RegistrationState {
    /** Built, not started. */
    NEW,
    /** Connected, waiting for {@code register_ack}. */
    REGISTERING,
    /** The router acknowledged the registration: calls can arrive. */
    REGISTERED,
    /** The router refused the registration (wrong API key); retried on reconnect. */
    REFUSED,
    /** Said {@code shutdown}; finishing the calls it has. */
    STOPPING,
    /** Closed. */
    STOPPED
}
