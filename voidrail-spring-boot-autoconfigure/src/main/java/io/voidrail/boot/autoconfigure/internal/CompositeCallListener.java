package io.voidrail.boot.autoconfigure.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import io.voidrail.event.CallEvent;
import io.voidrail.event.CallListener;
import io.voidrail.event.CallObservation;
import io.voidrail.ErrorCode;

/** Every {@link CallListener} bean of the application, in order; scopes close in reverse order. */
final class CompositeCallListener implements CallListener {

    private final List<CallListener> listeners;

    CompositeCallListener(List<CallListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    @Override
    public boolean observesProgress() {
        return this.listeners.stream().anyMatch(CallListener::observesProgress);
    }

    @Override
    public CallObservation callStarted(CallEvent event) {
        if (this.listeners.isEmpty()) {
            return CallObservation.NONE;
        }
        List<CallObservation> observations = new ArrayList<>(this.listeners.size());
        for (CallListener listener : this.listeners) {
            observations.add(listener.callStarted(event));
        }
        return new CallObservation() {

            @Override
            public Scope openScope() {
                List<Scope> scopes = new ArrayList<>(observations.size());
                observations.forEach((observation) -> scopes.add(observation.openScope()));
                return () -> {
                    for (int i = scopes.size() - 1; i >= 0; i--) {
                        scopes.get(i).close();
                    }
                };
            }

            @Override
            public void queued() {
                observations.forEach(CallObservation::queued);
            }

            @Override
            public void dispatched(Duration queueTime) {
                observations.forEach((observation) -> observation.dispatched(queueTime));
            }

            @Override
            public void finished(@Nullable ErrorCode code, @Nullable Throwable error) {
                observations.forEach((observation) -> observation.finished(code, error));
            }

        };
    }

}
