package io.voidrail.status;

import java.util.Locale;

/**
 * A dealer's state in a router's table, as {@code clusters} reports it: the router's view of a dealer, local or read
 * over the wire. (A dealer's own view of its registration is {@link io.voidrail.dealer.RegistrationState}.)
 */
public enum DealerState {
    /** Registered and alive: dispatched to. */
    ACTIVE,
    /** Said {@code overload}: not dispatched to until {@code resume}. */
    OVERLOAD,
    /** Silent past its heartbeat allowance: not dispatched to until it speaks again. */
    INACTIVE,
    /** Said {@code shutdown}: finishing what it has, never dispatched to again until it registers. */
    SHUTDOWN,
    /** A state this version does not know, read from another router; a Java router never reports it. */
    UNKNOWN;

    /** {@code active}, {@code overload}, ... as {@code clusters} writes it. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The state {@code clusters} names, {@link #UNKNOWN} for any other text. */
    public static DealerState fromWire(String text) {
        for (DealerState state : values()) {
            if (state != UNKNOWN && state.wireName().equals(text)) {
                return state;
            }
        }
        return UNKNOWN;
    }
}
