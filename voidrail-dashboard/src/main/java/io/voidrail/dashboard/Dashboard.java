package io.voidrail.dashboard;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.voidrail.client.VoidRailClient;
import io.voidrail.codec.JsonCodec;
import io.voidrail.dashboard.internal.BusSnapshot;
import io.voidrail.dashboard.internal.BusSource;
import io.voidrail.dashboard.internal.History;
import io.voidrail.dashboard.internal.LocalSource;
import io.voidrail.dashboard.internal.RemoteSource;
import io.voidrail.dashboard.internal.StaticFiles;
import io.voidrail.router.ServiceRouter;
import tools.jackson.databind.node.ObjectNode;

/**
 * The dashboard: reads the router into one JSON document ({@code snapshot.json}: router, dealers, methods and their
 * queues, errors, and a few minutes of history for the charts) and serves the page that shows it. It only reads:
 * nothing on the page changes the bus.
 *
 * <pre>{@code
 * Dashboard dashboard = Dashboard.forRouter(router).build().start();     // the router runs in this process
 * Dashboard remote = Dashboard.forClient(client).build().start();        // any router, through a client
 * }</pre>
 *
 * Serve it with {@link DashboardServer} (the JDK's HTTP server), or from any server through {@link #respond}.
 * Thread-safe. {@link #start()} samples in the background so that the charts have a past when the page opens;
 * without it, each request for the snapshot samples when the last sample is older than the refresh interval.
 */
public final class Dashboard implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Dashboard.class);

    /** Busiest methods drawn in the charts; the table lists them all. */
    static final int CHARTED_METHODS = 8;

    private final BusSource source;
    private final Duration refreshInterval;
    private final Duration historyLength;
    private final Clock clock;
    private final History history;
    private final StaticFiles files = new StaticFiles();
    private final JsonCodec codec = JsonCodec.defaults();
    private final Object sampling = new Object();

    private BusSnapshot last;
    private long lastSampleMs = Long.MIN_VALUE;
    private byte @Nullable [] json;
    private @Nullable ScheduledExecutorService sampler;

    private Dashboard(Builder builder) {
        this.source = builder.source;
        this.refreshInterval = builder.refreshInterval;
        this.historyLength = builder.historyLength;
        this.clock = builder.clock;
        long points = Math.max(2, historyLength.toMillis() / Math.max(1, refreshInterval.toMillis()) + 1);
        this.history = new History(historyLength.toMillis(), (int) Math.min(points, 2_000));
        this.last = BusSnapshot.nothingYet(source.local(), source.address(), "Not read yet");
    }

    /** A dashboard of the router running in this process (its status, no socket). */
    public static Builder forRouter(ServiceRouter router) {
        return new Builder(new LocalSource(Objects.requireNonNull(router)));
    }

    /** A read-only dashboard of the router this client talks to ({@code router_info}, {@code clusters}, {@code queue_status}). */
    public static Builder forClient(VoidRailClient client) {
        return new Builder(new RemoteSource(Objects.requireNonNull(client), Duration.ofSeconds(2)));
    }

    public Duration refreshInterval() {
        return refreshInterval;
    }

    /** Samples every refresh interval on a daemon thread until {@link #close()}. */
    public Dashboard start() {
        synchronized (sampling) {
            if (sampler == null) {
                sampler = Executors.newSingleThreadScheduledExecutor(runnable -> {
                    Thread thread = new Thread(runnable, "voidrail-dashboard");
                    thread.setDaemon(true);
                    return thread;
                });
                long period = refreshInterval.toMillis();
                sampler.scheduleWithFixedDelay(this::refreshQuietly, 0, period, TimeUnit.MILLISECONDS);
            }
        }
        return this;
    }

    @Override
    public void close() {
        ScheduledExecutorService current;
        synchronized (sampling) {
            current = sampler;
            sampler = null;
        }
        if (current != null) {
            current.shutdownNow();
        }
    }

    /** The JSON document the page polls; sampled anew when the last sample is older than the refresh interval. */
    public byte[] snapshotJson() {
        synchronized (sampling) {
            // a little slack, so that a page polling at the refresh interval does not just miss the sampler's point
            if (json == null || clock.millis() - lastSampleMs >= refreshInterval.toMillis() * 9 / 10) {
                refresh();
            }
            return json;
        }
    }

    /**
     * Answers a GET for the dashboard mounted at some path.
     *
     * @param subPath     the request path after the mount point: {@code ""} (the mount point itself, redirected to
     *                    its slash form so the page's relative links work), {@code "/"}, {@code "/snapshot.json"}...
     * @param requestPath the full request path, for the redirect
     */
    public DashboardResponse respond(String subPath, String requestPath) {
        if (subPath.isEmpty()) {
            String last = requestPath.substring(requestPath.lastIndexOf('/') + 1);
            return DashboardResponse.redirect((last.isEmpty() ? "." : last) + "/");
        }
        String name = subPath.equals("/") ? "index.html" : subPath.substring(1);
        if (name.equals("snapshot.json")) {
            return DashboardResponse.ok("application/json", snapshotJson(), "no-store");
        }
        StaticFiles.File file = files.get(name);
        return file == null ? DashboardResponse.notFound() : DashboardResponse.ok(file.contentType(), file.body(), "no-cache");
    }

    /** {@link #respond} for any method: the dashboard answers GET and HEAD only. */
    public DashboardResponse respond(String method, String subPath, String requestPath) {
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return DashboardResponse.methodNotAllowed();
        }
        return respond(subPath, requestPath);
    }

    private void refreshQuietly() {
        try {
            synchronized (sampling) {
                refresh();
            }
        }
        catch (RuntimeException ex) {
            log.debug("VoidRail dashboard could not sample", ex);
        }
    }

    /** Reads the router (or notes why it could not), adds the sample to the history, writes the document. */
    private void refresh() {
        long now = clock.millis();
        try {
            last = source.read(now);
        }
        catch (RuntimeException ex) {
            String why = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
            last = last.unreachable(why);
            log.debug("VoidRail dashboard could not read the router: {}", why);
        }
        history.add(now, last);
        lastSampleMs = now;
        ObjectNode document = codec.object();
        document.put("generatedAt", now);
        document.put("refreshMs", refreshInterval.toMillis());
        document.put("historySeconds", historyLength.toSeconds());
        document.set("bus", codec.toTree(last));
        document.set("history", codec.toTree(history.view(CHARTED_METHODS)));
        json = codec.write(document);
    }

    /** How often to sample and how much history to keep. */
    public static final class Builder {

        private final BusSource source;
        private Duration refreshInterval = Duration.ofSeconds(2);
        private Duration historyLength = Duration.ofMinutes(5);
        private Clock clock = Clock.systemUTC();

        private Builder(BusSource source) {
            this.source = source;
        }

        /** How often the page refreshes and the router is sampled (default 2 s). */
        public Builder refreshInterval(Duration interval) {
            if (interval.toMillis() < 100) {
                throw new IllegalArgumentException("refreshInterval must be at least 100 ms, was " + interval);
            }
            this.refreshInterval = interval;
            return this;
        }

        /** How far back the charts go (default 5 minutes). */
        public Builder historyLength(Duration length) {
            if (length.compareTo(refreshInterval) < 0) {
                throw new IllegalArgumentException("historyLength must be at least the refresh interval, was " + length);
            }
            this.historyLength = length;
            return this;
        }

        Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        public Dashboard build() {
            return new Dashboard(this);
        }
    }
}
