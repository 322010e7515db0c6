package io.voidrail.event;

/**
 * Observes calls on the client side and executions on the dealer side (as OkHttp's event listener does).
 * The Spring module implements it for Micrometer timers and Observations; core ships only {@link #NONE}.
 *
 * <p><b>Threads.</b> One listener serves every call of its client or dealer, concurrently: it must be thread-safe.
 * <ul>
 * <li>Client: {@link #callStarted} and {@link CallObservation#openScope()} run on the caller's thread (the one
 * calling {@code invoke}, {@code invokeAsync}, {@code stream} or {@code publisher}; for a publisher the scope opens on
 * the subscribing thread). {@link CallObservation#queued} and {@link CallObservation#dispatched} (what the router
 * tells about the call) run on the client's I/O thread. {@link CallObservation#finished} runs on the client's I/O
 * thread for answers, deadlines and {@code close()}, on the caller's thread when the arguments cannot be encoded, and
 * on the consumer's thread when it closes a stream early.</li>
 * <li>Dealer: {@link #callStarted}, {@link CallObservation#dispatched} and the scope run on the thread that
 * runs the method, just before it: a worker, or the dealer's I/O thread for a quick call
 * ({@code ServiceDealer.Builder.inlineQuickCalls}).
 * {@code finished} runs where the call ends: on that thread for a returned value or a stream, on the thread that
 * completes an asynchronous result, on the dealer's I/O thread when the call is cancelled or its deadline passes. A
 * call refused before it runs (cancelled, expired, overloaded) is not observed.</li>
 * </ul>
 *
 * <p><b>Order.</b> {@code callStarted}, then {@code queued} (client only, when the call waits) and {@code dispatched},
 * then {@code finished} once. On the client both come only from a router that announces them (a Python router says
 * nothing), and repeat if the router puts the call back in its queue; a call that fails before it reaches a dealer
 * has no {@code dispatched}.
 *
 * <p><b>Must be fast and must not throw.</b> {@code finished}, {@code queued} and {@code dispatched} often run on an
 * I/O thread that serves every call of the client: whatever they block, every call waits for. An exception it throws (from any method here, or from a
 * scope's {@code close()}) is logged as a warning, at most one line a minute per method of this interface, and
 * ignored: the call goes on as if the listener had returned normally (a failed {@code callStarted} counts as
 * {@link CallObservation#NONE}).
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

    /**
     * Whether this listener uses {@link CallObservation#queued()} and {@link CallObservation#dispatched}: only then
     * does a client ask its router to tell a call's progress, which costs one or two more messages per call. Default
     * {@code false}; a listener that only times calls needs none of it.
     */
    default boolean observesProgress() {
        return false;
    }
}
