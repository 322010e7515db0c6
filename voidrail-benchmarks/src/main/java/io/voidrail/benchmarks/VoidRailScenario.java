package io.voidrail.benchmarks;

import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;

import io.voidrail.auth.AuthEnvironment;
import io.voidrail.client.ClientDealer;
import io.voidrail.dealer.ServiceDealer;
import io.voidrail.RouterMode;
import io.voidrail.status.RouterStatus;
import io.voidrail.router.ServiceRouter;

/**
 * VoidRail end to end: a {@link ServiceRouter}, {@code dealers} {@link ServiceDealer}s serving
 * {@link BenchEchoService}, and one {@link ClientDealer} calling {@code EchoService.echo} with
 * {@code invokeAsync}, {@code window} calls in flight. Latency is measured from {@code invokeAsync} to the
 * future's completion, as an application sees it.
 */
final class VoidRailScenario implements Scenario {

    /** The process environment's VOIDRAIL_* (API keys, required auth) must not change what is measured. */
    private static final AuthEnvironment NO_ENV = new AuthEnvironment(Map.of());
    private static final Duration SETUP_BOUND = Duration.ofSeconds(10);

    /** The name of the {@code --router} scenario. */
    static final String REMOTE = "voidrail-remote";

    /** What runs between a healthy warm-up and the measured phase. */
    interface BetweenPhases {
        /** {@code warmup}: the warm-up phase, or {@code null} when none ran. */
        void run(@Nullable PhaseResult warmup) throws Exception;
    }

    private final String name;
    private final RouterMode mode;
    private final int dealers;
    /** Slots per dealer (FIFO); 0 means the window. */
    private final int slots;
    /** 0: echo calls; else each phase streams items from {@code EchoService.count} in streams of this many. */
    private final int streamItems;
    /** A running router to load (no router or dealer started here), or {@code null}. */
    private final @Nullable String remote;
    /** Dealers and client reach the router over inproc (the default in one JVM); else over TCP, as remote peers do. */
    private final boolean colocated;

    VoidRailScenario(String name, RouterMode mode, int dealers, int slots) {
        this(name, mode, dealers, slots, 0, null, false);
    }

    /** The same roles in one JVM talking over {@code inproc}, as co-located roles do by default. */
    static VoidRailScenario colocated(String name, RouterMode mode, int dealers, int slots) {
        return new VoidRailScenario(name, mode, dealers, slots, 0, null, true);
    }

    private VoidRailScenario(String name, RouterMode mode, int dealers, int slots, int streamItems,
            @Nullable String remote, boolean colocated) {
        this.name = name;
        this.mode = mode;
        this.dealers = remote == null ? dealers : 0;
        this.slots = slots;
        this.streamItems = streamItems;
        this.remote = remote;
        this.colocated = colocated;
    }

    /** Loads the router at {@code address}, whatever it is, with this project's client ({@code --router}). */
    static VoidRailScenario remote(String address) {
        return remote(REMOTE, address);
    }

    static VoidRailScenario remote(String name, String address) {
        return new VoidRailScenario(name, RouterMode.FIFO, 0, 0, 0, address, false);
    }

    /** A stream scenario: {@code items} items per stream; a phase of N calls receives min(items, 5 N) items. */
    static VoidRailScenario stream(String name, int items) {
        return new VoidRailScenario(name, RouterMode.FIFO, 1, 1, items, null, false);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        if (remote != null) {
            return "ClientDealer.invokeAsync calling " + BenchEchoService.ECHO + " through the running router " + remote;
        }
        if (streamItems > 0) {
            return "VoidRail FIFO, 1 dealer, 1 slot, streams of " + streamItems + " items (calls = items, "
                    + "latency = gap between items)";
        }
        String who = dealers == 1 ? "1 dealer" : dealers + " dealers";
        String path = colocated ? ", co-located (inproc)" : ", over TCP";
        if (mode == RouterMode.LOAD_BALANCE) {
            return "VoidRail LOAD_BALANCE, " + who + " (max-concurrent = max(100, window))" + path;
        }
        return "VoidRail FIFO, " + who + ", " + (slots == 0 ? "slots = window" : slots == 1 ? "1 slot (default)"
                : slots + " slots") + path;
    }

