package io.voidrail.boot.micrometer;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import io.voidrail.event.CallEvent;
import io.voidrail.event.CallListener;
import io.voidrail.event.CallObservation;

/**
 * Times how long client calls waited in the router's queue ({@value #CLIENT_QUEUED}, tagged by {@code method}), as
 * the router counted it: a Java router tells each call's wait when a dealer takes it. Calls through a router that
 * does not tell (a Python one) are not recorded. Runs on the client's I/O thread: one map lookup and a record.
 */
public final class QueueTimeCallListener implements CallListener {

    /** Timer of the time client calls waited in the router's queue before a dealer took them. */
    public static final String CLIENT_QUEUED = "voidrail.client.queued";

    private final MeterRegistry registry;

    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    public QueueTimeCallListener(MeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public boolean observesProgress() {
        return true;
    }

    @Override
    public CallObservation callStarted(CallEvent event) {
        if (event.side() != CallEvent.Side.CLIENT) {
            return CallObservation.NONE;
        }
        String method = event.method();
        return new CallObservation() {
            @Override
            public void dispatched(Duration queueTime) {
                timer(method).record(queueTime);
            }
        };
    }

    private Timer timer(String method) {
        return this.timers.computeIfAbsent(method, (name) -> Timer.builder(CLIENT_QUEUED)
            .description("Time client calls waited in the router's queue before a dealer took them")
            .tag("method", name)
            .register(this.registry));
    }

}
