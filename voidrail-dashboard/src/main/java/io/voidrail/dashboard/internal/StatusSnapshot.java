package io.voidrail.dashboard.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import io.voidrail.status.RouterStatus;

/** A {@link RouterStatus}, read in-process or over the wire, as the dashboard shows it. */
final class StatusSnapshot {

    private StatusSnapshot() {
    }

    static BusSnapshot of(RouterStatus status, boolean local, String address, long nowEpochMs) {
        // a router that names its implementation (a Java one) reports the dealers' too: one without it is a Python one
        boolean reportsImplementations = status.implementation() != null;
        MethodTable methods = new MethodTable();
        List<BusSnapshot.Dealer> dealers = new ArrayList<>();
        for (RouterStatus.Dealer d : status.dealers()) {
            methods.offered(d.methods());
            dealers.add(BusSnapshot.Dealer.of(d.id(), d.group(), d.state().wireName(), d.implementation(),
                    reportsImplementations, d.hostInfo(), d.inFlight(), d.slots(), d.maxConcurrent(), d.requestCount(),
                    d.replyCount(), nowEpochMs - d.lastHeartbeat().toEpochMilli(), d.methods()));
        }
        status.queues().forEach((method, q) -> methods.queue(method, q.queueLength(), millis(q.oldestWait()),
                q.availableServices(), q.busyServices()));
        status.methodStats().forEach((method, s) -> methods.figures(method, s.calls(), s.succeeded(), s.failed(),
                s.callsPerSecond(), s.p50Millis(), s.p99Millis()));
        Map<String, Long> errorCounts = new LinkedHashMap<>();
        status.errorCounts().forEach((code, count) -> errorCounts.put(code.name(), count));
        List<BusSnapshot.CallError> errors = status.recentErrors().stream()
                .map(e -> new BusSnapshot.CallError(nowEpochMs - e.age().toMillis(), e.method(), e.code().name(),
                        e.message()))
                .toList();
        // what the router does not report shows as 0, as the page always did for Python routers
        BusSnapshot.Router router = new BusSnapshot.Router(status.mode() == null ? "unknown" : status.mode().wireName(),
                millis(status.uptime()) / 1000.0, status.authRequired(), status.curve(), status.implementation(),
                millis(status.heartbeatTimeout()) / 1000.0, Math.max(0, status.totalRequests()),
                Math.max(0, status.totalResponses()), status.requestsInQueue(), status.requestsInProcess());
        return new BusSnapshot(local, address, true, null, router, List.copyOf(dealers), methods.build(),
                Collections.unmodifiableMap(errorCounts), errors);
    }

    private static long millis(@Nullable Duration duration) {
        return duration == null ? 0 : duration.toMillis();
    }
}
