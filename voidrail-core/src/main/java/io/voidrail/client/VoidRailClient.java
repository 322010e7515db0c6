package io.voidrail.client;

import java.lang.reflect.Type;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.stream.Stream;

import io.voidrail.status.MethodInfo;
import io.voidrail.status.RouterStatus;
import tools.jackson.core.type.TypeReference;

/**
 * Calls methods on the bus by name ({@code EchoService.echo}) and asks the router what it serves.
 * Thread-safe: share one client across the application. Every call has a deadline (its own timeout or
 * the client default); a failed call throws {@link io.voidrail.VoidRailException} with the remote error
 * code and text.
 */
public interface VoidRailClient extends AutoCloseable {

    /** A call to configure (args, kwargs, timeout, headers) before running it. */
    CallSpec call(String method);

    /** Calls with positional arguments and waits for the result. */
    default <T> T invoke(String method, Class<T> resultType, Object... args) {
        return call(method).args(args).invoke(resultType);
    }

    /** Calls with positional arguments and waits for a result of a generic type. */
    default <T> T invoke(String method, Type resultType, Object... args) {
        return call(method).args(args).invoke(resultType);
    }

    /**
     * Calls and waits for a result of a generic type, type-safely:
     * {@code List<Point> points = client.invoke("Geo.points", new TypeReference<List<Point>>() {}, 3)}.
     */
    default <T> T invoke(String method, TypeReference<T> resultType, Object... args) {
        return call(method).args(args).invoke(resultType);
    }

    default <T> CompletableFuture<T> invokeAsync(String method, Class<T> resultType, Object... args) {
        return call(method).args(args).invokeAsync(resultType);
    }

    default <T> CompletableFuture<T> invokeAsync(String method, TypeReference<T> resultType, Object... args) {
        return call(method).args(args).invokeAsync(resultType);
    }

    /** A streaming call as a Java {@link Stream}; close it (try-with-resources) to cancel early. */
    default <T> Stream<T> stream(String method, Class<T> itemType, Object... args) {
        return call(method).args(args).stream(itemType);
    }

    /** A streaming call as a {@link Flow.Publisher}; the call starts when a subscriber subscribes. */
    default <T> Flow.Publisher<T> publisher(String method, Class<T> itemType, Object... args) {
        return call(method).args(args).publisher(itemType);
    }

    /** Methods offered by active dealers, by public name ({@code methods}). */
    Map<String, MethodInfo> discoverServices();

    /** Every dealer instance the router knows, by public id ({@code clusters}). */
    Map<String, RouterStatus.Dealer> discoverClusters();

    /**
     * The router's status, the same model as {@link io.voidrail.router.ServiceRouter#status()} in-process: its
     * figures ({@code router_info}), queues ({@code queue_status}) and dealers ({@code clusters}), asked one after the
     * other. What a router does not report (Python routers: uptime, totals, per-method figures, errors) is
     * {@code null}, {@link RouterStatus#UNKNOWN_COUNT} or empty.
     */
    RouterStatus getRouterInfo();

    /** Per-method queue figures ({@code queue_status}). */
    Map<String, RouterStatus.Queue> getQueueStatus();

    /** Where this client finds its router, e.g. {@code tcp://127.0.0.1:5555}. */
    String routerAddress();

    /** Whether the router answers a liveness ping within the timeout. */
    boolean ping(Duration timeout);

    /** A typed client for an interface annotated {@code @VoidRailService}. */
    <T> T proxy(Class<T> serviceInterface);

    /** Connects now instead of on first use. */
    void connect();

    /**
     * Where the client stands with its router: {@link ConnectionState#READY} only when it has heard from it within
     * 1.25 heartbeat intervals (any message; an idle client pings).
     */
    ConnectionState connectionState();

    /** Whether the client has heard from its router recently ({@link ConnectionState#READY}). */
    default boolean isConnected() {
        return connectionState() == ConnectionState.READY;
    }

    /** Final and idempotent: fails calls in flight (CANCELLED); later calls throw {@link IllegalStateException}. */
    @Override
    void close();
}
