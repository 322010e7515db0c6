package io.voidrail.router;

import static io.voidrail.internal.protocol.Protocol.*;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.voidrail.codec.JsonCodec;
import io.voidrail.status.DealerState;
import io.voidrail.status.RouterStatus;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** What the router tells about itself: {@code methods}, {@code clusters}, {@code queue_status}, {@code router_info}. */
final class RouterReport {

    private final RouterCore core;
    private final JsonCodec codec;

    RouterReport(RouterCore core, JsonCodec codec) {
        this.core = core;
        this.codec = codec;
    }

    /** Every public name offered by an ACTIVE dealer, with the metadata of the first such dealer. */
    ObjectNode methodsTable() {
        ObjectNode result = codec.object();
        for (DealerEntry dealer : core.dealers.values()) {
            if (dealer.state == DealerState.ACTIVE) {
                for (Map.Entry<String, JsonNode> method : dealer.methods.entrySet()) {
                    if (!result.has(method.getKey())) {
                        result.set(method.getKey(), method.getValue());
                    }
                }
            }
        }
        return result;
    }

    ObjectNode clustersTable(long now) {
        ObjectNode result = codec.object();
        for (DealerEntry dealer : core.dealers.values()) {
            ObjectNode entry = result.putObject(dealer.publicId);
            entry.put("service_id", dealer.publicId);
            entry.put("group", dealer.group);
            ObjectNode methods = entry.putObject("methods");
            dealer.methods.forEach(methods::set);
            entry.put("state", dealer.state.wireName());
            entry.put("max_concurrent", dealer.maxConcurrent);
            entry.put("current_load", dealer.inFlight.size());
            entry.put("request_count", dealer.requestCount);
            entry.put("reply_count", dealer.replyCount);
            entry.put("last_heartbeat", lastHeartbeatMillis(dealer, now) / 1000.0);
            // Java extensions, for monitoring: Python clients ignore them
            entry.put("slots", dealer.slots);
            if (dealer.implementation != null) {
                entry.put(IMPLEMENTATION_KEY, dealer.implementation);
            }
            if (dealer.hostInfo != null) {
                entry.set("host_info", dealer.hostInfo);
            }
        }
        return result;
    }

    private long lastHeartbeatMillis(DealerEntry dealer, long now) {
        return core.wallMillis.getAsLong() - (now - dealer.lastHeartbeatNanos) / 1_000_000L;
    }

    ObjectNode queueTable(long now) {
        ObjectNode result = codec.object();
        queueStatus(now).forEach((method, queue) -> result.putObject(method)
                .put("queue_length", queue.queueLength())
                .put("available_services", queue.availableServices())
                .put("busy_services", queue.busyServices())
                .put("oldest_wait_ms", queue.oldestWait().toMillis()));
        return result;
    }

    private Map<String, RouterStatus.Queue> queueStatus(long now) {
        Map<String, RouterStatus.Queue> result = new LinkedHashMap<>();
        for (Map.Entry<String, ArrayDeque<Call>> entry : core.queues.entrySet()) {
            int available = 0;
            int busy = 0;
            for (DealerEntry dealer : core.offering(entry.getKey())) {
                if (core.strategy.hasRoom(dealer)) {
                    available++;
                }
                else if (dealer.dispatchable() || dealer.state == DealerState.OVERLOAD) {
                    busy++;
                }
            }
            Call oldest = entry.getValue().peekFirst();
            result.put(entry.getKey(), new RouterStatus.Queue(entry.getValue().size(), available, busy,
                    oldest == null ? Duration.ZERO : Duration.ofNanos(now - oldest.arrivedNanos)));
        }
        return result;
    }