    @Override
    public ScenarioResult run(BenchmarkOptions options) throws Exception {
        return run(options, warmup -> { });
    }

    /**
     * Runs the scenario with {@code between} between the phases: a {@code --clients} client JVM waits there until
     * every client has warmed up, so that they all measure the same interval.
     */
    ScenarioResult run(BenchmarkOptions options, BetweenPhases between) throws Exception {
        Payloads payloads = new Payloads(options.payloadBytes());
        int dealerSlots = slots == 0 ? options.window() : slots;
        int maxConcurrent = Math.max(100, options.window());
        ServiceRouter router = remote != null ? null : ServiceRouter.builder()
                .address("tcp://127.0.0.1:0")
                .mode(mode)
                .environment(NO_ENV)
                .maxQueueLength(Math.max(10_000, options.window()))
                .colocated(colocated)
                .build()
                .start();
        String address = router != null ? router.address() : remote;
        ServiceDealer[] started = new ServiceDealer[dealers];
        ClientDealer client = null;
        try {
            for (int i = 0; i < dealers; i++) {
                started[i] = ServiceDealer.builder()
                        .routerAddress(address)
                        .service(new BenchEchoService())
                        .environment(NO_ENV)
                        .slots(dealerSlots)
                        .maxConcurrent(maxConcurrent)
                        .inlineQuickCalls(options.inline())
                        .shutdownGracePeriod(Duration.ofSeconds(1))
                        .build()
                        .start();
            }
            awaitRegistered(started);
            ClientDealer.Builder clientBuilder = ClientDealer.builder()
                    .routerAddress(address)
                    .environment(NO_ENV)
                    .timeout(options.maxSeconds().plus(WindowedLoad.DRAIN_GRACE));
            if (options.directCallbacks()) {
                clientBuilder.callbackExecutor(Runnable::run); // the load's callbacks only record and never block
            }
            client = clientBuilder.build();
            client.connect();
            // one call first, so neither phase pays for the connection's handshake
            String first = client.call(BenchEchoService.ECHO).arg("ready").timeout(SETUP_BOUND).invoke(String.class);
            if (!"ready".equals(first)) {
                throw new IllegalStateException("The first call returned " + first);
            }
            ClientDealer caller = client;
            WindowedLoad.AsyncCall call = (index, deadlineNanos, done) -> {
                // a call may not outlive its phase by more than the drain grace
                long left = Math.max(deadlineNanos - System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(1));
                caller.call(BenchEchoService.ECHO)
                        .arg(payloads.text)
                        .timeout(Duration.ofNanos(left).plus(Duration.ofSeconds(2)))
                        .invokeAsync(String.class)
                        .whenComplete((result, error) -> done.complete(error != null ? describe(error)
                                : payloads.text.equals(result) ? null : "wrong result"));
            };
            PhaseResult warmup = options.warmupCalls() == 0 ? null : phase(client, options.warmupCalls(), options, call);
            if (warmup != null && !warmup.healthy()) {
                return ScenarioResult.warmupFailed(name, description(), warmup)
                        .withDiagnosis(diagnose(router, started, 1 + issued(warmup)));
            }
            between.run(warmup);
            PhaseResult measured = phase(client, options.calls(), options, call);
            ScenarioResult result = new ScenarioResult(name, description(), measured, warmup);
            return measured.healthy() ? result
                    : result.withDiagnosis(diagnose(router, started, 1 + issued(warmup) + issued(measured)));
        }
        finally {
            if (client != null) {
                client.close();
            }
            for (int i = started.length - 1; i >= 0; i--) {
                if (started[i] != null) {
                    started[i].close();
                }
            }
            if (router != null) {
                router.close();
            }
        }
    }

