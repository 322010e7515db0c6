package io.voidrail.dealer;

import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.voidrail.VoidRailException;
import io.voidrail.auth.AuthEnvironment;
import io.voidrail.auth.CurveClientConfig;
import io.voidrail.codec.JsonCodec;
import io.voidrail.event.CallListener;
import io.voidrail.internal.Addresses;
import io.voidrail.internal.Checks;
import io.voidrail.internal.GuardedCallListener;
import io.voidrail.internal.Survivable;
import io.voidrail.ErrorCode;
import io.voidrail.service.MethodHandler;
import io.voidrail.service.ReturnValueAdapter;
import io.voidrail.service.ServiceDefinition;

/**
 * A worker: registers the {@code @ServiceMethod} methods of its service objects with a router, takes
 * calls, runs them on a bounded worker pool and sends results, stream items or errors back. Heartbeats
 * flow from the I/O thread while methods run; it reconnects by itself when the router goes quiet.
 *
 * <pre>{@code
 * try (ServiceDealer dealer = ServiceDealer.builder().routerAddress("tcp://127.0.0.1:5555")
 *         .service(new EchoService()).build().start()) { ... }
 * }</pre>
 */
public final class ServiceDealer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ServiceDealer.class);

    private final DealerSettings settings;
    private final String group;
    private final String identity;
    private final Map<String, MethodHandler> methods;
    private final Object lifecycle = new Object();
    private final CompletableFuture<ServiceDealer> registered = new CompletableFuture<>();
    /** One loop (and I/O thread) per router, in the order of the addresses; empty until started. */
    private List<DealerLoop> loops = List.of();
    private @Nullable DealerWorkers workers;
    private volatile boolean closed;

    private ServiceDealer(DealerSettings settings, String group, Map<String, MethodHandler> methods) {
        this.settings = settings;
        this.group = group;
        this.methods = methods;
        this.identity = group + "-" + HexFormat.of().formatHex(randomBytes(4));
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Connects, registers and starts taking calls; returns at once (registration completes in the background). With
     * several routers it registers with each of them. Once: a dealer started or closed before throws
     * {@link IllegalStateException}.
     */
    public ServiceDealer start() {
        synchronized (lifecycle) {
            Checks.startable(!loops.isEmpty(), closed, "dealer " + identity);
            DealerWorkers shared = new DealerWorkers(identity, settings);
            List<DealerLoop> created = new ArrayList<>();
            List<Thread> started = new ArrayList<>();
            for (String address : settings.routerAddresses()) {
                DealerLoop loop = new DealerLoop(settings, address, identity, group, methods, shared, this::stateChanged);
                Thread thread = new Thread(loop, "voidrail-dealer-" + identity
                        + (settings.routerAddresses().size() > 1 ? "-" + (created.size() + 1) : ""));
                thread.setDaemon(true);
                created.add(loop);
                started.add(thread);
            }
            workers = shared;
            loops = List.copyOf(created);
            started.forEach(Thread::start);
            log.info("VoidRail dealer {} serving {} method(s) via {}", identity, methods.size(),
                    String.join(", ", settings.routerAddresses()));
            return this;
        }
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        return closed;
    }

    /**
     * {@code <Group>-<8 hex>}, kept across reconnects; to a router with auth on, which never lets a new connection take
     * an identity an open one holds, each later connection appends its number ({@code .2}, {@code .3}, ...).
     */
    public String identity() {
        return identity;
    }

    public String group() {
        return group;
    }

    /** Public method names served, e.g. {@code EchoService.echo}. */
    public List<String> methodNames() {
        return List.copyOf(methods.keySet());
    }

    /**
     * Where the dealer stands: with several routers, {@link RegistrationState#REGISTERED} when at least one has acknowledged
     * it (it takes calls), else the state with its first router.
     */
    public RegistrationState state() {
        List<DealerLoop> current = loops;
        if (current.isEmpty()) {
            return RegistrationState.NEW;
        }
        for (DealerLoop loop : current) {
            if (loop.state() == RegistrationState.REGISTERED) {
                return RegistrationState.REGISTERED;
            }
        }
        return current.get(0).state();
    }

    /**
     * The outcome of the first registration: completes with this dealer when a router acknowledges it, or
     * exceptionally with a {@link VoidRailException} when the router refuses its API key ({@code UNAUTHENTICATED})
     * or the dealer stops first. The dealer keeps registering again by itself after that, whatever the outcome.
     */
    public CompletableFuture<ServiceDealer> registered() {
        return registered.copy();
    }

    private void stateChanged(RegistrationState previous, RegistrationState current) {
        // the listener first: whoever waits on registered() then also sees what the listener did
        try {
            settings.stateListener().stateChanged(this, previous, current);
        }
        catch (RuntimeException | Error ex) {
            Survivable.orRethrow(ex);
            log.warn("VoidRail dealer {}: state listener failed", identity, ex);
        }
        switch (current) {
            case REGISTERED -> registered.complete(this);
            case REFUSED -> registered.completeExceptionally(new VoidRailException("The router at "
                    + settings.routerAddresses() + " refused the key (API key or CURVE key) of dealer " + identity, ErrorCode.UNAUTHENTICATED));
            case STOPPED -> registered.completeExceptionally(
                    new VoidRailException("VoidRail dealer " + identity + " stopped before it registered"));
            default -> { }
        }
    }

    /** The state with each router, by address, in the order of the addresses. */
    public Map<String, RegistrationState> routerStates() {
        Map<String, RegistrationState> states = new LinkedHashMap<>();
        settings.routerAddresses().forEach(address -> states.put(address, RegistrationState.NEW));
        loops.forEach(loop -> states.put(loop.routerAddress(), loop.state()));
        return Collections.unmodifiableMap(states);
    }

    /** Whether a router has acknowledged the registration (with several routers: at least one). */
    public boolean isRegistered() {
        return state() == RegistrationState.REGISTERED;
    }

    /** Calls currently executing (for all routers). */
    public int inFlight() {
        int total = 0;
        for (DealerLoop loop : loops) {
            total += loop.inFlight();
        }
        return total;
    }

    /** The first router the dealer registers with. */
    public String routerAddress() {
        return settings.routerAddresses().get(0);
    }

    /** Every router the dealer registers with. */
    public List<String> routerAddresses() {
        return settings.routerAddresses();
    }

    /** Whether quick calls may run on the dealer's I/O thread ({@link Builder#inlineQuickCalls}). */
    public boolean inlineQuickCalls() {
        return settings.inlineQuickCalls();
    }

    public int slots() {
        return settings.slots();
    }

    public int maxConcurrent() {
        return settings.maxConcurrent();
    }

    public Duration heartbeatInterval() {
        return settings.heartbeatInterval();
    }

    public Duration routerSilenceTimeout() {
        return settings.routerSilenceTimeout();
    }

    public Duration shutdownGracePeriod() {
        return settings.shutdownGracePeriod();
    }

    /**
     * Leaves gracefully: says {@code shutdown}, lets calls in flight finish within the grace period,
     * then closes. Final (a closed dealer cannot start again) and idempotent.
     */
    @Override
    public void close() {
        List<DealerLoop> current;
        DealerWorkers pool;
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            current = loops;
            pool = workers;
        }
        if (current.isEmpty() || pool == null) {
            registered.completeExceptionally(
                    new IllegalStateException("VoidRail dealer " + identity + " was closed before it started"));
            return;
        }
        current.forEach(DealerLoop::requestStop);
        long deadline = System.nanoTime() + settings.shutdownGracePeriod().toNanos() + TimeUnit.SECONDS.toNanos(5);
        try {
            for (DealerLoop loop : current) {
                // not the thread it started on: a long call may have moved the loop to another (LoopBaton)
                loop.awaitStopped(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        finally {
            pool.shutdown();
        }
    }

    @Override
    public String toString() {
        return "ServiceDealer[" + identity + " -> " + String.join(",", settings.routerAddresses()) + "]";
    }

    static byte[] randomBytes(int count) {
        byte[] bytes = new byte[count];
        ThreadLocalRandom.current().nextBytes(bytes);
        return bytes;
    }

    static Map<String, Object> hostInfo() {
        Map<String, Object> info = new LinkedHashMap<>();
        String hostname = "localhost";
        String ip = "127.0.0.1";
        try {
            InetAddress local = InetAddress.getLocalHost();
            hostname = local.getHostName();
            ip = local.getHostAddress();
        }
        catch (Exception ex) {
            // an unresolvable host name only makes the report less precise
        }
        info.put("hostname", hostname);
        info.put("ip", ip);
        info.put("pid", ProcessHandle.current().pid());
        return info;
    }

    /** Builds a dealer; every setting has the original's default. */
    public static final class Builder {

        private List<String> routerAddresses = List.of("tcp://127.0.0.1:5555");
        private final List<ServiceDefinitionSource> services = new ArrayList<>();
        private int slots = 1;
        private int maxConcurrent = 100;
        private Duration heartbeatInterval = Duration.ofSeconds(1);
        private @Nullable Duration routerSilenceTimeout;
        private Duration shutdownGracePeriod = Duration.ofSeconds(10);
        private @Nullable String apiKey;
        private AuthEnvironment environment = AuthEnvironment.none();
        private JsonCodec codec = JsonCodec.defaults();
        private CallListener listener = CallListener.NONE;
        private final List<ReturnValueAdapter> adapters = new ArrayList<>();
        private @Nullable CurveClientConfig curve;
        private DealerStateListener stateListener = DealerStateListener.NONE;
        private boolean inlineQuickCalls = true;

        private Builder() {
        }

        public Builder routerAddress(String address) {
            this.routerAddresses = List.of(Addresses.validate(address));
            return this;
        }

        /**
         * Several routers: the dealer registers with each (one connection per router). Its slots are shared: at most
         * {@code slots} calls run at once across all of them (see {@link #slots(int)}).
         */
        public Builder routerAddresses(List<String> addresses) {
            this.routerAddresses = Addresses.list(addresses);
            return this;
        }

        public Builder routerAddresses(String... addresses) {
            return routerAddresses(List.of(addresses));
        }

        /** Serves the {@code @ServiceMethod} methods of this object (all objects of one dealer share one group). */
        public Builder service(Object service) {
            return service(service, service.getClass());
        }

        /** Serves {@code target}, reading annotations from {@code userClass} (the class behind a proxy). */
        public Builder service(Object target, Class<?> userClass) {
            services.add(new ServiceDefinitionSource(target, userClass));
            return this;
        }

        /**
         * Calls this dealer runs at once in FIFO mode (default 1, as the original: a worker takes its next
         * call only when it is free). Raise it for I/O-bound services. With several routers it also bounds the calls
         * run at once across all of them.
         */
        public Builder slots(int slots) {
            this.slots = Checks.atLeastOne(slots, "slots");
            return this;
        }

        /** Calls this dealer accepts at once in LOAD_BALANCE mode (default 100). */
        public Builder maxConcurrent(int maxConcurrent) {
            this.maxConcurrent = Checks.atLeastOne(maxConcurrent, "maxConcurrent");
            return this;
        }

        /** How often the dealer says it is alive (default 1 s). */
        public Builder heartbeatInterval(Duration interval) {
            this.heartbeatInterval = Checks.positive(interval, "heartbeatInterval");
            return this;
        }

        /** Router silence after which the dealer reconnects and registers again (default 5 heartbeats). */
        public Builder routerSilenceTimeout(Duration timeout) {
            this.routerSilenceTimeout = Checks.positive(timeout, "routerSilenceTimeout");
            return this;
        }

        /** How long {@link #close()} waits for calls in flight (default 10 s). */
        public Builder shutdownGracePeriod(Duration grace) {
            if (grace.isNegative()) {
                throw new IllegalArgumentException("shutdownGracePeriod must not be negative, was " + grace);
            }
            this.shutdownGracePeriod = grace;
            return this;
        }

        /** The key sent in {@code register}; unset means {@code VOIDRAIL_API_KEY} when read (see {@link #fromEnvironment()}). */
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

        /** Told about every change of the dealer's state (registered, lost, refused, stopped). */
        public Builder stateListener(DealerStateListener listener) {
            this.stateListener = Objects.requireNonNull(listener);
            return this;
        }

        /** Extra return types to recognise (Reactor {@code Mono}/{@code Flux} from the Spring module). */
        public Builder returnValueAdapter(ReturnValueAdapter adapter) {
            this.adapters.add(adapter);
            return this;
        }

        /**
         * Whether a quick call that finds the dealer idle runs on its I/O thread instead of a worker (default true):
         * a one-slot dealer then serves about 1.3 to 1.7 times the calls per second on a busy machine
         * ({@code BENCHMARKS.md}). A call that lasts longer than 20 ms does not hold the socket up: the I/O loop moves
         * to a new thread, which keeps heartbeating and taking cancels, and that method's next calls run on workers
         * again until they are quick. Calls that overlap (LOAD_BALANCE, several slots) use workers, unless their
         * method is tiny (its calls take less than 20 µs, about what the hand-off costs): with 64 calls in flight
         * that made a dealer about 1.4 times faster. Streaming methods and dealers of several routers use workers.
         * False: every call on a worker, for a method that must never run on a VoidRail thread.
         */
        public Builder inlineQuickCalls(boolean inlineQuickCalls) {
            this.inlineQuickCalls = inlineQuickCalls;
            return this;
        }

        /** Connects with CURVE: the router's public key and this dealer's key pair (on the router's allow-list). */
        public Builder curve(@Nullable CurveClientConfig curve) {
            this.curve = curve;
            return this;
        }

        public ServiceDealer build() {
            if (services.isEmpty()) {
                throw new IllegalStateException("A VoidRail dealer needs at least one service object");
            }
            String group = null;
            Map<String, MethodHandler> methods = new LinkedHashMap<>();
            for (ServiceDefinitionSource source : services) {
                ServiceDefinition definition = ServiceDefinition.of(source.target(), source.userClass(), adapters);
                if (group != null && !group.equals(definition.group())) {
                    throw new IllegalStateException("One VoidRail dealer serves one group, but " + source.userClass().getName()
                            + " is in group '" + definition.group() + "' and earlier services in '" + group
                            + "': build one dealer per group");
                }
                group = definition.group();
                for (MethodHandler handler : definition.methods()) {
                    MethodHandler clash = methods.putIfAbsent(handler.publicName(), handler);
                    if (clash != null) {
                        throw new IllegalStateException("Duplicate VoidRail method " + handler.publicName() + ": "
                                + clash.method() + " and " + handler.method());
                    }
                }
            }
            Duration silence = routerSilenceTimeout != null ? routerSilenceTimeout : heartbeatInterval.multipliedBy(5);
            String key = apiKey != null ? apiKey : environment.apiKey();
            DealerSettings settings = new DealerSettings(routerAddresses, slots, maxConcurrent, heartbeatInterval, silence,
                    shutdownGracePeriod, key, codec, GuardedCallListener.of(listener), List.copyOf(adapters), curve, stateListener,
                    inlineQuickCalls);
            return new ServiceDealer(settings, Objects.requireNonNull(group), methods);
        }


    }

    private record ServiceDefinitionSource(Object target, Class<?> userClass) {
    }
}
