package io.voidrail.dashboard.internal;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * The bus as the dashboard shows it, read from the router at one moment; the same shape whether the router runs
 * in this process or is asked over the wire. Serialized as is (camelCase) into the page's JSON.
 *
 * @param local    read from an in-process router (else through a client, read-only)
 * @param problem  why the router could not be read this time; the other fields are then the last ones read
 */
public record BusSnapshot(boolean local, String address, boolean reachable, @Nullable String problem, Router router,
        List<Dealer> dealers, List<Method> methods, Map<String, Long> errorCounts, List<CallError> recentErrors) {

    /** The router's figures. {@code implementation} is null for routers that do not say (Python ones). */
    public record Router(String mode, double uptimeSeconds, boolean authRequired, boolean encrypted,
            @Nullable String implementation, double heartbeatTimeoutSeconds, long totalRequests, long totalResponses,
            long requestsInQueue, long requestsInProcess) {
    }

    /**
     * One dealer.
     *
     * @param runtime         {@code Java}, {@code Python} (a Java router saw no implementation in its register), or
     *                        {@code null} when the router cannot tell
     * @param heartbeatAgeMs  time since its last heartbeat
     */
    public record Dealer(String id, String group, String state, @Nullable String runtime,
            @Nullable String implementation, @Nullable String host, @Nullable Long pid, int inFlight, int slots,
            int maxConcurrent, long requests, long replies, long heartbeatAgeMs, List<String> methods) {

        /**
         * From what the router says of a dealer. Java dealers announce {@code voidrail-java/...}; a dealer without an
         * implementation, seen by a router that reports implementations (a Java one), is a Python dealer.
         */
        static Dealer of(String id, String group, String state, @Nullable String implementation,
                boolean routerReportsImplementations, Map<String, Object> hostInfo, int inFlight, int slots,
                int maxConcurrent, long requests, long replies, long heartbeatAgeMs, List<String> methods) {
            String runtime = implementation == null ? (routerReportsImplementations ? "Python" : null)
                    : implementation.startsWith("voidrail-java") ? "Java" : implementation;
            Object host = hostInfo.get("hostname");
            Long pid = hostInfo.get("pid") instanceof Number n ? n.longValue() : null;
            return new Dealer(id, group, state, runtime, implementation, host == null ? null : host.toString(), pid,
                    inFlight, slots, maxConcurrent, requests, replies, Math.max(0, heartbeatAgeMs), methods);
        }
    }

    /**
     * One method: its queue, who offers it, and what the router relayed for it (counts since start, rate and
     * latency over the last minute; zero when the router does not report them).
     */
    public record Method(String name, int offeredBy, int queueLength, long oldestWaitMs, int availableDealers,
            int busyDealers, long calls, long succeeded, long failed, double callsPerSecond, double p50Ms,
            double p99Ms) {

        long answered() {
            return succeeded + failed;
        }
    }

    /** An error answer; {@code atEpochMs} by this process's clock. */
    public record CallError(long atEpochMs, String method, String code, String message) {
    }

    /** A snapshot that says the router could not be read, keeping what was shown before. */
    public BusSnapshot unreachable(String why) {
        return new BusSnapshot(local, address, false, why, router, dealers, methods, errorCounts, recentErrors);
    }

    /** What the page shows before the router was ever read. */
    public static BusSnapshot nothingYet(boolean local, String address, String why) {
        return new BusSnapshot(local, address, false, why,
                new Router("unknown", 0, false, false, null, 0, 0, 0, 0, 0), List.of(), List.of(), Map.of(), List.of());
    }
}
