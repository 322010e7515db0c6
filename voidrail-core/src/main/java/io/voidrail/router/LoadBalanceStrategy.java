package io.voidrail.router;

import static io.voidrail.internal.protocol.Protocol.noAvailableService;

import java.util.List;

import org.jspecify.annotations.Nullable;

import io.voidrail.RouterMode;

/**
 * LOAD_BALANCE: a call goes at once to the dealer with the fewest calls in flight below its {@code max_concurrent}
 * (ties: registration order); when every dealer is full the caller hears OVERLOADED instead of waiting.
 */
final class LoadBalanceStrategy implements DispatchStrategy {

    @Override
    public RouterMode mode() {
        return RouterMode.LOAD_BALANCE;
    }

    @Override
    public int capacity(DealerEntry dealer) {
        return dealer.maxConcurrent;
    }

    @Override
    public @Nullable DealerEntry pick(List<DealerEntry> offering) {
        DealerEntry best = null;
        for (DealerEntry dealer : offering) {
            if (hasRoom(dealer) && (best == null || dealer.inFlight.size() < best.inFlight.size())) {
                best = dealer;
            }
        }
        return best;
    }

    @Override
    public String notFoundText(String method) {
        return noAvailableService(method);
    }

    @Override
    public boolean waitsForCapacity() {
        return false;
    }
}
