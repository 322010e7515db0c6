package io.voidrail.router;

import java.util.List;

import org.jspecify.annotations.Nullable;

import io.voidrail.RouterMode;

/**
 * Where a call goes (PROTOCOL.md section 5): the whole difference between FIFO and LOAD_BALANCE. The router core
 * does the rest the same way in both modes.
 */
interface DispatchStrategy {

    static DispatchStrategy of(RouterMode mode) {
        return mode == RouterMode.FIFO ? new FifoStrategy() : new LoadBalanceStrategy();
    }

    RouterMode mode();

    /** Calls a dealer may hold at once. */
    int capacity(DealerEntry dealer);

    /** The dealer for a method's next call among those offering it (in registration order), or {@code null}. */
    @Nullable DealerEntry pick(List<DealerEntry> offering);

    /**
     * Whether a call waits in its method's queue while every dealer offering it is busy (FIFO), instead of failing
     * at once with OVERLOADED (LOAD_BALANCE).
     */
    boolean waitsForCapacity();

    /** The NOT_FOUND text for a method no dealer registered: each mode's as the Python router words it. */
    String notFoundText(String method);

    /** Whether a dispatchable dealer has room for one more call. */
    default boolean hasRoom(DealerEntry dealer) {
        return dealer.dispatchable() && dealer.inFlight.size() < capacity(dealer);
    }
}
