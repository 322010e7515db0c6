package io.voidrail.router;

import java.util.Locale;

/** A dealer's state in the router's table, as {@code clusters} reports it. */
public enum DealerState {
    /** Registered and alive: dispatched to. */
    ACTIVE,
    /** Said {@code overload}: not dispatched to until {@code resume}. */
    OVERLOAD,
    /** Silent past its heartbeat allowance: not dispatched to until it speaks again. */
    INACTIVE,
    /** Said {@code shutdown}: finishing what it has, never dispatched to again until it registers. */
    SHUTDOWN;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
