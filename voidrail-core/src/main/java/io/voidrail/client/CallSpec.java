package io.voidrail.client;

import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

import io.voidrail.internal.Checks;
import tools.jackson.core.type.TypeReference;

/**
 * One call being configured: positional args, keyword args, timeout, headers; then run as a blocking
 * call, a future, a stream or a publisher. Not thread-safe; make one per call.
 *
 * <pre>{@code
 * int sum = client.call("EchoService.add").kwarg("a", 5).kwarg("b", 3).timeout(Duration.ofSeconds(2)).invoke(Integer.class);
 * }</pre>
 */
public final class CallSpec {

    private final ClientDealer client;
    private final String method;
    private final List<@Nullable Object> args = new ArrayList<>();
    private final Map<String, @Nullable Object> kwargs = new LinkedHashMap<>();
    private final Map<String, String> headers = new LinkedHashMap<>();
    private @Nullable Duration timeout;
    private @Nullable Boolean waitForReady;

    CallSpec(ClientDealer client, String method) {
        this.client = client;
        this.method = Objects.requireNonNull(method, "method");
    }

    /** Appends positional arguments. */
    public CallSpec args(@Nullable Object... values) {
        if (values != null) {
            args.addAll(Arrays.asList(values));
        }
        return this;
    }

    public CallSpec arg(@Nullable Object value) {
        args.add(value);
        return this;
    }

    /** A keyword argument, bound to the parameter of that name. */
    public CallSpec kwarg(String name, @Nullable Object value) {
        kwargs.put(Objects.requireNonNull(name), value);
        return this;
    }

    public CallSpec kwargs(Map<String, ?> values) {
        kwargs.putAll(values);
        return this;
    }

    /** This call's deadline, instead of the client default; for streams, the longest wait for the next item. */
    public CallSpec timeout(Duration timeout) {
        this.timeout = Checks.positive(timeout, "timeout");
        return this;
    }

    /**
     * Waits for a router to answer, up to the deadline, instead of failing fast with {@code UNAVAILABLE} when none
     * has answered within the client's connect timeout (gRPC's wait-for-ready).
     */
    public CallSpec waitForReady() {
        return waitForReady(true);
    }

    /** Whether this call waits for a ready router (see {@link #waitForReady()}); unset: the client's default. */
    public CallSpec waitForReady(boolean wait) {
        this.waitForReady = wait;
        return this;
    }

    /** A string header carried to the dealer (trace context and the like). */
    public CallSpec header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public <T> T invoke(Class<T> resultType) {
        return client.invokeNow(this, resultType);
    }

    public <T> T invoke(Type resultType) {
        return client.invokeNow(this, resultType);
    }

    /** A result of a generic type, type-safely: {@code invoke(new TypeReference<List<Point>>() {})}. */
    public <T> T invoke(TypeReference<T> resultType) {
        return invoke(resultType.getType());
    }

    public <T> CompletableFuture<T> invokeAsync(Class<T> resultType) {
        return invokeAsync((Type) resultType);
    }

    public <T> CompletableFuture<T> invokeAsync(TypeReference<T> resultType) {
        return invokeAsync(resultType.getType());
    }

    public <T> CompletableFuture<T> invokeAsync(Type resultType) {
        return client.startCall(this, resultType);
    }

    /** Items as they arrive; close the stream to cancel the call early. */
    public <T> Stream<T> stream(Class<T> itemType) {
        return stream((Type) itemType);
    }

    public <T> Stream<T> stream(TypeReference<T> itemType) {
        return stream(itemType.getType());
    }

    public <T> Stream<T> stream(Type itemType) {
        return client.startStream(this, itemType);
    }

    public <T> Flow.Publisher<T> publisher(Class<T> itemType) {
        return publisher((Type) itemType);
    }

    public <T> Flow.Publisher<T> publisher(TypeReference<T> itemType) {
        return publisher(itemType.getType());
    }

    public <T> Flow.Publisher<T> publisher(Type itemType) {
        return client.publisher(this, itemType);
    }

    String method() {
        return method;
    }

    List<@Nullable Object> args() {
        return args;
    }

    Map<String, @Nullable Object> kwargs() {
        return kwargs;
    }

    Map<String, String> headers() {
        return headers;
    }

    @Nullable Duration timeout() {
        return timeout;
    }

    @Nullable Boolean waitsForReady() {
        return waitForReady;
    }
}
