package io.voidrail.boot.micrometer;

import java.util.Map;

import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.transport.Kind;
import io.micrometer.observation.transport.ReceiverContext;
import io.micrometer.observation.transport.SenderContext;
import org.jspecify.annotations.Nullable;

import io.voidrail.event.CallEvent;
import io.voidrail.event.CallListener;
import io.voidrail.event.CallObservation;
import io.voidrail.ErrorCode;

/**
 * Observes client calls ({@value #CLIENT_CALLS}) and dealer executions ({@value #DEALER_EXECUTIONS}) with Micrometer,
 * tagged by {@code method} and {@code outcome} ({@code SUCCESS} or the error code). With Spring Boot's metrics each
 * observation becomes a timer of the same name; with tracing, the client's trace context travels in the request
 * headers and the dealer continues it, so one trace spans client and dealer.
 */
public final class ObservationCallListener implements CallListener {

    /** Observation (and timer) name of calls made by clients. */
    public static final String CLIENT_CALLS = "voidrail.client.calls";

    /** Observation (and timer) name of service methods run by dealers. */
    public static final String DEALER_EXECUTIONS = "voidrail.dealer.executions";

    private final ObservationRegistry registry;

    public ObservationCallListener(ObservationRegistry registry) {
        this.registry = registry;
    }

    @Override
    public CallObservation callStarted(CallEvent event) {
        Observation observation = (event.side() == CallEvent.Side.CLIENT)
                ? Observation.createNotStarted(CLIENT_CALLS, () -> sender(event.headers()), this.registry)
                : Observation.createNotStarted(DEALER_EXECUTIONS, () -> receiver(event.headers()), this.registry);
        observation.contextualName(event.method())
            .lowCardinalityKeyValue("method", event.method())
            .start();
        return new Observed(observation);
    }

    /** The client's headers are sent with the request: a tracing handler writes the trace context into them. */
    private static SenderContext<Map<String, String>> sender(Map<String, String> headers) {
        SenderContext<Map<String, String>> context = new SenderContext<>((carrier, key, value) -> {
            if (carrier != null) {
                carrier.put(key, value);
            }
        }, Kind.CLIENT);
        context.setCarrier(headers);
        context.setRemoteServiceName("voidrail");
        return context;
    }

    private static ReceiverContext<Map<String, String>> receiver(Map<String, String> headers) {
        ReceiverContext<Map<String, String>> context = new ReceiverContext<>(Map::get, Kind.SERVER);
        context.setCarrier(headers);
        context.setRemoteServiceName("voidrail");
        return context;
    }

    private record Observed(Observation observation) implements CallObservation {

        @Override
        public Scope openScope() {
            Observation.Scope scope = this.observation.openScope();
            return scope::close;
        }

        @Override
        public void finished(@Nullable ErrorCode code, @Nullable Throwable error) {
            this.observation.lowCardinalityKeyValue(KeyValue.of("outcome", (code != null) ? code.name() : "SUCCESS"));
            if (error != null) {
                this.observation.error(error);
            }
            this.observation.stop();
        }

    }

}
