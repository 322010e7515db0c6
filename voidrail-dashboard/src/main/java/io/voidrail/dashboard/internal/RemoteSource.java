package io.voidrail.dashboard.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import io.voidrail.VoidRailException;
import io.voidrail.client.ClusterInfo;
import io.voidrail.client.QueueInfo;
import io.voidrail.client.VoidRailClient;

/**
 * Reads a router over the wire, read-only: {@code router_info}, {@code clusters} and {@code queue_status}. Works with
 * Python routers too; what only a Java router reports (per-method figures, errors, runtimes) is then left empty.
 */
public final class RemoteSource implements BusSource {

    private final VoidRailClient client;
    private final Duration pingTimeout;

    public RemoteSource(VoidRailClient client, Duration pingTimeout) {
        this.client = client;
        this.pingTimeout = pingTimeout;
    }

    @Override
    public BusSnapshot read(long nowEpochMs) {
        // a short ping first, so that a router that is down costs the page seconds, not the client's call timeout
        if (!client.ping(pingTimeout)) {
            throw new VoidRailException("The router at " + client.routerAddress() + " does not answer");
        }
        Map<String, Object> info = client.getRouterInfo();
        Map<String, ClusterInfo> clusters = client.discoverClusters();
        Map<String, QueueInfo> queues = client.getQueueStatus();

        String implementation = text(info.get("implementation"));
        MethodTable methods = new MethodTable();
        List<BusSnapshot.Dealer> dealers = new ArrayList<>();
        for (ClusterInfo d : clusters.values()) {
            methods.offered(d.methods());
            dealers.add(BusSnapshot.Dealer.of(d.serviceId(), d.group(), d.state(), d.implementation(),
                    implementation != null, d.hostInfo(), d.currentLoad(), d.slots(), d.maxConcurrent(), d.requestCount(),
                    d.replyCount(), nowEpochMs - Math.round(d.lastHeartbeat() * 1000), d.methods()));
        }
        queues.forEach((method, q) -> methods.queue(method, q.queueLength(), q.oldestWaitMs(), q.availableServices(),
                q.busyServices()));
        map(info.get("method_stats")).forEach((method, value) -> {
            Map<String, Object> s = map(value);
            methods.figures(method, longOf(s.get("calls")), longOf(s.get("succeeded")), longOf(s.get("failed")),
                    doubleOf(s.get("calls_per_second")), doubleOf(s.get("p50_ms")), doubleOf(s.get("p99_ms")));
        });
        Map<String, Long> errorCounts = new LinkedHashMap<>();
        map(info.get("error_counts")).forEach((code, count) -> errorCounts.put(code, longOf(count)));
        List<BusSnapshot.CallError> errors = new ArrayList<>();
        if (info.get("recent_errors") instanceof List<?> list) {
            for (Object item : list) {
                Map<String, Object> e = map(item);
                errors.add(new BusSnapshot.CallError(nowEpochMs - longOf(e.get("age_ms")),
                        String.valueOf(e.get("method")), String.valueOf(e.get("code")), String.valueOf(e.get("error"))));
            }
        }
        BusSnapshot.Router router = new BusSnapshot.Router(String.valueOf(info.getOrDefault("mode", "unknown")),
                doubleOf(info.get("uptime")), Boolean.TRUE.equals(info.get("auth_required")),
                Boolean.TRUE.equals(info.get("curve")), implementation, // Python routers send no curve: off
                doubleOf(info.get("heartbeat_timeout")), longOf(info.get("total_requests")),
                longOf(info.get("total_responses")), queues.values().stream().mapToLong(QueueInfo::queueLength).sum(),
                dealers.stream().mapToLong(BusSnapshot.Dealer::inFlight).sum());
        return new BusSnapshot(false, address(), true, null, router, List.copyOf(dealers), methods.build(),
                Collections.unmodifiableMap(errorCounts), List.copyOf(errors));
    }

    @Override
    public boolean local() {
        return false;
    }

    @Override
    public String address() {
        return client.routerAddress();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(@Nullable Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    private static long longOf(@Nullable Object value) {
        return value instanceof Number n ? n.longValue() : 0;
    }

    private static double doubleOf(@Nullable Object value) {
        return value instanceof Number n ? n.doubleValue() : 0;
    }

    private static @Nullable String text(@Nullable Object value) {
        return value instanceof String s ? s : null;
    }
}
