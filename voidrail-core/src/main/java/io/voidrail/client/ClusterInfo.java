package io.voidrail.client;

import java.util.List;

/**
 * One dealer instance as {@code clusters} reports it.
 *
 * @param state         {@code active}, {@code overload}, {@code inactive} or {@code shutdown}
 * @param currentLoad   calls the router has given it and not yet seen answered
 * @param lastHeartbeat Unix seconds of its last heartbeat
 * @param slots         calls the router keeps in flight on it in FIFO mode; 1 when the router does not say
 *                      (a Python router gives each dealer one call at a time)
 */
public record ClusterInfo(String serviceId, String group, List<String> methods, String state, int maxConcurrent,
        int currentLoad, long requestCount, long replyCount, double lastHeartbeat, int slots) {
}
