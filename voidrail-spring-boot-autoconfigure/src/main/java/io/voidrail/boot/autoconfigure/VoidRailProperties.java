package io.voidrail.boot.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

import io.voidrail.internal.Addresses;
import io.voidrail.RouterMode;

/**
 * Configuration of VoidRail under {@code voidrail.*}.
 *
 * <p>The original's environment variables bind by Spring's relaxed rules: {@code VOIDRAIL_API_KEY},
 * {@code VOIDRAIL_REQUIRE_AUTH}, {@code VOIDRAIL_DEALER_API_KEYS} and {@code VOIDRAIL_CLIENT_API_KEYS}. No two
 * properties share an environment variable: where the in-process router binds is
 * {@code voidrail.router.bind-address} ({@code VOIDRAIL_ROUTER_BINDADDRESS}), where dealers and the client connect
 * is {@code voidrail.router-address} ({@code VOIDRAIL_ROUTERADDRESS} or {@code VOIDRAIL_ROUTER_ADDRESS}).
 * Setters reject values the bus cannot use, so a bad value fails start-up naming the property.
 */
@ConfigurationProperties("voidrail")
public class VoidRailProperties {

    static final String DEFAULT_ADDRESS = "tcp://127.0.0.1:5555";

    /**
     * Address of the router that dealers and the client connect to, as Spring AMQP's 'spring.rabbitmq.addresses'
     * is the broker's. Defaults to tcp://127.0.0.1:5555, or to the address the in-process router bound when
     * 'voidrail.router.enabled' is true. Several routers, comma-separated: dealers register with every one, the
     * client uses the first that answers and fails over to the next.
     */
    private @Nullable String routerAddress;

    /** API key that dealers and the client send to the router (VOIDRAIL_API_KEY). */
    private @Nullable String apiKey;

    /** Whether the in-process router requires API keys from dealers and clients (VOIDRAIL_REQUIRE_AUTH). */
    private boolean requireAuth;

    /** Keys the in-process router accepts from dealers, comma-separated (VOIDRAIL_DEALER_API_KEYS). */
    private List<String> dealerApiKeys = new ArrayList<>();

    /** Keys the in-process router accepts from clients, comma-separated (VOIDRAIL_CLIENT_API_KEYS). */
    private List<String> clientApiKeys = new ArrayList<>();

    private final Json json = new Json();

    private final Router router = new Router();

    private final Dealer dealer = new Dealer();

    private final Client client = new Client();

    private final Dashboard dashboard = new Dashboard();

    private final Curve curve = new Curve();

    private final Web web = new Web();

    public @Nullable String getRouterAddress() {
        return this.routerAddress;
    }

    public void setRouterAddress(@Nullable String routerAddress) {
        this.routerAddress = (routerAddress != null) ? connectable(String.join(",", Addresses.list(routerAddress))) : null;
    }

    public @Nullable String getApiKey() {
        return this.apiKey;
    }

    public void setApiKey(@Nullable String apiKey) {
        this.apiKey = apiKey;
    }

    public boolean isRequireAuth() {
        return this.requireAuth;
    }

    public void setRequireAuth(boolean requireAuth) {
        this.requireAuth = requireAuth;
    }

    public List<String> getDealerApiKeys() {
        return this.dealerApiKeys;
    }

    public void setDealerApiKeys(List<String> dealerApiKeys) {
        this.dealerApiKeys = dealerApiKeys;
    }

    public List<String> getClientApiKeys() {
        return this.clientApiKeys;
    }

    public void setClientApiKeys(List<String> clientApiKeys) {
        this.clientApiKeys = clientApiKeys;
    }

    public Json getJson() {
        return this.json;
    }

    public Router getRouter() {
        return this.router;
    }

    public Dealer getDealer() {
        return this.dealer;
    }

    public Client getClient() {
        return this.client;
    }

    public Dashboard getDashboard() {
        return this.dashboard;
    }

    public Curve getCurve() {
        return this.curve;
    }

    public Web getWeb() {
        return this.web;
    }

    /** How payloads are mapped to JSON. */
    public static class Json {

        /**
         * Whether payloads use the application's JsonMapper bean (its 'spring.jackson.*' settings and modules)
         * instead of VoidRail's Python-compatible defaults, which accept unknown properties and null for
         * primitives.
         */
        private boolean useApplicationMapper;