    ObjectNode routerInfo(long now) {
        ServiceRouter.Settings settings = core.settings;
        RouterStatus status = status(now);
        long busy = status.dealers().stream()
                .filter(d -> d.state() == DealerState.ACTIVE && d.inFlight() > 0).count();
        long active = status.dealerCount(DealerState.ACTIVE);
        ObjectNode info = codec.object();
        info.put("mode", settings.mode().wireName());
        info.put("address", core.address);
        info.put("heartbeat_timeout", seconds(settings.heartbeatTimeout()));
        info.put("active_services", active);
        info.put("total_services", status.dealers().size());
        ObjectNode queueStats = info.putObject("queue_stats");
        status.queues().forEach((method, queue) -> queueStats.put(method, queue.queueLength()));
        info.put("auth_required", settings.requireAuth());
        info.put("idle_heartbeat_timeout", seconds(settings.heartbeatTimeout()));
        info.put("busy_heartbeat_timeout", seconds(settings.busyHeartbeatTimeout()));
        info.put("max_busy_without_heartbeat", seconds(settings.busyHeartbeatTimeout()));
        info.put("active_services_count", active);
        info.put("busy_services_count", busy);
        info.put("idle_services_count", active - busy);
        info.put("inactive_services_count", status.dealerCount(DealerState.INACTIVE));
        info.put("total_services_count", status.dealers().size());
        info.put("uptime", seconds(Duration.ofNanos(now - core.startedNanos)));
        info.put("total_requests", core.totalRequests);
        info.put("total_responses", core.totalResponses);
        info.put("requests_in_process", status.requestsInProcess());
        info.put("requests_in_queue", status.requestsInQueue());
        info.put(MAX_MESSAGE_SIZE, settings.maxMessageSize());
        info.put(IMPLEMENTATION_KEY, IMPLEMENTATION);
        info.put("curve", status.curve()); // Java extension: lets a remote dashboard tell an encrypted router
        routerCapabilities(settings.requireAuth()).forEach(info.putArray(CAPABILITIES_KEY)::add);
        putCallStatistics(info, status);
        return info;
    }

    /** Java extensions for dashboards: what the router relayed per method, and the last errors. */
    private static void putCallStatistics(ObjectNode info, RouterStatus status) {
        ObjectNode methods = info.putObject("method_stats");
        status.methodStats().forEach((method, stats) -> methods.putObject(method)
                .put("calls", stats.calls())
                .put("succeeded", stats.succeeded())
                .put("failed", stats.failed())
                .put("calls_per_second", stats.callsPerSecond())
                .put("p50_ms", stats.p50Millis())
                .put("p99_ms", stats.p99Millis()));
        ObjectNode counts = info.putObject("error_counts");
        status.errorCounts().forEach((code, count) -> counts.put(code.name(), count));
        ArrayNode recent = info.putArray("recent_errors");
        status.recentErrors().forEach(error -> recent.addObject()
                .put("method", error.method())
                .put(CODE, error.code().name())
                .put(ERROR, error.message())
                .put("age_ms", error.age().toMillis()));
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }

    /** Dealers by their public id, as {@code clusters} names them: with auth on, routing identities stay secret. */
    RouterStatus status(long now) {
        List<RouterStatus.Dealer> table = new ArrayList<>();
        for (DealerEntry dealer : core.dealers.values()) {
            table.add(new RouterStatus.Dealer(dealer.publicId, dealer.group, List.copyOf(dealer.methods.keySet()),
                    dealer.state, dealer.maxConcurrent, dealer.slots, dealer.inFlight.size(), dealer.requestCount,
                    dealer.replyCount, Instant.ofEpochMilli(lastHeartbeatMillis(dealer, now)), dealer.implementation,
                    dealer.hostInfo == null ? Map.of() : hostInfo(dealer.hostInfo)));
        }
        CallStatistics stats = core.callStats;
        ServiceRouter.Settings settings = core.settings;
        return new RouterStatus(settings.mode(), core.address, settings.requireAuth(), settings.curve() != null,
                IMPLEMENTATION, settings.heartbeatTimeout(), Duration.ofNanos(now - core.startedNanos),
                core.totalRequests, core.totalResponses, Collections.unmodifiableMap(queueStatus(now)),
                List.copyOf(table), stats.methodStats(now), stats.errorCounts(), stats.recentErrors(now));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> hostInfo(JsonNode node) {
        Map<String, Object> map = (Map<String, Object>) codec.fromTree(node, Map.class);
        return map == null ? Map.of() : Collections.unmodifiableMap(map);
    }
}
