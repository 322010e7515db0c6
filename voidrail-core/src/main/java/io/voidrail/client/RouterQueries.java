package io.voidrail.client;

import static io.voidrail.internal.protocol.Protocol.*;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import io.voidrail.ErrorCode;
import io.voidrail.RouterMode;
import io.voidrail.VoidRailException;
import io.voidrail.codec.JsonCodec;
import io.voidrail.internal.protocol.MessageType;
import io.voidrail.internal.protocol.Reply;
import io.voidrail.status.DealerState;
import io.voidrail.status.MethodInfo;
import io.voidrail.status.RouterStatus;
import tools.jackson.databind.JsonNode;

/**
 * The client's questions to its router ({@code methods}, {@code clusters}, {@code queue_status}, {@code router_info},
 * {@code router_monitor}): sending them through the I/O thread, and reading the answers as the status model. What a
 * router does not send (a Python router sends the keys of PROTOCOL.md sections 3 and 8 only) is left unknown as
 * {@link RouterStatus} documents, never made up.
 */
final class RouterQueries {

    private final Supplier<ClientLoop> loop;
    private final JsonCodec codec;
    private final Duration timeout;
    private final boolean waitForReady;
    /** This client reaches its routers with CURVE: a router that answers it runs CURVE, whether it says so or not. */
    private final boolean curve;

    RouterQueries(Supplier<ClientLoop> loop, JsonCodec codec, Duration timeout, boolean waitForReady, boolean curve) {
        this.loop = loop;
        this.codec = codec;
        this.timeout = timeout;
        this.waitForReady = waitForReady;
        this.curve = curve;
    }

    private JsonNode ask(MessageType request, MessageType answer, Duration timeout) {
        Pending.Control control = new Pending.Control(request, answer, null);
        control.timeoutNanos = timeout.toNanos();
        control.deadlineNanos = System.nanoTime() + control.timeoutNanos;
        control.waitForReady = waitForReady && request != MessageType.ROUTER_MONITOR;
        ClientLoop current = loop.get();
        current.refuseWaitingHere("query", request.token());
        current.submit(control);
        return ClientDealer.await(control.result, request.token(), timeout);
    }

    Map<String, MethodInfo> methods() {
        return methods(ask(MessageType.METHODS, MessageType.METHODS_ACK, timeout));
    }

    Map<String, RouterStatus.Dealer> clusters() {
        return clusters(ask(MessageType.CLUSTERS, MessageType.CLUSTERS_ACK, timeout));
    }

    Map<String, RouterStatus.Queue> queues() {
        return queues(ask(MessageType.QUEUE_STATUS, MessageType.QUEUE_STATUS_ACK, timeout));
    }

    /** {@code router_info}, then {@code queue_status} and {@code clusters}: three answers, not one snapshot. */
    RouterStatus status() {
        JsonNode info = ask(MessageType.ROUTER_INFO, MessageType.ROUTER_INFO_ACK, timeout);
        return status(info, queues(), clusters(), curve);
    }

    boolean ping(Duration timeout) {
        try {
            ask(MessageType.ROUTER_MONITOR, MessageType.HEARTBEAT_ACK, timeout);
            return true;
        }
        catch (VoidRailException ex) {
            return false;
        }
    }

    // ---------------------------------------------------------------- reading the answers

