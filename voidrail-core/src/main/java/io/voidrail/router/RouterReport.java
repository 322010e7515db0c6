package io.voidrail.router;

import static io.voidrail.protocol.Protocol.*;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.voidrail.codec.JsonCodec;
import tools.jackson.databind.JsonNode;
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
            ObjectNode entry = result.putObject(dealer.id);
            entry.put("service_id", dealer.id);
            entry.put("group", dealer.group);
            ObjectNode methods = entry.putObject("methods");
            dealer.methods.forEach(methods::set);
            entry.put("state", dealer.state.wireName());
            entry.put("max_concurrent", dealer.maxConcurrent);
            entry.put("current_load", dealer.inFlight.size());
            entry.put("request_count", dealer.requestCount);
            entry.put("reply_count", dealer.replyCount);
            entry.put("last_heartbeat", lastHeartbeatMillis(dealer, now) / 1000.0);
        }
        return result;
    }

    private long lastHeartbeatMillis(DealerEntry dealer, long now) {
        return core.wallMillis.getAsLong() - (now - dealer.lastHeartbeatNanos) / 1_000_000L;
    }

    ObjectNode queueTable() {
        ObjectNode result = codec.object();
        queueStatus().forEach((method, queue) -> result.putObject(method)
                .put("queue_length", queue.queueLength())
                .put("available_services", queue.availableServices())
                .put("busy_services", queue.busyServices()));
        return result;
    }

    private Map<String, RouterStatus.Queue> queueStatus() {
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
            result.put(entry.getKey(), new RouterStatus.Queue(entry.getValue().size(), available, busy));
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
        info.put("uptime", seconds(status.uptime()));
        info.put("total_requests", core.totalRequests);
        info.put("total_responses", core.totalResponses);
        info.put("requests_in_process", status.requestsInProcess());
        info.put("requests_in_queue", status.requestsInQueue());
        info.put(MAX_MESSAGE_SIZE, settings.maxMessageSize());
        info.put(IMPLEMENTATION_KEY, IMPLEMENTATION);
        CAPABILITIES.forEach(info.putArray(CAPABILITIES_KEY)::add);
        return info;
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }

    RouterStatus status(long now) {
        List<RouterStatus.Dealer> table = new ArrayList<>();
        for (DealerEntry dealer : core.dealers.values()) {
            table.add(new RouterStatus.Dealer(dealer.id, dealer.group, List.copyOf(dealer.methods.keySet()), dealer.state,
                    dealer.maxConcurrent, dealer.slots, dealer.inFlight.size(), dealer.requestCount, dealer.replyCount,
                    Instant.ofEpochMilli(lastHeartbeatMillis(dealer, now))));
        }
        return new RouterStatus(core.settings.mode(), core.address, core.settings.requireAuth(),
                Duration.ofNanos(now - core.startedNanos), core.totalRequests, core.totalResponses,
                Collections.unmodifiableMap(queueStatus()), List.copyOf(table));
    }
}
