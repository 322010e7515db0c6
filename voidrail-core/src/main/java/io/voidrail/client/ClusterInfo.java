package io.voidrail.client;

import java.util.List;

/**
 * One dealer instance as {@code clusters} reports it.
 *
 * @param state         {@code active}, {@code overload}, {@code inactive} or {@code shutdown}
 * @param lastHeartbeat Unix seconds of its last heartbeat
 */
public record ClusterInfo(String serviceId, String group, List<String> methods, String state, int maxConcurrent,
        int currentLoad, long requestCount, long replyCount, double lastHeartbeat) {
}
