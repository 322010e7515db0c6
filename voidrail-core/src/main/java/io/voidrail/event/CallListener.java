package io.voidrail.event;

/**
 * Observes calls on the client side and executions on the dealer side (as OkHttp's event listener does).
 * The Spring module implements it for Micrometer timers and Observations; core ships only {@link #NONE}.
 */
public interface CallListener {

    CallListener NONE = new CallListener() {
    };

    /**
     * A call starts: on the client just before it is sent (the listener may add {@link CallEvent#headers()},
     * e.g. trace context), on the dealer just before the method runs (with the headers the client sent).
     */
    default CallObservation callStarted(CallEvent event) {
        return CallObservation.NONE;
    }
}
