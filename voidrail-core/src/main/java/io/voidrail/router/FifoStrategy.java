package io.voidrail.router;

import static io.voidrail.internal.protocol.Protocol.methodNotFound;

import java.util.List;

import org.jspecify.annotations.Nullable;

import io.voidrail.RouterMode;

/**
 * FIFO: the router keeps a queue per method; a dealer gets the next call only when one of its slots is free
 * (one slot unless it announced {@code slots}), first registered first. No worker is ever oversubscribed.
 */
final class FifoStrategy implements DispatchStrategy {

    @Override
    public RouterMode mode() {
        return RouterMode.FIFO;
    }

    @Override
    public int capacity(DealerEntry dealer) {
        return dealer.slots;
    }

    @Override
    public @Nullable DealerEntry pick(List<DealerEntry> offering) {
        for (DealerEntry dealer : offering) {
            if (hasRoom(dealer)) {
                return dealer;
            }
        }
        return null;
    }

    @Override
    public String notFoundText(String method) {
        return methodNotFound(method);
    }

    @Override
    public boolean waitsForCapacity() {
        return true;
    }
}
