package io.voidrail.router;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;

import io.voidrail.RouterMode;
import io.voidrail.VoidRailException;
import io.voidrail.auth.ApiKeyManager;
import io.voidrail.auth.AuthEnvironment;
import io.voidrail.auth.CurveServerConfig;
import io.voidrail.codec.JsonCodec;
import io.voidrail.internal.Addresses;
import io.voidrail.internal.Checks;
import io.voidrail.internal.Colocation;
import io.voidrail.internal.Mailbox;
import io.voidrail.internal.SocketHome;
import io.voidrail.internal.Sockets;
import io.voidrail.internal.ZapHandler;
import io.voidrail.status.RouterStatus;

/**
 * The router: binds one ROUTER socket, keeps a queue per method and hands calls to dealers
 * (PROTOCOL.md sections 5 to 8). One I/O thread does all the work; this class only starts, observes
 * and stops it.
 *
 * <pre>{@code
 * try (ServiceRouter router = ServiceRouter.builder().address("tcp://127.0.0.1:5555").build().start()) {
 *     ...
 * }
 * }</pre>
 */
public final class ServiceRouter implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ServiceRouter.class);

    /**
     * A Java dealer heartbeats every second, also while busy: ten missed beats and it is inactive, or lost with its
     * calls. A killed busy dealer's calls so end within about 10 s (sooner when its connection closes).
     */
    public static final Duration DEFAULT_HEARTBEAT_TIMEOUT = Duration.ofSeconds(10);
    /** Long enough for the dealers of a restarted router to register again (they do at their next heartbeat). */
    public static final Duration DEFAULT_STARTUP_GRACE = Duration.ofSeconds(5);
    /** Messages of one peer the router's socket holds before it stops reading that peer's connection. */
    private static final int MAX_UNREAD_PER_PEER = 1_000;
    /** What a busy Python dealer, silent while its blocking method runs, is allowed at least. */
    private static final Duration MIN_BUSY_HEARTBEAT_TIMEOUT = Duration.ofMinutes(5);

    private final Settings settings;
    private final Object lifecycle = new Object();
    private @Nullable Running running;
    private boolean started;
    private volatile boolean closed;

    private ServiceRouter(Settings settings) {
        this.settings = settings;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Binds and starts serving, once: throws {@link VoidRailException} when the address cannot be bound (then it may be
     * started again), {@link IllegalStateException} when it was started or closed before.
     */
    public ServiceRouter start() {
        synchronized (lifecycle) {
            Checks.startable(started, closed, "router on " + settings.address());
            // co-located dealers and clients reach it over inproc, which needs their sockets on its context
            boolean colocate = settings.colocated() && settings.curve() == null;
            SocketHome home = colocate ? SocketHome.shared() : SocketHome.own();
            ZMQ.Socket socket = home.create(SocketType.ROUTER);
            String bound;
            ZapHandler zap = null;
            try {
                socket.setRouterMandatory(true);
                // without auth, a dealer or client reconnecting with its identity takes over the old connection; with
                // auth, ZeroMQ refuses a second connection under a live identity (the identity is free again once the
                // old connection's pipe ends), so no newcomer inherits an authenticated peer's place
                socket.setRouterHandover(!settings.requireAuth());
                Sockets.tune(socket, settings.highWaterMark());
                // what one peer may have waiting unread in the router's heap: a peer sending faster than the router
                // reads is held back by TCP (its own queue fills) instead of filling the router's heap
                socket.setRcvHWM(Math.min(settings.highWaterMark(), MAX_UNREAD_PER_PEER));
                if (settings.curve() != null) {
                    // before bind: until a ZAP handler answers, JeroMQ admits any CURVE key
                    zap = ZapHandler.start(home.context(), socket, settings.curve(), log);
                    Sockets.curveServer(socket, settings.curve());
                }
                if (settings.maxMessageSize() > 0) {
                    // calls up to twice the limit get a clear BAD_REQUEST; beyond, ZeroMQ drops the peer
                    socket.setMaxMsgSize(settings.maxMessageSize() * 2);
                }
                socket.bind(Addresses.forBind(settings.address()));
                bound = socket.getLastEndpoint();
                if (colocate) {
                    Colocation.register(socket, bound);
                }
            }
            catch (ZMQException | IllegalArgumentException ex) {
                home.destroy(socket);
                if (zap != null) {
                    zap.close();
                }
                home.close();
                String reason = ex instanceof ZMQException zmq && zmq.getErrorCode() == ZMQ.Error.EADDRINUSE.getCode()
                        ? "address already in use" : ex.getMessage();
                throw new VoidRailException("Cannot bind the VoidRail router to " + settings.address() + ": " + reason, ex);
            }
            Mailbox<Consumer<RouterLoop>> mailbox = new Mailbox<>();
            RouterLoop loop = new RouterLoop(settings, home, socket, bound, mailbox);
            Thread thread = new Thread(loop, "voidrail-router");
            thread.setDaemon(true);
            running = new Running(home, socket, zap, loop, mailbox, thread, bound);
            started = true;
            thread.start();
            log.info("VoidRail router listening on {} ({} mode, auth {}, {})", bound, settings.mode().wireName(),
                    settings.requireAuth() ? "required" : "off", settings.curve() == null ? "plaintext"
                            : "CURVE, public key " + settings.curve().keys().publicKey());
            return this;
        }
    }

    public boolean isRunning() {
        synchronized (lifecycle) {
            return running != null && running.thread.isAlive();
        }
    }

    /** The bound endpoint, e.g. {@code tcp://127.0.0.1:40123}; the configured address before start. */
    public String address() {
        Running current = running;
        return current != null ? current.address : settings.address();
    }

    /** The bound TCP port, or -1 when not bound over TCP. */
    public int port() {
        return Addresses.port(address());
    }

    public RouterMode mode() {
        return settings.mode();
    }

    public Settings settings() {
        return settings;
    }

    /**
     * A consistent snapshot taken on the I/O thread; waits at most two seconds. The same model a client reads over
     * the wire ({@link io.voidrail.client.VoidRailClient#getRouterInfo()}); dealers are listed by their public id,
     * which with auth on is not their routing identity.
     */
    public RouterStatus status() {
        Running current = running;
        if (current == null) {
            throw new IllegalStateException("The VoidRail router on " + address() + " is "
                    + (closed ? "closed" : "not started"));
        }
        CompletableFuture<RouterStatus> result = new CompletableFuture<>();
        current.mailbox.post(loop -> loop.status(result));
        try {
            return result.get(2, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new VoidRailException("Interrupted while reading the router status", ex);
        }
        catch (ExecutionException | TimeoutException ex) {
            throw new VoidRailException("The VoidRail router did not report its status", ex);
        }
    }

    /**
     * Stops gracefully: dealers are told {@code router_shutdown}, waiting and running calls are answered
     * with an error, then the socket closes. Final: a closed router cannot start again. Idempotent.
     */
    @Override
    public void close() {
        Running current;
        synchronized (lifecycle) {
            current = running;
            running = null;
            closed = true;
        }
        if (current == null) {
            return;
        }
        Colocation.unregister(current.address); // peers connecting from now on use TCP
        current.loop.requestStop();
        current.mailbox.post(loop -> { });
        try {
            current.thread.join(TimeUnit.SECONDS.toMillis(5));
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        if (current.zap != null) {
            // the router socket first: with the handler gone, JeroMQ would admit any CURVE key
            current.home.destroy(current.socket);
            current.zap.close();
        }
        current.home.close();
        if (current.home.isShared()) {
            Colocation.awaitReleased(current.address, Duration.ofSeconds(2));
        }
        current.mailbox.close();
        log.info("VoidRail router on {} stopped", current.address);
    }

    /**
     * Closes gracefully after the calls dealers are running now have ended, waiting for them at most {@code grace}
     * (queued calls do not count: {@link #close()} answers them). The I/O thread signals when the last one ends;
     * nothing polls. Then as {@link #close()}.
     *
     * @return {@code true} when no call was running any more at close, {@code false} when the grace ran out (the
     *         calls still running are answered {@code UNAVAILABLE}, and a warning says how many)
     */
    public boolean close(Duration grace) {
        Objects.requireNonNull(grace, "grace");
        Running current;
        synchronized (lifecycle) {
            current = running;
        }
        boolean drained = true;
        if (current != null && current.thread.isAlive()) {
            CompletableFuture<Void> done = new CompletableFuture<>();
            current.mailbox.post(loop -> loop.whenDrained(done));
            try {
                done.get(grace.toNanos(), TimeUnit.NANOSECONDS);
            }
            catch (TimeoutException ex) {
                drained = false;
                log.warn("Closing the VoidRail router on {} with {} call(s) still running after {}", current.address,
                        stillRunning(), grace);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                drained = false;
            }
            catch (ExecutionException ex) {
                throw new IllegalStateException("Unexpected failure while draining the router", ex);
            }
        }
        close();
        return drained;
    }

    private long stillRunning() {
        try {
            return status().requestsInProcess();
        }
        catch (RuntimeException ex) {
            return -1;
        }
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed;
    }

    /** Ten heartbeat timeouts, but never less than the five minutes Python dealers had before this was shortened. */
    public static Duration defaultBusyHeartbeatTimeout(Duration heartbeatTimeout) {
        Duration tenBeats = heartbeatTimeout.multipliedBy(10);
        return tenBeats.compareTo(MIN_BUSY_HEARTBEAT_TIMEOUT) > 0 ? tenBeats : MIN_BUSY_HEARTBEAT_TIMEOUT;
    }

    private record Running(SocketHome home, ZMQ.Socket socket, @Nullable ZapHandler zap, RouterLoop loop,
            Mailbox<Consumer<RouterLoop>> mailbox, Thread thread, String address) {
    }

    /**
     * The router's configuration, fixed at build time. The API keys are held by {@link ApiKeyManager}s, which check
     * keys and show their fingerprints but never give a key back.
     */
    public record Settings(String address, RouterMode mode, Duration heartbeatTimeout, Duration busyHeartbeatTimeout,
            Duration maxQueueWait, int maxQueueLength, boolean requireAuth, ApiKeyManager dealerKeys,
            ApiKeyManager clientKeys, long maxMessageSize, int highWaterMark, JsonCodec codec, Duration startupGrace,
            @Nullable CurveServerConfig curve, boolean colocated) {

        /** How long an inactive dealer stays listed in {@code clusters} before it is forgotten. */
        Duration forgetAfter() {
            Duration tenBeats = heartbeatTimeout.multipliedBy(10);
            return tenBeats.compareTo(Duration.ofMinutes(5)) > 0 ? tenBeats : Duration.ofMinutes(5);
        }

        @Override
        public String toString() {
            // keys never reach logs
            return "Settings[address=" + address + ", mode=" + mode + ", heartbeatTimeout=" + heartbeatTimeout
                    + ", startupGrace=" + startupGrace + ", requireAuth=" + requireAuth + ", dealerKeys="
                    + dealerKeys.size() + ", clientKeys=" + clientKeys.size() + ", curve=" + (curve != null)
                    + ", colocated=" + colocated + "]";
        }
    }

    /** Builds a router; every setting has the original's default. */
    public static final class Builder {

        private String address = "tcp://127.0.0.1:5555";
        private RouterMode mode = RouterMode.FIFO;
        private Duration heartbeatTimeout = DEFAULT_HEARTBEAT_TIMEOUT;
        private @Nullable Duration busyHeartbeatTimeout;
        private Duration maxQueueWait = Duration.ofSeconds(30);
        private Duration startupGrace = DEFAULT_STARTUP_GRACE;
        private int maxQueueLength = 10_000;
        private @Nullable Boolean requireAuth;
        private final List<String> dealerKeys = new ArrayList<>();
        private final List<String> clientKeys = new ArrayList<>();
        private long maxMessageSize = 64L * 1024 * 1024;
        private int highWaterMark = 100_000;
        private JsonCodec codec = JsonCodec.defaults();
        private AuthEnvironment environment = AuthEnvironment.none();
        private @Nullable CurveServerConfig curve;
        private boolean colocated = true;

        private Builder() {
        }

        /** Where to bind: {@code tcp://host:port} (port 0 or {@code *} picks a free one), {@code ipc://}, {@code inproc://}. */
        public Builder address(String address) {
            this.address = Addresses.validate(address);
            return this;
        }

        public Builder mode(RouterMode mode) {
            this.mode = Objects.requireNonNull(mode);
            return this;
        }

        /**
         * Silence after which a dealer is inactive, or lost if it has calls in flight and announced that it heartbeats
         * while busy, as Java dealers do (default 10 s).
         */
        public Builder heartbeatTimeout(Duration timeout) {
            this.heartbeatTimeout = Checks.positive(timeout, "heartbeatTimeout");
            return this;
        }

        /**
         * Silence allowed while a dealer that does not announce heartbeats while busy (a Python dealer whose
         * blocking method stops its heartbeats) has calls in flight; past it the dealer is lost and its calls fail
         * or are re-queued. Default: ten heartbeat timeouts, at least 5 minutes.
         */
        public Builder busyHeartbeatTimeout(Duration timeout) {
            this.busyHeartbeatTimeout = Checks.positive(timeout, "busyHeartbeatTimeout");
            return this;
        }

        /**
         * How long a call waits in the queue while every dealer of its method is inactive or shutting down, before
         * NOT_FOUND (default 30 s).
         */
        public Builder maxQueueWait(Duration wait) {
            this.maxQueueWait = Checks.positive(wait, "maxQueueWait");
            return this;
        }

        /**
         * After start, how long a call for a method that no dealer has registered waits for dealers to arrive before
         * NOT_FOUND (default 5 s; later such calls get NOT_FOUND at once). Zero: no grace.
         */
        public Builder startupGrace(Duration grace) {
            this.startupGrace = Checks.notNegative(grace, "startupGrace");
            return this;
        }

        /** Calls a method's queue holds; beyond it callers get QUEUE_FULL at once (default 10,000). */
        public Builder maxQueueLength(int length) {
            this.maxQueueLength = Checks.atLeastOne(length, "maxQueueLength");
            return this;
        }

        /** Require API keys; unset means {@code VOIDRAIL_REQUIRE_AUTH} when read (see {@link #fromEnvironment()}), else off. */
        public Builder requireAuth(boolean requireAuth) {
            this.requireAuth = requireAuth;
            return this;
        }

        /** Keys accepted from dealers; {@code VOIDRAIL_DEALER_API_KEYS} is appended when read. */
        public Builder dealerApiKeys(List<String> keys) {
            this.dealerKeys.addAll(keys);
            return this;
        }

        /** Keys accepted from clients; {@code VOIDRAIL_CLIENT_API_KEYS} is appended when read. */
        public Builder clientApiKeys(List<String> keys) {
            this.clientKeys.addAll(keys);
            return this;
        }

        /**
         * Largest call accepted (default 64 MiB, 0 = none): larger calls get BAD_REQUEST; a frame over twice
         * the limit makes ZeroMQ drop the sender's connection before the router reads it.
         */
        public Builder maxMessageSize(long bytes) {
            this.maxMessageSize = bytes;
            return this;
        }

        public Builder highWaterMark(int messages) {
            this.highWaterMark = messages;
            return this;
        }

        public Builder codec(JsonCodec codec) {
            this.codec = Objects.requireNonNull(codec);
            return this;
        }

        /**
         * Reads the original's {@code VOIDRAIL_REQUIRE_AUTH}, {@code VOIDRAIL_DEALER_API_KEYS} and
         * {@code VOIDRAIL_CLIENT_API_KEYS} from the process environment (by default none is read).
         */
        public Builder fromEnvironment() {
            return environment(AuthEnvironment.system());
        }

        /** Where the {@code VOIDRAIL_*} variables come from (default: none; tests pass a map). */
        public Builder environment(AuthEnvironment environment) {
            this.environment = Objects.requireNonNull(environment);
            return this;
        }

        /**
         * Encrypts with CURVE and admits only the peers on the allow-list (the "Ironhouse" pattern); plaintext peers
         * cannot connect. API keys, when required, are checked on top. Default: plaintext.
         */
        public Builder curve(@Nullable CurveServerConfig curve) {
            this.curve = curve;
            return this;
        }

        /**
         * Whether dealers and clients in this JVM that connect to this router's TCP address talk to it over
         * {@code inproc://} instead (default true): no I/O threads and no kernel between them, several times the
         * throughput. Remote peers still use TCP. Not with CURVE (in-process traffic has nothing to encrypt; such a
         * router keeps TCP for everyone).
         */
        public Builder colocated(boolean colocated) {
            this.colocated = colocated;
            return this;
        }

        public ServiceRouter build() {
            List<String> dealers = new ArrayList<>(dealerKeys);
            dealers.addAll(environment.dealerKeys());
            List<String> clients = new ArrayList<>(clientKeys);
            clients.addAll(environment.clientKeys());
            boolean auth = requireAuth != null ? requireAuth : environment.requireAuth();
            Duration busy = busyHeartbeatTimeout != null ? busyHeartbeatTimeout : defaultBusyHeartbeatTimeout(heartbeatTimeout);
            return new ServiceRouter(new Settings(address, mode, heartbeatTimeout, busy, maxQueueWait, maxQueueLength, auth,
                    new ApiKeyManager(dealers), new ApiKeyManager(clients), maxMessageSize, highWaterMark,
                    codec.limitedTo(2 * maxMessageSize), startupGrace, curve, colocated)); // ZeroMQ admits frames up to twice the limit
        }
    }
}