    private PhaseResult phase(ClientDealer client, int calls, BenchmarkOptions options, WindowedLoad.AsyncCall call) {
        return streamItems > 0 ? streams(client, Math.min(streamItems, 5 * calls), options.maxSeconds())
                : WindowedLoad.run(calls, options.window(), options.maxSeconds(), call);
    }

    /** Receives {@code items} items in streams of at most {@link #streamItems}, checking each; bounded in time. */
    private PhaseResult streams(ClientDealer client, int items, Duration bound) {
        Histogram gaps = PhaseResult.newHistogram();
        ProcessMeter meter = ProcessMeter.start();
        long start = System.nanoTime();
        long deadline = start + bound.toNanos();
        long received = 0;
        long failed = 0;
        long last = start;
        String firstError = null;
        boolean timedOut = false;
        while (received < items && firstError == null) {
            if (System.nanoTime() - deadline >= 0) {
                timedOut = true;
                break;
            }
            int n = (int) Math.min(streamItems, items - received);
            try (Stream<Integer> stream = client.call(BenchEchoService.COUNT).arg(n).timeout(bound.plus(SETUP_BOUND))
                    .stream(Integer.class)) {
                Iterator<Integer> it = stream.iterator();
                int expected = 0;
                last = System.nanoTime();
                while (it.hasNext()) {
                    int value = it.next();
                    long now = System.nanoTime();
                    if (value != expected++) {
                        failed++;
                        firstError = "item " + (expected - 1) + " was " + value;
                        break;
                    }
                    gaps.recordValue(now - last);
                    received++;
                    last = now;
                }
                if (firstError == null && expected != n) {
                    failed++;
                    firstError = "a stream of " + n + " ended after " + expected + " items";
                }
            }
            catch (RuntimeException ex) {
                failed++;
                firstError = describe(ex);
            }
        }
        return new PhaseResult(items, received, failed, 0, last - start, gaps, timedOut, false, firstError,
                meter.cpuNanos(), meter.allocatedBytes());
    }

    private static long issued(@Nullable PhaseResult phase) {
        return phase == null ? 0 : phase.succeeded() + phase.failed() + phase.abandoned();
    }

    /**
     * Where the unanswered calls are, as the router sees it: calls it never received are still in the
     * client; calls in flight at a dealer are in that dealer (or its reply is on the way back).
     */
    private static String diagnose(@Nullable ServiceRouter router, ServiceDealer[] dealers, long clientIssued) {
        StringBuilder text = new StringBuilder();
        text.append("client issued ").append(clientIssued).append(" calls");
        if (router == null) {
            return text.append(" to a router of another process").toString();
        }
        try {
            RouterStatus status = router.status();
            text.append("; router received ").append(status.totalRequests()).append(", answered ")
                    .append(status.totalResponses()).append(", queued ").append(status.requestsInQueue());
            for (RouterStatus.Dealer dealer : status.dealers()) {
                text.append("; router: dealer ").append(dealer.id()).append(' ').append(dealer.state())
                        .append(" in flight ").append(dealer.inFlight());
            }
            if (status.totalRequests() < clientIssued) {
                text.append(" => ").append(clientIssued - status.totalRequests())
                        .append(" call(s) never left the client");
            }
        }
        catch (RuntimeException ex) {
            text.append("; router status unavailable: ").append(ex.getMessage());
        }
        for (ServiceDealer dealer : dealers) {
            if (dealer != null) {
                text.append("; dealer ").append(dealer.identity()).append(" says in flight ").append(dealer.inFlight());
            }
        }
        return text.toString();
    }

    private static void awaitRegistered(ServiceDealer[] dealers) throws InterruptedException {
        long giveUp = System.nanoTime() + SETUP_BOUND.toNanos();
        for (ServiceDealer dealer : dealers) {
            while (!dealer.isRegistered()) {
                if (System.nanoTime() - giveUp >= 0) {
                    throw new IllegalStateException("Dealer " + dealer.identity() + " did not register within "
                            + SETUP_BOUND.toSeconds() + " s");
                }
                Thread.sleep(5);
            }
        }
    }

    private static String describe(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    @Override
    public String toString() {
        return name;
    }
}
