package io.voidrail.client;

import static io.voidrail.internal.protocol.Protocol.API_KEY;
import static io.voidrail.internal.protocol.Protocol.CLIENT_ID;
import static io.voidrail.internal.protocol.Protocol.PROGRESS;

import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

import io.voidrail.VoidRailException;
import io.voidrail.auth.AuthEnvironment;
import io.voidrail.auth.CurveClientConfig;
import io.voidrail.codec.JsonCodec;
import io.voidrail.event.CallEvent;
import io.voidrail.event.CallListener;
import io.voidrail.event.CallObservation;
import io.voidrail.internal.Addresses;
import io.voidrail.internal.Checks;
import io.voidrail.internal.GuardedCallListener;
import io.voidrail.ErrorCode;
import io.voidrail.internal.protocol.Messages;
import io.voidrail.status.MethodInfo;
import io.voidrail.status.RouterStatus;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@link VoidRailClient} over DEALER sockets: one per router it knows, calls going to one of them. Connects on
 * first use (or {@link #connect()}) and authenticates when it has a key. {@link #close()} is final: later calls,
 * router questions and {@link #connect()} throw {@link IllegalStateException} at once.
 *
 * <p>It knows whether its router answers: it pings a router it has not heard from for half a heartbeat interval, a
 * router is {@link ConnectionState#READY} while it has answered within 1.25 intervals, and a call fails fast with
 * {@code UNAVAILABLE} when no router has answered within the connect timeout (unless it waits for ready). With
 * several routers it uses the first that answers and switches to the next ready one when it falls silent.
 *
 * <pre>{@code
 * try (ClientDealer client = ClientDealer.builder().routerAddress("tcp://127.0.0.1:5555").build()) {
 *     String s = client.invoke("EchoService.echo", String.class, "hello");
 * }
 * }</pre>
 */
public final class ClientDealer implements VoidRailClient {

    private static final long AWAIT_MARGIN_MS = 5_000;
    /** The consumer's progress reaches the I/O thread every so many items (it decides the credits). */
    private static final int TAKEN_BATCH = 8;
    /** The shortest connect timeout of a CURVE client. */
    private static final Duration CURVE_CONNECT_FLOOR = Duration.ofSeconds(5);

    private final List<String> routerAddresses;
    private final Duration defaultTimeout;
    private final boolean waitForReady;
    private final int streamWindow;
    private final JsonCodec codec;
    private final Messages messages;
    private final CallListener listener;
    /** The listener uses queued/dispatched: calls ask the router for their progress. */
    private final boolean observesProgress;
    private final Executor callbackExecutor;
    private final byte[] identity;
    private final List<CallAdapter> callAdapters;
    private final ClientConnection connection;
    private final RouterQueries queries;

    private ClientDealer(Builder builder) {
        this.routerAddresses = builder.routerAddresses;
        this.defaultTimeout = builder.timeout;
        // a CURVE handshake takes over a second on a cold or loaded JVM (JeroMQ's CURVE is pure Java), a stalled
        // connect one more (Sockets.HANDSHAKE_IVL_MS), and a silent router's connection is replaced after every
        // connect timeout: a shorter one would restart handshakes that were about to succeed
        Duration connectTimeout = builder.curve != null && builder.connectTimeout.compareTo(CURVE_CONNECT_FLOOR) < 0
                ? CURVE_CONNECT_FLOOR : builder.connectTimeout;
        this.waitForReady = builder.waitForReady;
        this.streamWindow = builder.streamWindow;
        String apiKey = builder.apiKey != null ? builder.apiKey : builder.environment.apiKey();
        this.codec = builder.codec;
        this.messages = new Messages(codec);
        this.listener = GuardedCallListener.of(builder.listener);
        this.observesProgress = listener.observesProgress();
        this.callbackExecutor = builder.callbackExecutor;
        this.callAdapters = List.copyOf(builder.callAdapters);
        this.identity = UUID.randomUUID().toString().replace("-", "").getBytes(StandardCharsets.UTF_8);
        byte[] auth = apiKey == null ? null : codec.write(codec.object().put(API_KEY, apiKey).put(CLIENT_ID, identity()));
        this.connection = new ClientConnection(new ClientSettings(routerAddresses, identity, codec, auth, defaultTimeout,
                connectTimeout, builder.heartbeatInterval, streamWindow, builder.curve));
        this.queries = new RouterQueries(connection::loop, codec, defaultTimeout, waitForReady, builder.curve != null);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The router calls go to: the first of the list until the client fails over to another. */
    @Override
    public String routerAddress() {
        return connection.routerAddress();
    }

    /** Every router this client may use, in the order it tries them. */
    public List<String> routerAddresses() {
        return routerAddresses;
    }

    public Duration defaultTimeout() {
        return defaultTimeout;
    }

    /**
     * The 32-hex identity this client uses on the wire; to a router with auth on, which never lets a new connection
     * take an identity an open one holds, each later connection appends its number ({@code .2}, {@code .3}, ...).
     */
    public String identity() {
        return new String(identity, StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- calls

    @Override
    public CallSpec call(String method) {
        connection.checkOpen();
        return new CallSpec(this, method);
    }

    <T> CompletableFuture<T> startCall(CallSpec spec, Type resultType) {
        JavaType type = codec.type(resultType);
        Pending.Call call;
        try {
            call = submit(spec);
        }
        catch (VoidRailException ex) {
            return CompletableFuture.failedFuture(ex);
        }
        ClientLoop target = call.loop;
        // conversion and user callbacks run off the I/O thread
        CompletableFuture<T> result = call.result.thenApplyAsync(json -> this.<T>convert(json, type, spec.method()),
                callbackExecutor);
        // cancelling the caller's future cancels the call at the router and at the dealer
        result.whenComplete((value, error) -> {
            if (result.isCancelled()) {
                target.cancel(call.requestId);
            }
        });
        return result;
    }

    /**
     * A blocking call: the caller's thread waits for the answer and converts it itself, one thread hand-off fewer
     * than waiting for {@link #startCall}'s future (measured: about 10 % of a call's latency at one call in flight).
     */
    <T> T invokeNow(CallSpec spec, Type resultType) {
        JavaType type = codec.type(resultType);
        connection.loop().refuseWaitingHere("call", spec.method());
        Pending.Call call = submit(spec);
        try {
            JsonNode json = await(call.result, spec.method(), timeoutOf(spec));
            return convert(json, type, spec.method());
        }
        catch (VoidRailException ex) {
            if (ex.code() == ErrorCode.CANCELLED || !call.result.isDone()) {
                call.loop.cancel(call.requestId); // interrupted or given up: the dealer stops too
            }
            throw ex;
        }
    }

    /** Encodes a call and hands it to the I/O thread; a call whose arguments cannot be encoded fails here. */
    private Pending.Call submit(CallSpec spec) {
        connection.checkOpen();
        Duration timeout = timeoutOf(spec);
        // without a listener (the default) no event is made, nor the copy of the headers a listener may add to
        CallEvent event = listener == CallListener.NONE ? null
                : new CallEvent(CallEvent.Side.CLIENT, spec.method(), new LinkedHashMap<>(spec.headers()));
        CallObservation observation = event == null ? CallObservation.NONE : listener.callStarted(event);
        String requestId = Messages.newRequestId();
        Pending.Call call;
        try (CallObservation.Scope scope = observation.openScope()) {
            ObjectNode request = request(spec, requestId, event == null ? spec.headers() : event.headers(),
                    System.currentTimeMillis() + timeout.toMillis());
            call = new Pending.Call(spec.method(), requestId, new byte[][] {
                    spec.method().getBytes(StandardCharsets.UTF_8), codec.write(request) }, connection.loop());
        }
        catch (RuntimeException ex) {
            observation.finished(ErrorCode.BAD_REQUEST, ex);
            throw new VoidRailException("Cannot encode the arguments of " + spec.method() + ": " + ex.getMessage(),
                    ErrorCode.BAD_REQUEST, ex);
        }
        call.timeoutNanos = timeout.toNanos();
        call.deadlineNanos = System.nanoTime() + call.timeoutNanos;
        call.waitForReady = waitForReadyOf(spec);
        call.observation = observation;
        call.loop.submit(call);
        return call;
    }

    <T> Stream<T> startStream(CallSpec spec, Type itemType) {
        connection.loop().refuseWaitingHere("stream", spec.method());
        StreamStart start = prepareStream(spec);
        start.run();
        return start.channel.asStream(json -> convert(json, codec.type(itemType), spec.method()));
    }

    <T> Flow.Publisher<T> publisher(CallSpec spec, Type itemType) {
        StreamStart start = prepareStream(spec);
        return start.channel.asPublisher(json -> convert(json, codec.type(itemType), spec.method()), callbackExecutor,
                start);
    }

    private StreamStart prepareStream(CallSpec spec) {
        connection.checkOpen();
        String requestId = Messages.newRequestId();
        CallEvent event = new CallEvent(CallEvent.Side.CLIENT, spec.method(), new LinkedHashMap<>(spec.headers()));
        CallObservation observation = listener.callStarted(event);
        StreamChannel channel = new StreamChannel(() -> {
            ClientLoop current = connection.current();
            if (current != null) {
                current.cancel(requestId);
            }
        }, taken -> {
            ClientLoop current = connection.current();
            if (current != null) {
                current.grant(requestId, taken);
            }
        }, TAKEN_BATCH, observation);
        return new StreamStart(this, spec, requestId, event, observation, channel);
    }

    /** Starts a stream call once: right away for {@code stream()}, on subscribe for {@code publisher()}. */
    private record StreamStart(ClientDealer client, CallSpec spec, String requestId, CallEvent event,
            CallObservation observation, StreamChannel channel) implements Runnable {

        @Override
        public void run() {
            Duration idle = client.timeoutOf(spec);
            ObjectNode request;
            try (CallObservation.Scope scope = observation.openScope()) {
                // streams carry no deadline_ms: the timeout bounds the wait for each item, not the whole stream
                request = client.request(spec, requestId, event.headers(), 0);
            }
            catch (RuntimeException ex) {
                channel.fail(new VoidRailException("Cannot encode the arguments of " + spec.method() + ": "
                        + ex.getMessage(), ErrorCode.BAD_REQUEST, ex));
                return;
            }
            Pending.Streaming pending = new Pending.Streaming(spec.method(), requestId, request, channel, idle.toNanos(),
                    client.streamWindow);
            pending.deadlineNanos = System.nanoTime() + idle.toNanos();
            pending.waitForReady = client.waitForReadyOf(spec);
            if (client.connection.isClosed()) {
                // a publisher subscribed after close: the error goes to the subscriber
                channel.fail(new VoidRailException("The VoidRail client " + client.identity() + " is closed",
                        ErrorCode.CANCELLED));
                return;
            }
            client.connection.loop().submit(pending);
        }
    }

    private ObjectNode request(CallSpec spec, String requestId, Map<String, String> headers, long deadlineEpochMs) {
        ArrayNode args = codec.array();
        for (Object arg : spec.args()) {
            args.add(codec.toTree(arg));
        }
        ObjectNode kwargs = codec.object();
        spec.kwargs().forEach((name, value) -> kwargs.set(name, codec.toTree(value)));
        ObjectNode request = messages.request(requestId, spec.method(), args, kwargs, deadlineEpochMs, headers);
        if (observesProgress && connection.loop().routerTellsProgress()) {
            request.put(PROGRESS, true); // call_progress for the listener's queued/dispatched, from a router that has it
        }
        return request;
    }

    Duration timeoutOf(CallSpec spec) {
        Duration timeout = spec.timeout();
        return timeout != null ? timeout : defaultTimeout;
    }

    private boolean waitForReadyOf(CallSpec spec) {
        Boolean own = spec.waitsForReady();
        return own != null ? own : waitForReady;
    }

    @SuppressWarnings("unchecked")
    private <T> T convert(JsonNode json, JavaType type, String method) {
        try {
            return (T) codec.fromTree(json, type);
        }
        catch (RuntimeException ex) {
            throw new VoidRailException("Cannot read the result of " + method + " as " + type.toCanonical() + ": "
                    + ex.getMessage(), ErrorCode.BAD_REQUEST, ex);
        }
    }

    /**
     * Waits for a call whose deadline the I/O thread enforces; the margin only guards against a loop that
     * died without failing its calls.
     */
    static <T> T await(CompletableFuture<T> future, String what, Duration timeout) {
        try {
            return future.get(timeout.toMillis() + AWAIT_MARGIN_MS, TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            future.cancel(true);
            throw new VoidRailException("Interrupted while waiting for " + what, ErrorCode.CANCELLED, ex);
        }
        catch (ExecutionException ex) {
            Throwable cause = ex.getCause();
            if (cause instanceof VoidRailException remote) {
                // rethrown here so the stack trace shows the caller
                throw new VoidRailException(remote.getMessage(), remote.code(), remote);
            }
            throw new VoidRailException(what + " failed: " + cause, ErrorCode.UNKNOWN, cause);
        }
        catch (TimeoutException ex) {
            throw new VoidRailException("No answer from " + what, ErrorCode.DEADLINE_EXCEEDED, ex);
        }
    }

    // ---------------------------------------------------------------- router questions

    @Override
    public Map<String, MethodInfo> discoverServices() {
        return queries.methods();
    }

    @Override
    public Map<String, RouterStatus.Dealer> discoverClusters() {
        return queries.clusters();
    }

    @Override
    public RouterStatus getRouterInfo() {
        return queries.status();
    }

    @Override
    public Map<String, RouterStatus.Queue> getQueueStatus() {
        return queries.queues();
    }

    @Override
    public boolean ping(Duration timeout) {
        return queries.ping(timeout);
    }

    // ---------------------------------------------------------------- typed clients

    @Override
    public <T> T proxy(Class<T> serviceInterface) {
        return TypedClient.create(this, serviceInterface, callAdapters);
    }

    // ---------------------------------------------------------------- connection

    @Override
    public void connect() {
        connection.loop();
    }

    /** Only {@link ConnectionState#READY} when the client has heard from its router within 1.25 heartbeat intervals. */
    @Override
    public ConnectionState connectionState() {
        return connection.state();
    }

    /** Whether the client has heard from its router recently ({@link ConnectionState#READY}). */
    @Override
    public boolean isConnected() {
        return connectionState() == ConnectionState.READY;
    }

    /** Whether the router announced that it understands {@code cancel} (a Java router). */
    public boolean routerSupportsCancel() {
        return connection.routerSupportsCancel();
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return connection.isClosed();
    }

    /** Final and idempotent: calls in flight fail with {@code CANCELLED}, later calls throw at once. */
    @Override
    public void close() {
        connection.close();
    }

    @Override
    public String toString() {
        return "ClientDealer[" + identity() + " -> " + String.join(",", routerAddresses) + "]";
    }

    /**
     * The common pool, unless it has a single thread (machines with two CPUs or fewer): then
     * {@code CompletableFuture} would start a new thread for every async step, that is for every call.
     */
    private static Executor defaultCallbackExecutor() {
        return ForkJoinPool.getCommonPoolParallelism() > 1 ? ForkJoinPool.commonPool() : SmallMachinePool.INSTANCE;
    }

    /** A shared two-thread pool (daemon workers), made only when needed. */
    private static final class SmallMachinePool {
        static final Executor INSTANCE = new ForkJoinPool(2, ForkJoinPool.defaultForkJoinWorkerThreadFactory, null, true);
    }

    /** Builds a client. */
    public static final class Builder {

        private List<String> routerAddresses = List.of("tcp://127.0.0.1:5555");
        private Duration timeout = Duration.ofSeconds(30);
        private Duration connectTimeout = Duration.ofSeconds(5);
        private Duration heartbeatInterval = Duration.ofSeconds(1);
        private boolean waitForReady;
        private int streamWindow = 1024;
        private @Nullable String apiKey;
        private AuthEnvironment environment = AuthEnvironment.none();
        private JsonCodec codec = JsonCodec.defaults();
        private CallListener listener = CallListener.NONE;
        private Executor callbackExecutor = defaultCallbackExecutor();
        private final List<CallAdapter> callAdapters = new ArrayList<>();
        private @Nullable CurveClientConfig curve;

        private Builder() {
        }

        /** Extra return types for typed clients (Reactor from the Spring module). */
        public Builder callAdapter(CallAdapter adapter) {
            this.callAdapters.add(Objects.requireNonNull(adapter));
            return this;
        }

        public Builder routerAddress(String address) {
            this.routerAddresses = List.of(Addresses.validate(address));
            return this;
        }

        /**
         * Several routers: the client uses the first that answers and fails over to the next ready one when it falls
         * silent (1.25 heartbeat intervals).
         */
        public Builder routerAddresses(List<String> addresses) {
            this.routerAddresses = Addresses.list(addresses);
            return this;
        }

        public Builder routerAddresses(String... addresses) {
            return routerAddresses(List.of(addresses));
        }

        /**
         * How long calls wait for a router that does not answer before they fail with {@code UNAVAILABLE} (default
         * 5 s), at connect and after a router falls silent; calls that wait for ready wait up to their deadline. With
         * CURVE it is at least 5 s.
         */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = Checks.positive(connectTimeout, "connectTimeout");
            return this;
        }

        /**
         * How often the client checks that its routers answer (default 1 s): it pings a router silent for half of it,
         * and counts a router silent for 1.25 of it as no longer ready (it then fails over to another).
         */
        public Builder heartbeatInterval(Duration interval) {
            this.heartbeatInterval = Checks.positive(interval, "heartbeatInterval");
            return this;
        }

        /**
         * Whether calls wait for a router to answer, up to their deadline, instead of failing fast with
         * {@code UNAVAILABLE} (default false, as gRPC's wait-for-ready); each call may say otherwise.
         */
        public Builder waitForReady(boolean waitForReady) {
            this.waitForReady = waitForReady;
            return this;
        }

        /**
         * The most stream items the client lets a dealer send ahead of the consumer (default 1024; at least 16). The
         * window starts at 32 items and follows the item size: as many items as fit about 8 MiB, within this bound.
         * The client grants more as the consumer takes items, so the consumer's buffer never holds more. Needs a
         * Java router and dealer (stream credits); with Python peers streams flow as before.
         */
        public Builder streamWindow(int items) {
            this.streamWindow = Checks.atLeastOne(items, "streamWindow");
            return this;
        }

        /** Deadline of calls that set none (default 30 s, as the original). */
        public Builder timeout(Duration timeout) {
            this.timeout = Checks.positive(timeout, "timeout");
            return this;
        }

        /** The key sent in {@code auth}; unset means {@code VOIDRAIL_API_KEY} when read (see {@link #fromEnvironment()}). */
        public Builder apiKey(@Nullable String apiKey) {
            this.apiKey = apiKey;
            return this;
        }

        /** Reads the original's {@code VOIDRAIL_API_KEY} from the process environment (by default none is read). */
        public Builder fromEnvironment() {
            return environment(AuthEnvironment.system());
        }

        /** Where the {@code VOIDRAIL_*} variables come from (default: none; tests pass a map). */
        public Builder environment(AuthEnvironment environment) {
            this.environment = Objects.requireNonNull(environment);
            return this;
        }

        public Builder codec(JsonCodec codec) {
            this.codec = Objects.requireNonNull(codec);
            return this;
        }

        public Builder listener(CallListener listener) {
            this.listener = Objects.requireNonNull(listener);
            return this;
        }

        /**
         * Where results are converted and futures' callbacks run (default: the common pool, or a pool of two threads
         * on a machine of two CPUs or fewer). {@code Runnable::run} runs them on the client's I/O thread: one thread
         * hand-off fewer per call (in one JVM at 64 calls in flight, about 1.2 to 1.35 times the calls per second,
         * {@code BENCHMARKS.md}), for callbacks that never block; every other call of this client waits while one
         * runs, and a blocking call of this client from there is refused ({@link IllegalStateException}).
         */
        public Builder callbackExecutor(Executor executor) {
            this.callbackExecutor = Objects.requireNonNull(executor);
            return this;
        }

        /** Connects with CURVE: the router's public key and this client's key pair (on the router's allow-list). */
        public Builder curve(@Nullable CurveClientConfig curve) {
            this.curve = curve;
            return this;
        }

        public ClientDealer build() {
            return new ClientDealer(this);
        }
    }
}
