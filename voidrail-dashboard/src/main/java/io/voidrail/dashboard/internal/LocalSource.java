package io.voidrail.dashboard.internal;

import io.voidrail.router.ServiceRouter;
import io.voidrail.status.RouterStatus;

/** Reads the in-process router's {@link RouterStatus}: one message to its I/O thread, no socket. */
public final class LocalSource implements BusSource {

    private final ServiceRouter router;

    public LocalSource(ServiceRouter router) {
        this.router = router;
    }

    @Override
    public BusSnapshot read(long nowEpochMs) {
        RouterStatus status = router.status();
        return StatusSnapshot.of(status, true, status.address(), nowEpochMs);
    }

    @Override
    public boolean local() {
        return true;
    }

    @Override
    public String address() {
        return router.address();
    }
}