    Map<String, MethodInfo> methods(JsonNode result) {
        Map<String, MethodInfo> methods = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : result.properties()) {
            JsonNode meta = entry.getValue();
            Map<String, String> params = new LinkedHashMap<>();
            meta.path("params").properties().forEach(p -> params.put(p.getKey(), p.getValue().asString("")));
            methods.put(entry.getKey(), new MethodInfo(entry.getKey(), Reply.text(meta, "description"),
                    Collections.unmodifiableMap(params), meta.path("stream").asBoolean(false),
                    toMap(meta.path("metadata"))));
        }
        return Collections.unmodifiableMap(methods);
    }

    Map<String, RouterStatus.Dealer> clusters(JsonNode result) {
        Map<String, RouterStatus.Dealer> dealers = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : result.properties()) {
            JsonNode node = entry.getValue();
            dealers.put(entry.getKey(), new RouterStatus.Dealer(node.path("service_id").asString(entry.getKey()),
                    node.path("group").asString(""), List.copyOf(node.path("methods").propertyNames()),
                    DealerState.fromWire(node.path("state").asString("")), node.path("max_concurrent").asInt(0),
                    node.path("slots").asInt(1), node.path("current_load").asInt(0),
                    node.path("request_count").asLong(0), node.path("reply_count").asLong(0),
                    epochSeconds(node.path("last_heartbeat").asDouble(0)), Reply.text(node, IMPLEMENTATION_KEY),
                    toMap(node.path("host_info"))));
        }
        return Collections.unmodifiableMap(dealers);
    }

    static Map<String, RouterStatus.Queue> queues(JsonNode result) {
        Map<String, RouterStatus.Queue> queues = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> entry : result.properties()) {
            JsonNode node = entry.getValue();
            JsonNode oldest = node.get("oldest_wait_ms");
            queues.put(entry.getKey(), new RouterStatus.Queue(node.path("queue_length").asInt(0),
                    node.path("available_services").asInt(0), node.path("busy_services").asInt(0),
                    oldest != null && oldest.isNumber() ? Duration.ofMillis(oldest.asLong()) : null));
        }
        return Collections.unmodifiableMap(queues);
    }

    /**
     * A {@code router_info} result with the answers of {@code queue_status} and {@code clusters}.
     *
     * @param curve whether this client reached the router with CURVE (what a router that does not say is taken to run)
     */
    static RouterStatus status(JsonNode info, Map<String, RouterStatus.Queue> queues,
            Map<String, RouterStatus.Dealer> dealers, boolean curve) {
        JsonNode announced = info.get("curve");
        return new RouterStatus(mode(info.path("mode").asString("")), info.path("address").asString(""),
                info.path("auth_required").asBoolean(false),
                announced != null && announced.isBoolean() ? announced.asBoolean() : curve,
                Reply.text(info, IMPLEMENTATION_KEY), secondsOrNull(info.get("heartbeat_timeout")),
                secondsOrNull(info.get("uptime")), countOrUnknown(info.get("total_requests")),
                countOrUnknown(info.get("total_responses")), queues, List.copyOf(dealers.values()),
                methodStats(info.path("method_stats")), errorCounts(info.path("error_counts")),
                recentErrors(info.path("recent_errors")));
    }

    private static @Nullable RouterMode mode(String text) {
        try {
            return RouterMode.parse(text);
        }
        catch (IllegalArgumentException ex) {
            return null;
        }
    }

    private static Map<String, RouterStatus.MethodStats> methodStats(JsonNode node) {
        Map<String, RouterStatus.MethodStats> stats = new LinkedHashMap<>();
        node.properties().forEach(entry -> {
            JsonNode s = entry.getValue();
            stats.put(entry.getKey(), new RouterStatus.MethodStats(s.path("calls").asLong(0),
                    s.path("succeeded").asLong(0), s.path("failed").asLong(0), s.path("calls_per_second").asDouble(0),
                    s.path("p50_ms").asDouble(0), s.path("p99_ms").asDouble(0)));
        });
        return Collections.unmodifiableMap(stats);
    }

    private static Map<ErrorCode, Long> errorCounts(JsonNode node) {
        Map<ErrorCode, Long> counts = new LinkedHashMap<>();
        node.properties().forEach(entry -> counts.merge(ErrorCode.fromWire(entry.getKey()),
                entry.getValue().asLong(0), Long::sum));
        return Collections.unmodifiableMap(counts);
    }

    private static List<RouterStatus.CallError> recentErrors(JsonNode node) {
        List<RouterStatus.CallError> errors = new ArrayList<>();
        for (JsonNode e : node) {
            errors.add(new RouterStatus.CallError(e.path("method").asString(""),
                    ErrorCode.fromWire(Reply.text(e, CODE)), e.path(ERROR).asString(""),
                    Duration.ofMillis(e.path("age_ms").asLong(0))));
        }
        return List.copyOf(errors);
    }

    private static @Nullable Duration secondsOrNull(@Nullable JsonNode seconds) {
        return seconds != null && seconds.isNumber() ? Duration.ofNanos(Math.round(seconds.asDouble() * 1e9)) : null;
    }

    private static long countOrUnknown(@Nullable JsonNode count) {
        return count != null && count.isNumber() ? count.asLong() : RouterStatus.UNKNOWN_COUNT;
    }

    /** Unix seconds as Python writes them (a float), to the microsecond. */
    private static Instant epochSeconds(double seconds) {
        long micros = Math.round(seconds * 1_000_000);
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000), Math.floorMod(micros, 1_000_000) * 1000L);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> toMap(JsonNode node) {
        if (!node.isObject()) {
            return Map.of();
        }
        return Collections.unmodifiableMap((Map<String, Object>) codec.fromTree(node, Map.class));
    }
}
