package io.voidrail.client;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * One dealer instance as {@code clusters} reports it.
 *
 * @param state          {@code active}, {@code overload}, {@code inactive} or {@code shutdown}
 * @param lastHeartbeat  Unix seconds of its last heartbeat
 * @param slots          calls it runs at once in FIFO mode (a Java router's extension; 1 otherwise)
 * @param implementation what the dealer announced, e.g. {@code voidrail-java/1.0}; {@code null} for Python dealers
 *                       or when the router does not say (Python routers)
 * @param hostInfo       the dealer's {@code host_info} ({@code hostname}, {@code ip}, {@code pid}) when the router
 *                       reports it (Java routers), else empty
 */
public record ClusterInfo(String serviceId, String group, List<String> methods, String state, int maxConcurrent,
        int currentLoad, long requestCount, long replyCount, double lastHeartbeat, int slots,
        @Nullable String implementation, Map<String, Object> hostInfo) {

    public ClusterInfo(String serviceId, String group, List<String> methods, String state, int maxConcurrent,
            int currentLoad, long requestCount, long replyCount, double lastHeartbeat) {
        this(serviceId, group, methods, state, maxConcurrent, currentLoad, requestCount, replyCount, lastHeartbeat, 1,
                null, Map.of());
    }
}