        public boolean isUseApplicationMapper() {
            return this.useApplicationMapper;
        }

        public void setUseApplicationMapper(boolean useApplicationMapper) {
            this.useApplicationMapper = useApplicationMapper;
        }

    }

    /** The in-process router. */
    public static class Router {

        /** Whether to run a router in this application. */
        private boolean enabled;

        /**
         * Address the in-process router binds: tcp://host:port (port 0 picks a free port, published as
         * 'local.voidrail.router.port'), ipc://path or inproc://name.
         */
        private String bindAddress = "tcp://127.0.0.1:5555";

        /**
         * How calls reach dealers: 'fifo' queues calls per method and gives a dealer its next call only when one of
         * its slots is free; 'load-balance' sends each call at once to the least-loaded dealer.
         */
        private RouterMode mode = RouterMode.FIFO;

        /**
         * Silence after which a dealer is inactive; a Java dealer (it heartbeats while busy) running calls is then lost
         * and its calls fail with DEALER_LOST or, if idempotent, go to another dealer.
         */
        private Duration heartbeatTimeout = Duration.ofSeconds(10);

        /**
         * Silence allowed while a dealer that does not heartbeat while busy (a Python dealer running a blocking
         * method) runs calls, after which it is lost. Defaults to ten heartbeat timeouts, at least 5 minutes.
         */
        private @Nullable Duration busyHeartbeatTimeout;

        /** How long a call waits while every dealer of its method is inactive or stopping, before NOT_FOUND. */
        private Duration maxQueueWait = Duration.ofSeconds(30);

        /**
         * After start, how long a call for a method no dealer has registered waits for dealers to arrive before
         * NOT_FOUND; later such calls get NOT_FOUND at once. 0 for none.
         */
        private Duration startupGrace = Duration.ofSeconds(5);

        /** Calls one method's queue holds; beyond it callers get QUEUE_FULL at once. */
        private int maxQueueLength = 10_000;

        /**
         * Whether this application's own dealers and client reach the router over inproc instead of TCP (remote
         * peers still use TCP). Not with CURVE.
         */
        private boolean colocated = true;

        /** Largest message the router accepts; a peer sending more is disconnected. 0 means no limit. */
        private DataSize maxMessageSize = DataSize.ofMegabytes(64);

        /**
         * How long stopping waits for the calls dealers are running to be answered before the router closes;
         * queued calls are answered with an error at once.
         */
        private Duration shutdownTimeout = Duration.ofSeconds(10);

        public boolean isEnabled() {
            return this.enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getBindAddress() {
            return this.bindAddress;
        }

        public void setBindAddress(String bindAddress) {
            this.bindAddress = Addresses.validate(bindAddress);
        }

        public RouterMode getMode() {
            return this.mode;
        }

        public void setMode(RouterMode mode) {
            this.mode = mode;
        }

        public Duration getHeartbeatTimeout() {
            return this.heartbeatTimeout;
        }

        public void setHeartbeatTimeout(Duration heartbeatTimeout) {
            this.heartbeatTimeout = positive(heartbeatTimeout);
        }

        public @Nullable Duration getBusyHeartbeatTimeout() {
            return this.busyHeartbeatTimeout;
        }

        public void setBusyHeartbeatTimeout(@Nullable Duration busyHeartbeatTimeout) {
            this.busyHeartbeatTimeout = (busyHeartbeatTimeout != null) ? positive(busyHeartbeatTimeout) : null;
        }

        public Duration getMaxQueueWait() {
            return this.maxQueueWait;
        }

        public void setMaxQueueWait(Duration maxQueueWait) {
            this.maxQueueWait = positive(maxQueueWait);
        }

        public Duration getStartupGrace() {
            return this.startupGrace;
        }

        public void setStartupGrace(Duration startupGrace) {
            this.startupGrace = notNegative(startupGrace);
        }

        public int getMaxQueueLength() {
            return this.maxQueueLength;
        }

        public boolean isColocated() {
            return this.colocated;
        }

        public void setColocated(boolean colocated) {
            this.colocated = colocated;
        }

        public void setMaxQueueLength(int maxQueueLength) {
            this.maxQueueLength = atLeastOne(maxQueueLength);
        }

        public DataSize getMaxMessageSize() {
            return this.maxMessageSize;
        }

        public void setMaxMessageSize(DataSize maxMessageSize) {
            if (maxMessageSize.isNegative()) {
                throw new IllegalArgumentException("must not be negative (0 means no limit), was " + maxMessageSize);
            }
            this.maxMessageSize = maxMessageSize;
        }

        public Duration getShutdownTimeout() {
            return this.shutdownTimeout;
        }

        public void setShutdownTimeout(Duration shutdownTimeout) {
            this.shutdownTimeout = notNegative(shutdownTimeout);
        }

    }

