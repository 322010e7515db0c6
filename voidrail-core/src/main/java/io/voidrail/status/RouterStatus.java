package io.voidrail.status;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import io.voidrail.ErrorCode;
import io.voidrail.RouterMode;

/**
 * What a router reports about itself: {@code router_info}, {@code queue_status} and {@code clusters} in one value.
 * {@link io.voidrail.router.ServiceRouter#status()} takes it on the router's I/O thread (a consistent picture);
 * {@link io.voidrail.client.VoidRailClient#getRouterInfo()} reads it over the wire with those three questions, one
 * after the other. Figures a router does not send (a Python router sends the keys of PROTOCOL.md section 8 only)
 * are {@code null}, {@link #UNKNOWN_COUNT} or empty, as each component says.
 *
 * @param mode             {@code null} when the router names a mode this version does not know
 * @param authRequired     whether clients and dealers need an API key
 * @param curve            whether the router socket runs CURVE (encryption and a key allow-list); over the wire, what
 *                         a Java router says, else whether this client reached it with CURVE
 * @param implementation   what the router announced, e.g. {@code voidrail-java/1.0}; {@code null} for Python routers
 * @param heartbeatTimeout how long a dealer may stay silent; {@code null} when the router does not say
 * @param uptime           time since the router started; {@code null} when the router does not say
 * @param totalRequests    calls received since start; {@link #UNKNOWN_COUNT} when the router does not say
 * @param totalResponses   calls answered since start; {@link #UNKNOWN_COUNT} when the router does not say
 * @param queues           per method, its queue ({@code queue_status})
 * @param dealers          every dealer the router knows ({@code clusters}), by its public id
 * @param methodStats      per method, what the router relayed (counts since start, rate and latency over the last
 *                         minute); empty when the router does not report it (Python routers)
 * @param errorCounts      calls answered with an error since start, by code; empty when not reported
 * @param recentErrors     the last errors, newest first; empty when not reported
 */
public record RouterStatus(@Nullable RouterMode mode, String address, boolean authRequired, boolean curve,
        @Nullable String implementation, @Nullable Duration heartbeatTimeout, @Nullable Duration uptime,
        long totalRequests, long totalResponses, Map<String, Queue> queues, List<Dealer> dealers,
        Map<String, MethodStats> methodStats, Map<ErrorCode, Long> errorCounts, List<CallError> recentErrors) {

    /** A count the router does not report. */
    public static final long UNKNOWN_COUNT = -1;

    /**
     * One method's queue: waiting calls, and the dealers offering the method that are free or busy.
     *
     * @param oldestWait how long the oldest waiting call has waited, zero when none waits; {@code null} when the
     *                   router does not say (Python routers)
     */
    public record Queue(int queueLength, int availableServices, int busyServices, @Nullable Duration oldestWait) {

        /** A queue as a Python router reports it: without the oldest wait. */
        public Queue(int queueLength, int availableServices, int busyServices) {
            this(queueLength, availableServices, busyServices, null);
        }
    }

    /**
     * One dealer as the router sees it.
     *
     * @param id             its public id: the routing identity when auth is off, else an id the router makes up
     *                       (with auth on, nobody learns another peer's routing identity)
     * @param slots          calls it runs at once in FIFO mode (a Java router's extension; 1 otherwise, as a Python
     *                       router gives each dealer one call at a time)
     * @param inFlight       calls it has been given and not answered ({@code current_load})
     * @param implementation what it announced in {@code register} (Java dealers: {@code voidrail-java/...});
     *                       {@code null} for Python dealers, which announce nothing, and when the router does not say
     * @param hostInfo       the {@code host_info} of its registration ({@code hostname}, {@code ip}, {@code pid}),
     *                       empty when it sent none or the router does not say
     */
    public record Dealer(String id, String group, List<String> methods, DealerState state, int maxConcurrent,
            int slots, int inFlight, long requestCount, long replyCount, Instant lastHeartbeat,
            @Nullable String implementation, Map<String, Object> hostInfo) {
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

    /** Calls waiting in the queues. */
    public long requestsInQueue() {
        return queues.values().stream().mapToLong(Queue::queueLength).sum();
    }

    /** Calls the dealers have been given and not answered. */
    public long requestsInProcess() {
        return dealers.stream().mapToLong(Dealer::inFlight).sum();
    }

    public long dealerCount(DealerState state) {
        return dealers.stream().filter(d -> d.state() == state).count();
    }
}
