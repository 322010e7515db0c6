package io.voidrail.router;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import io.voidrail.ErrorCode;

/**
 * A consistent picture of the router taken on its I/O thread: what {@code router_info},
 * {@code queue_status} and {@code clusters} answer, for in-process monitoring (Actuator, metrics, dashboard).
 *
 * @param methodStats  per method, what the router relayed (counts since start, rate and latency over the last
 *                     minute)
 * @param errorCounts  calls answered with an error since start, by code
 * @param recentErrors the last errors, newest first
 * @param curve        whether the router socket runs CURVE (encryption and a key allow-list)
 */
public record RouterStatus(RouterMode mode, String address, boolean authRequired, Duration uptime,
        long totalRequests, long totalResponses, Map<String, Queue> queues, List<Dealer> dealers,
        Map<String, MethodStats> methodStats, Map<ErrorCode, Long> errorCounts, List<CallError> recentErrors,
        boolean curve) {

    public RouterStatus(RouterMode mode, String address, boolean authRequired, Duration uptime, long totalRequests,
            long totalResponses, Map<String, Queue> queues, List<Dealer> dealers, Map<String, MethodStats> methodStats,
            Map<ErrorCode, Long> errorCounts, List<CallError> recentErrors) {
        this(mode, address, authRequired, uptime, totalRequests, totalResponses, queues, dealers, methodStats,
                errorCounts, recentErrors, false);
    }

    public RouterStatus(RouterMode mode, String address, boolean authRequired, Duration uptime, long totalRequests,
            long totalResponses, Map<String, Queue> queues, List<Dealer> dealers) {
        this(mode, address, authRequired, uptime, totalRequests, totalResponses, queues, dealers, Map.of(), Map.of(),
                List.of(), false);
    }

    /**
     * One method's queue: waiting calls and the dealers offering the method that are free or busy.
     *
     * @param oldestWait how long the oldest waiting call has waited; zero when none waits
     */
    public record Queue(int queueLength, int availableServices, int busyServices, Duration oldestWait) {

        public Queue(int queueLength, int availableServices, int busyServices) {
            this(queueLength, availableServices, busyServices, Duration.ZERO);
        }
    }

    /**
     * One dealer as the router sees it.
     *
     * @param implementation what it announced in {@code register} (Java dealers: {@code voidrail-java/...});
     *                       {@code null} for Python dealers, which announce nothing
     * @param hostInfo       the {@code host_info} of its registration ({@code hostname}, {@code ip}, {@code pid}),
     *                       empty when it sent none
     */
    public record Dealer(String id, String group, List<String> methods, DealerState state, int maxConcurrent,
            int slots, int inFlight, long requestCount, long replyCount, Instant lastHeartbeat,
            @Nullable String implementation, Map<String, Object> hostInfo) {

        public Dealer(String id, String group, List<String> methods, DealerState state, int maxConcurrent, int slots,
                int inFlight, long requestCount, long replyCount, Instant lastHeartbeat) {
            this(id, group, methods, state, maxConcurrent, slots, inFlight, requestCount, replyCount, lastHeartbeat,
                    null, Map.of());
        }
    }

    /**
     * What the router relayed for one method.
     *
     * @param calls          calls accepted since start
     * @param succeeded      answered with a result or a complete stream
     * @param failed         answered with an error (by the dealer or the router)
     * @param callsPerSecond answers per second over the last minute
     * @param p50Millis      median time from arrival at the router to the answer over the last minute, queueing
     *                       included; 0 when nothing was answered
     * @param p99Millis      the 99th percentile of the same
     */
    public record MethodStats(long calls, long succeeded, long failed, double callsPerSecond, double p50Millis,
            double p99Millis) {
    }

    /** An error answer: which method, its code, its text (cut to 300 characters), how long ago. */
    public record CallError(String method, ErrorCode code, String message, Duration age) {
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