    /** The dealers that serve this application's {@code @VoidRailService} beans, one per service group. */
    public static class Dealer {

        /** Whether to serve @VoidRailService beans; when false they are not even created. */
        private boolean enabled = true;

        /** Calls one dealer runs at once in FIFO mode; raise it for I/O-bound services. */
        private int slots = 1;

        /** Calls one dealer accepts at once in load-balance mode. */
        private int maxConcurrent = 100;

        /** How often a dealer tells the router it is alive. */
        private Duration heartbeatInterval = Duration.ofSeconds(1);

        /** Router silence after which a dealer reconnects and registers again. Defaults to five heartbeat intervals. */
        private @Nullable Duration routerSilenceTimeout;

        /** How long stopping waits for the calls a dealer is running to finish. */
        private Duration shutdownGracePeriod = Duration.ofSeconds(10);

        /**
         * Whether a quick call that finds the dealer idle runs on its I/O thread instead of a worker: about 1.5 times
         * the calls per second of a one-slot dealer on a busy machine. A call that runs longer than 20 ms moves the
         * I/O loop to a new thread (heartbeats and cancels go on), and that method's next calls run on workers. A
         * tiny method (calls under 20 µs) runs there even while other calls are in flight. False: every call on a
         * worker thread.
         */
        private boolean inlineQuickCalls = true;

        public boolean isEnabled() {
            return this.enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public int getSlots() {
            return this.slots;
        }

        public void setSlots(int slots) {
            this.slots = atLeastOne(slots);
        }

        public boolean isInlineQuickCalls() {
            return this.inlineQuickCalls;
        }

        public void setInlineQuickCalls(boolean inlineQuickCalls) {
            this.inlineQuickCalls = inlineQuickCalls;
        }

        public int getMaxConcurrent() {
            return this.maxConcurrent;
        }

        public void setMaxConcurrent(int maxConcurrent) {
            this.maxConcurrent = atLeastOne(maxConcurrent);
        }

        public Duration getHeartbeatInterval() {
            return this.heartbeatInterval;
        }

        public void setHeartbeatInterval(Duration heartbeatInterval) {
            this.heartbeatInterval = positive(heartbeatInterval);
        }

        public @Nullable Duration getRouterSilenceTimeout() {
            return this.routerSilenceTimeout;
        }

        public void setRouterSilenceTimeout(@Nullable Duration routerSilenceTimeout) {
            this.routerSilenceTimeout = (routerSilenceTimeout != null) ? positive(routerSilenceTimeout) : null;
        }

        public Duration getShutdownGracePeriod() {
            return this.shutdownGracePeriod;
        }

        public void setShutdownGracePeriod(Duration shutdownGracePeriod) {
            this.shutdownGracePeriod = notNegative(shutdownGracePeriod);
        }

    }

    /** The {@code VoidRailClient} bean and typed clients. */
    public static class Client {

        /** Deadline of calls that set none; for streams, the longest wait for the next item. */
        private Duration timeout = Duration.ofSeconds(30);

        /**
         * How long calls wait for a router that does not answer before they fail with UNAVAILABLE, at connect and
         * after the router falls silent.
         */
        private Duration connectTimeout = Duration.ofSeconds(5);

        /**
         * Whether calls wait for a router to answer, up to their deadline, instead of failing with UNAVAILABLE after
         * the connect timeout.
         */
        private boolean waitForReady;

        /**
         * How often the client checks that its router answers: it pings a router silent for half of it, and counts
         * one silent for 1.25 of it as not connected (and fails over to the next router, if any).
         */
        private Duration heartbeatInterval = Duration.ofSeconds(1);

        /**
         * The most stream items a dealer may send ahead of the consumer (stream credits, with Java routers and
         * dealers); fewer when items are large (about 8 MiB ahead).
         */
        private int streamWindow = 1024;

