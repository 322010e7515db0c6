package io.voidrail.router;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A consistent picture of the router taken on its I/O thread: what {@code router_info},
 * {@code queue_status} and {@code clusters} answer, for in-process monitoring (Actuator, metrics).
 */
public record RouterStatus(RouterMode mode, String address, boolean authRequired, Duration uptime,
        long totalRequests, long totalResponses, Map<String, Queue> queues, List<Dealer> dealers) {

    /** One method's queue: waiting calls and the dealers offering the method that are free or busy. */
    public record Queue(int queueLength, int availableServices, int busyServices) {
    }

    /** One dealer as the router sees it. */
    public record Dealer(String id, String group, List<String> methods, DealerState state, int maxConcurrent,
            int slots, int inFlight, long requestCount, long replyCount, Instant lastHeartbeat) {
    }

    public long requestsInQueue() {
        return queues.values().stream().mapToLong(Queue::queueLength).sum();
    }

    public long requestsInProcess() {
        return dealers.stream().mapToLong(Dealer::inFlight).sum();
    }

    public long dealerCount(DealerState state) {
        return dealers.stream().filter(d -> d.state() == state).count();
    }
}
