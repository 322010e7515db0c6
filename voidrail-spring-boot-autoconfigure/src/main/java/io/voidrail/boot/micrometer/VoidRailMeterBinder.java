package io.voidrail.boot.micrometer;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

import io.voidrail.dealer.ServiceDealer;
import io.voidrail.status.DealerState;
import io.voidrail.status.RouterStatus;
import io.voidrail.router.ServiceRouter;

/**
 * Gauges of the in-process router (queue length per method, dealers by state, calls queued and running, requests
 * and responses) and of this application's dealers (calls running). Methods come and go with dealers: the
 * per-method rows follow the router's status, read at each scrape and every {@value #REFRESH_SECONDS} seconds.
 */
public final class VoidRailMeterBinder implements MeterBinder, AutoCloseable {

    static final long REFRESH_SECONDS = 5;

    private final @Nullable ServiceRouter router;

    private final Supplier<List<ServiceDealer>> dealers;

    private final List<StatusSampler> samplers = new CopyOnWriteArrayList<>();

    private @Nullable ScheduledExecutorService refresher;

    /**
     * @param router  the in-process router, or {@code null} when the router runs elsewhere
     * @param dealers this application's dealers
     */
    public VoidRailMeterBinder(@Nullable ServiceRouter router, Supplier<List<ServiceDealer>> dealers) {
        this.router = router;
        this.dealers = dealers;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("voidrail.dealer.calls.in.flight", this.dealers,
                (all) -> all.get().stream().mapToInt(ServiceDealer::inFlight).sum())
            .description("Calls this application's dealers are running")
            .strongReference(true)
            .register(registry);
        if (this.router != null) {
            bindRouter(this.router, registry);
        }
    }

    private void bindRouter(ServiceRouter router, MeterRegistry registry) {
        MultiGauge queues = MultiGauge.builder("voidrail.router.queue.length")
            .description("Calls waiting in the router's queue of a method")
            .register(registry);
        StatusSampler sampler = new StatusSampler(router, queues);
        for (DealerState state : DealerState.values()) {
            if (state == DealerState.UNKNOWN) {
                continue; // only read from other routers: never in an in-process router's table
            }
            Gauge.builder("voidrail.router.dealers", sampler, sampler.of((status) -> status.dealerCount(state)))
                .tag("state", state.wireName())
                .description("Dealers in the router's table, by state")
                .strongReference(true)
                .register(registry);
        }
        Gauge.builder("voidrail.router.calls.queued", sampler, sampler.of(RouterStatus::requestsInQueue))
            .description("Calls waiting in the router's queues")
            .strongReference(true)
            .register(registry);
        Gauge.builder("voidrail.router.calls.in.flight", sampler, sampler.of(RouterStatus::requestsInProcess))
            .description("Calls dealers are running")
            .strongReference(true)
            .register(registry);
        FunctionCounter.builder("voidrail.router.requests", sampler, sampler.of(RouterStatus::totalRequests))
            .description("Calls the router has received")
            .register(registry);
        FunctionCounter.builder("voidrail.router.responses", sampler, sampler.of(RouterStatus::totalResponses))
            .description("Answers the router has relayed")
            .register(registry);
        sampler.current();
        this.samplers.add(sampler);
        startRefresher();
    }

    /** Without it, a new method's row would appear only after a scrape had read another router gauge. */
    private synchronized void startRefresher() {
        if (this.refresher == null) {
            ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor((task) -> {
                Thread thread = new Thread(task, "voidrail-metrics");
                thread.setDaemon(true);
                return thread;
            });
            executor.scheduleWithFixedDelay(() -> this.samplers.forEach(StatusSampler::current), REFRESH_SECONDS,
                    REFRESH_SECONDS, TimeUnit.SECONDS);
            this.refresher = executor;
        }
    }

    @Override
    public synchronized void close() {
        if (this.refresher != null) {
            this.refresher.shutdownNow();
            this.refresher = null;
        }
    }

    /**
     * One status snapshot serves every gauge of a scrape: taking one is a round trip to the router's I/O thread. A
     * new snapshot also updates the per-method rows, as methods come and go with dealers.
     */
    private static final class StatusSampler {

        private static final long MAX_AGE_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

        private final ServiceRouter router;

        private final MultiGauge queues;

        private @Nullable RouterStatus status;

        private long takenAt;

        private Set<String> methods = Set.of();

        StatusSampler(ServiceRouter router, MultiGauge queues) {
            this.router = router;
            this.queues = queues;
        }

        ToDoubleFunction<StatusSampler> of(ToDoubleFunction<RouterStatus> value) {
            return (sampler) -> sampler.value(value);
        }

        double value(ToDoubleFunction<RouterStatus> value) {
            RouterStatus current = current();
            return (current != null) ? value.applyAsDouble(current) : Double.NaN;
        }

        synchronized @Nullable RouterStatus current() {
            long now = System.nanoTime();
            if (this.status == null || now - this.takenAt > MAX_AGE_NANOS) {
                this.status = snapshot();
                this.takenAt = now;
                Map<String, RouterStatus.Queue> byMethod = (this.status != null) ? this.status.queues() : Map.of();
                if (!byMethod.keySet().equals(this.methods)) {
                    this.methods = Set.copyOf(byMethod.keySet());
                    this.queues.register(this.methods.stream()
                        .map((method) -> MultiGauge.Row.of(Tags.of("method", method),
                                () -> value((status) -> queueLength(status, method))))
                        .toList());
                }
            }
            return this.status;
        }

        private @Nullable RouterStatus snapshot() {
            if (!this.router.isRunning()) {
                return null;
            }
            try {
                return this.router.status();
            }
            catch (RuntimeException ex) {
                return null;
            }
        }

        private static double queueLength(RouterStatus status, String method) {
            RouterStatus.Queue queue = status.queues().get(method);
            return (queue != null) ? queue.queueLength() : 0;
        }

    }

}