        /**
         * Whether results are converted, and asynchronous calls' futures complete, on the client's I/O thread instead
         * of a small pool: one thread hand-off fewer per call (in one JVM with the router enabled, up to twice the calls
         * per second), for callbacks that never block. While one runs every other call of the client waits, and
         * a blocking call of the client made there fails at once with IllegalStateException.
         */
        private boolean directCallbacks;

        public Duration getTimeout() {
            return this.timeout;
        }

        public void setTimeout(Duration timeout) {
            this.timeout = positive(timeout);
        }

        public Duration getConnectTimeout() {
            return this.connectTimeout;
        }

        public void setConnectTimeout(Duration connectTimeout) {
            this.connectTimeout = positive(connectTimeout);
        }

        public boolean isWaitForReady() {
            return this.waitForReady;
        }

        public void setWaitForReady(boolean waitForReady) {
            this.waitForReady = waitForReady;
        }

        public Duration getHeartbeatInterval() {
            return this.heartbeatInterval;
        }

        public void setHeartbeatInterval(Duration heartbeatInterval) {
            this.heartbeatInterval = positive(heartbeatInterval);
        }

        public int getStreamWindow() {
            return this.streamWindow;
        }

        public void setStreamWindow(int streamWindow) {
            this.streamWindow = atLeastOne(streamWindow);
        }

        public boolean isDirectCallbacks() {
            return this.directCallbacks;
        }

        public void setDirectCallbacks(boolean directCallbacks) {
            this.directCallbacks = directCallbacks;
        }

    }

    /** Spring MVC and WebFlux: how a {@code VoidRailException} thrown by a controller becomes a response. */
    public static class Web {

        private final ProblemDetails problemDetails = new ProblemDetails();

        public ProblemDetails getProblemDetails() {
            return this.problemDetails;
        }

        /** RFC 9457 problem details for VoidRail errors. */
        public static class ProblemDetails {

            /** Whether a VoidRailException becomes an RFC 9457 problem detail with a status that fits its code. */
            private boolean enabled = true;

            /**
             * Whether the problem detail carries the exception's message; off, it says only what kind of failure it
             * was, since the message of a remote service may show its internals.
             */
            private boolean includeMessage;

            /** Retry-After of the answers to QUEUE_FULL, OVERLOADED and UNAVAILABLE (whole seconds). */
            private Duration retryAfter = Duration.ofSeconds(5);

            public boolean isEnabled() {
                return this.enabled;
            }

            public void setEnabled(boolean enabled) {
                this.enabled = enabled;
            }

            public boolean isIncludeMessage() {
                return this.includeMessage;
            }

            public void setIncludeMessage(boolean includeMessage) {
                this.includeMessage = includeMessage;
            }

            public Duration getRetryAfter() {
                return this.retryAfter;
            }

            public void setRetryAfter(Duration retryAfter) {
                this.retryAfter = notNegative(retryAfter);
            }

        }

    }

    /**
     * CURVE encryption (the Ironhouse pattern): the in-process router encrypts with this application's key pair and
     * admits only the peers on its allow-list; dealers and the client connect with this application's key pair to
     * the router with 'server-key'. Key files are ZeroMQ certificates ('voidrail keys', pyzmq's zmq.auth).
     */
    public static class Curve {

        /** Whether the router, the dealers and the client of this application use CURVE. */
        private boolean enabled;

        /** This application's secret certificate (NAME.key_secret), holding its key pair. */
        private @Nullable Path keyFile;

        /** This application's secret key in Z85 instead of 'key-file' (the public key follows from it). */
        private @Nullable String secretKey;

        /**
         * The router's public key in Z85, for the dealers and the client. Defaults to this application's own public
         * key when 'voidrail.router.enabled' is true.
         */
        private @Nullable String serverKey;

        /** The router's public certificate (router.key) instead of 'server-key'. */
        private @Nullable Path serverKeyFile;

        /** In-process router: directory of the public certificates (*.key) of the peers it admits. */
        private @Nullable Path allowList;

        /**
         * In-process router: directory of the public certificates (*.key) of peers admitted as dealers only: they
         * register and serve, and cannot call.
         */
        private @Nullable Path allowDealers;

        /**
         * In-process router: directory of the public certificates (*.key) of peers admitted as clients only: they
         * call, and cannot register.
         */
        private @Nullable Path allowClients;

        /** In-process router: public keys (Z85) it admits besides those of 'allow-list'. */
        private List<String> allowedKeys = new ArrayList<>();

