package io.voidrail.dealer;

/** Where a dealer is in its life, as local monitoring (Actuator, health) reports it. */
public enum DealerState {
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
