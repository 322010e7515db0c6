package io.voidrail.dashboard.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.voidrail.VoidRailVersion;
import io.voidrail.router.RouterStatus;
import io.voidrail.router.ServiceRouter;

/** Reads the in-process router's {@link RouterStatus}: one message to its I/O thread, no socket. */
public final class LocalSource implements BusSource {

    private final ServiceRouter router;

    public LocalSource(ServiceRouter router) {
        this.router = router;
    }

    @Override
    public BusSnapshot read(long nowEpochMs) {
        RouterStatus status = router.status();
        MethodTable methods = new MethodTable();
        List<BusSnapshot.Dealer> dealers = new ArrayList<>();
        for (RouterStatus.Dealer d : status.dealers()) {
            methods.offered(d.methods());
            dealers.add(BusSnapshot.Dealer.of(d.id(), d.group(), d.state().wireName(), d.implementation(), true,
                    d.hostInfo(), d.inFlight(), d.slots(), d.maxConcurrent(), d.requestCount(), d.replyCount(),
                    nowEpochMs - d.lastHeartbeat().toEpochMilli(), d.methods()));
        }
        status.queues().forEach((method, q) -> methods.queue(method, q.queueLength(), q.oldestWait().toMillis(),
                q.availableServices(), q.busyServices()));
        status.methodStats().forEach((method, s) -> methods.figures(method, s.calls(), s.succeeded(), s.failed(),
                s.callsPerSecond(), s.p50Millis(), s.p99Millis()));
        Map<String, Long> errorCounts = new LinkedHashMap<>();
        status.errorCounts().forEach((code, count) -> errorCounts.put(code.name(), count));
        List<BusSnapshot.CallError> errors = status.recentErrors().stream()
                .map(e -> new BusSnapshot.CallError(nowEpochMs - e.age().toMillis(), e.method(), e.code().name(),
                        e.message()))
                .toList();
        ServiceRouter.Settings settings = router.settings();
        BusSnapshot.Router figures = new BusSnapshot.Router(status.mode().wireName(), status.uptime().toMillis() / 1000.0,
                status.authRequired(), status.curve(), VoidRailVersion.IMPLEMENTATION,
                settings.heartbeatTimeout().toMillis() / 1000.0, status.totalRequests(), status.totalResponses(),
                status.requestsInQueue(), status.requestsInProcess());
        return new BusSnapshot(true, status.address(), true, null, figures, List.copyOf(dealers), methods.build(),
                Collections.unmodifiableMap(errorCounts), errors);
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