        /** In-process router: how often the allow-list directories are checked for added, removed or changed certificates. */
        private Duration reloadPeriod = Duration.ofSeconds(5);

        public boolean isEnabled() {
            return this.enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public @Nullable Path getKeyFile() {
            return this.keyFile;
        }

        public void setKeyFile(@Nullable Path keyFile) {
            this.keyFile = keyFile;
        }

        public @Nullable String getSecretKey() {
            return this.secretKey;
        }

        public void setSecretKey(@Nullable String secretKey) {
            this.secretKey = secretKey;
        }

        public @Nullable String getServerKey() {
            return this.serverKey;
        }

        public void setServerKey(@Nullable String serverKey) {
            this.serverKey = serverKey;
        }

        public @Nullable Path getServerKeyFile() {
            return this.serverKeyFile;
        }

        public void setServerKeyFile(@Nullable Path serverKeyFile) {
            this.serverKeyFile = serverKeyFile;
        }

        public @Nullable Path getAllowList() {
            return this.allowList;
        }

        public void setAllowList(@Nullable Path allowList) {
            this.allowList = allowList;
        }

        public @Nullable Path getAllowDealers() {
            return this.allowDealers;
        }

        public void setAllowDealers(@Nullable Path allowDealers) {
            this.allowDealers = allowDealers;
        }

        public @Nullable Path getAllowClients() {
            return this.allowClients;
        }

        public void setAllowClients(@Nullable Path allowClients) {
            this.allowClients = allowClients;
        }

        public List<String> getAllowedKeys() {
            return this.allowedKeys;
        }

        public void setAllowedKeys(List<String> allowedKeys) {
            this.allowedKeys = allowedKeys;
        }

        public Duration getReloadPeriod() {
            return this.reloadPeriod;
        }

        public void setReloadPeriod(Duration reloadPeriod) {
            this.reloadPeriod = positive(reloadPeriod);
        }

        @Override
        public String toString() {
            // the secret key never reaches logs or the actuator
            return "Curve[enabled=" + this.enabled + ", keyFile=" + this.keyFile + ", secretKey="
                    + ((this.secretKey != null) ? "***" : null) + ", serverKey=" + this.serverKey + ", allowList="
                    + this.allowList + ", allowDealers=" + this.allowDealers + ", allowClients=" + this.allowClients + "]";
        }

    }

    /** The dashboard: a live, read-only web page of the bus, served by this web application. */
    public static class Dashboard {

        /**
         * Whether to serve the dashboard. It shows the in-process router, or the router the client connects to
         * (read-only). Protect it like any other page of the application (Spring Security).
         */
        private boolean enabled;

        /** Path of the page, under the context path; its data is at '<path>/snapshot.json'. */
        private String path = "/voidrail";

        /** How often the page refreshes and the router is sampled. */
        private Duration refreshInterval = Duration.ofSeconds(2);

        public boolean isEnabled() {
            return this.enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public String getPath() {
            return this.path;
        }

        public void setPath(String path) {
            String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
            if (!trimmed.startsWith("/") || trimmed.length() < 2 || trimmed.contains("*") || trimmed.contains("?")) {
                throw new IllegalArgumentException("must be a path such as /voidrail (not the root), was " + path);
            }
            this.path = trimmed;
        }

        public Duration getRefreshInterval() {
            return this.refreshInterval;
        }

        public void setRefreshInterval(Duration refreshInterval) {
            if (refreshInterval.toMillis() < 100) {
                throw new IllegalArgumentException("must be at least 100ms, was " + refreshInterval);
            }
            this.refreshInterval = refreshInterval;
        }

    }

    private static String connectable(String address) {
        for (String one : address.split(",")) {
            if (Addresses.port(Addresses.validate(one.strip())) == 0) {
                throw new IllegalArgumentException("port 0 only means 'any free port' where a router binds "
                        + "(voidrail.router.bind-address); dealers and clients need the router's real port, was "
                        + address);
            }
        }
        return address;
    }

    private static Duration positive(Duration value) {
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("must be positive, was " + value);
        }
        return value;
    }

    private static Duration notNegative(Duration value) {
        if (value.isNegative()) {
            throw new IllegalArgumentException("must not be negative, was " + value);
        }
        return value;
    }

    private static int atLeastOne(int value) {
        if (value < 1) {
            throw new IllegalArgumentException("must be at least 1, was " + value);
        }
        return value;
    }

}
