package io.voidrail.dealer;

import static io.voidrail.internal.protocol.Protocol.*;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;

import io.voidrail.event.CallEvent;
import io.voidrail.event.CallListener;
import io.voidrail.event.CallObservation;
import io.voidrail.internal.CurrentCall;
import io.voidrail.internal.Deadlines;
import io.voidrail.ErrorCode;
import io.voidrail.service.ArgumentBindingException;
import io.voidrail.service.CallContext;
import io.voidrail.service.Invocation;
import io.voidrail.service.MethodHandler;
import io.voidrail.service.ServiceMethodException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One call on a worker thread: binds, invokes, and sends exactly one terminal message (reply, end or error) after
 * any stream items, whatever happens, including cancellation. It is also the method's {@link CallContext}.
 *
 * <p>Streams are flow-controlled: a Java client grants credits ({@code "credits"} in the request, then
 * {@code stream_credit_from_router}) and gets numbered items; other clients get a local window that refills as the
 * I/O thread writes items. Either way the producer waits on its worker thread when it may not send, so nothing
 * piles up in the dealer. A cancelled call answers {@code CANCELLED} at once (the router frees the slot), interrupts
 * its worker thread, and stops its producer.
 */
final class CallExecution implements Runnable, CallContext {

    /** Items a stream may have on their way to the socket when its client does not grant credits. */
    static final int LOCAL_WINDOW = 256;

    private final DealerLoop loop;
    private final MethodHandler handler;
    private final byte[] clientId;
    private final @Nullable String requestId;
    private final JsonNode request;
    private final String key;
    private final AtomicBoolean done = new AtomicBoolean();
    /** {@code System.nanoTime()} when the call reached the dealer: what it waited for a worker is told the listener. */
    private final long receivedNanos;
    /** {@code System.nanoTime()} at which the call's time is over (0: none), from the request on arrival. */
    private final long deadlineNanos;
    private final @Nullable String deadlineError;
    /** The client grants credits: items are numbered and sent only as granted. */
    private final boolean credited;
    private final StreamGate gate;
    private final Map<String, String> headers;
    /** The call is to stop producing: cancelled, or its items could not be sent. */
    private volatile boolean cancelled;
    private volatile @Nullable Runnable onCancel;
    private @Nullable Thread runner;
    private long nextSeq;
    private CallObservation observation = CallObservation.NONE;

    CallExecution(DealerLoop loop, MethodHandler handler, byte[] clientId, @Nullable String requestId, JsonNode request) {
        this.loop = loop;
        this.handler = handler;
        this.clientId = clientId;
        this.requestId = requestId;
        this.request = request;
        this.key = key(clientId, requestId);
        this.receivedNanos = System.nanoTime();
        Deadlines.Parsed deadline = Deadlines.parse(request, receivedNanos, System.currentTimeMillis());
        this.deadlineNanos = deadline.deadlineNanos();
        this.deadlineError = deadline.error();
        JsonNode credits = request.get(CREDITS);
        this.credited = credits != null && credits.isIntegralNumber() && credits.asLong() > 0;
        this.gate = new StreamGate(credited ? credits.asLong() : LOCAL_WINDOW);
        this.headers = headersOf(request);
    }

    /** Why the request's deadline cannot be read (names the field); {@code null} when it can. */
    @Nullable String deadlineError() {
        return deadlineError;
    }

    static String key(byte[] clientId, @Nullable String requestId) {
        return new String(clientId, StandardCharsets.UTF_8) + '\u0000' + (requestId == null ? "" : requestId);
    }

    String key() {
        return key;
    }

    /** The handler's name (as {@link QuickMethods} knows methods). */
    String methodName() {
        return handler.name();
    }

    boolean streaming() {
        return handler.streaming();
    }

    boolean expired() {
        return deadlineNanos != 0 && System.nanoTime() - deadlineNanos >= 0;
    }

    // ---------------------------------------------------------------- CallContext

    @Override
    public String method() {
        return handler.publicName();
    }

    @Override
    public @Nullable String requestId() {
        return requestId;
    }

    @Override
    public Map<String, String> headers() {
        return headers;
    }

    @Override
    public boolean isCancelled() {
        return cancelled || expired();
    }

    @Override
    public Optional<Duration> remaining() {
        return deadlineNanos == 0 ? Optional.empty()
                : Optional.of(Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime())));
    }

    // ---------------------------------------------------------------- running

    @Override
    public void run() {
        if (cancelled || expired()) {
            finishWithError(cancelled ? ErrorCode.CANCELLED : ErrorCode.DEADLINE_EXCEEDED,
                    cancelled ? "Call cancelled" : "Deadline exceeded before " + handler.publicName() + " ran", null);
            return;
        }
        CallListener listener = loop.settings().listener();
        // without a listener (the default) no event is made, nor its copy of the headers
        observation = listener == CallListener.NONE ? CallObservation.NONE
                : listener.callStarted(new CallEvent(CallEvent.Side.DEALER, handler.publicName(), new HashMap<>(headers)));
        observation.dispatched(Duration.ofNanos(System.nanoTime() - receivedNanos));
        synchronized (this) {
            runner = Thread.currentThread();
        }
        try (CallObservation.Scope scope = observation.openScope(); CurrentCall.Scope bound = CurrentCall.bind(this)) {
            Invocation invocation = handler.invoke(request.get(ARGS), request.get(KWARGS), loop.codec());
            if (invocation instanceof Invocation.Value value) {
                finishWithReply(value.value());
            }
            else if (invocation instanceof Invocation.Async async) {
                whenCancelled(() -> async.stage().toCompletableFuture().cancel(true));
                async.stage().whenComplete((result, error) -> {
                    if (error == null) {
                        finishWithReply(result);
                    }
                    else {
                        finishWithFailure(unwrap(error));
                    }
                });
            }
            else if (invocation instanceof Invocation.Items items) {
                streamItems(items);
            }
            else if (invocation instanceof Invocation.Published published) {
                pump(published.publisher());
            }
        }
        catch (RuntimeException ex) {
            finishWithFailure(ex);
        }
        finally {
            synchronized (this) {
                runner = null;
                Thread.interrupted(); // a cancel's interrupt must not leak into the pool's next task
            }
        }
    }

    /** Registers what stops the method's work on cancel; runs it at once when the cancel came first. */
    private void whenCancelled(Runnable action) {
        onCancel = action;
        if (cancelled) {
            action.run();
        }
    }

    private void streamItems(Invocation.Items items) {
        try (AutoCloseable closer = items.closer()) {
            Iterator<?> iterator = items.iterator();
            // a credit first, then the next item: a producer out of credit computes nothing ahead
            while (gate.take(1) > 0 && iterator.hasNext()) {
                sendItem(iterator.next());
            }
            finishStream();
        }
        catch (Exception ex) {
            finishWithFailure(ex);
        }
    }

    /**
     * A publisher is asked for items on this worker thread, as many as the gate allows, until it completes or the
     * call stops: a synchronous publisher then produces here, with the context bound.
     */
    private void pump(Flow.Publisher<?> publisher) {
        CompletableFuture<Flow.@Nullable Subscription> subscribed = new CompletableFuture<>();
        publisher.subscribe(new Flow.Subscriber<Object>() {
            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                if (!subscribed.complete(subscription)) {
                    subscription.cancel(); // a second subscription (Reactive Streams 2.5)
                    return;
                }
                whenCancelled(subscription::cancel);
            }

            @Override
            public void onNext(Object item) {
                try {
                    sendItem(item);
                }
                catch (RuntimeException ex) {
                    Runnable cancel = onCancel;
                    if (cancel != null) {
                        cancel.run();
                    }
                    finishWithFailure(ex);
                }
            }

            @Override
            public void onError(Throwable error) {
                finishWithFailure(unwrap(error));
                subscribed.complete(null);
            }

            @Override
            public void onComplete() {
                finishStream();
                subscribed.complete(null);
            }
        });
        try {
            Flow.Subscription subscription = subscribed.get();
            long granted;
            while (subscription != null && (granted = gate.take(Long.MAX_VALUE)) > 0) {
                subscription.request(granted);
            }
        }
        catch (InterruptedException | ExecutionException ex) {
            finishWithFailure(ex);
        }
    }

    private void sendItem(@Nullable Object item) {
        if (done.get() || cancelled) {
            return;
        }
        ObjectNode message = loop.messages().streaming(requestId, loop.codec().toTree(item));
        if (credited) {
            message.put(SEQ, nextSeq++);
        }
        byte[] json = loop.codec().write(message);
        post(loop -> loop.writeItem(this, clientId, json));
    }

    private void finishStream() {
        if (cancelled) {
            finishWithError(ErrorCode.CANCELLED, "Call cancelled", null);
        }
        else if (expired()) {
            finishLate(null);
        }
        else {
            finish(loop.messages().end(requestId), null, null);
        }
    }

    private void finishWithReply(@Nullable Object result) {
        if (cancelled) {
            finishWithError(ErrorCode.CANCELLED, "Call cancelled", null);
            return;
        }
        if (expired()) {
            finishLate(null);
            return;
        }
        ObjectNode reply;
        try {
            reply = loop.messages().reply(requestId, loop.codec().toTree(result));
        }
        catch (RuntimeException ex) {
            finishWithFailure(ex);
            return;
        }
        finish(reply, null, null);
    }

    private void finishWithFailure(Throwable error) {
        if (cancelled) {
            finishWithError(ErrorCode.CANCELLED, "Call cancelled", error);
        }
        else if (expired()) {
            finishLate(error);
        }
        else if (error instanceof ArgumentBindingException) {
            finishWithError(ErrorCode.BAD_REQUEST, error.getMessage(), error);
        }
        else {
            Throwable cause = error instanceof ServiceMethodException ? error.getCause() : error;
            String message = cause != null && cause.getMessage() != null ? cause.getMessage()
                    : (cause != null ? cause : error).getClass().getSimpleName();
            finishWithError(ErrorCode.EXECUTION_ERROR, METHOD_EXECUTION_ERROR + message, cause);
        }
    }

    /**
     * The method ended after the caller's deadline (perhaps early, having seen {@link #isCancelled()}): the caller
     * has given up, so whatever it returned is not passed off as an answer.
     */
    private void finishLate(@Nullable Throwable error) {
        finishWithError(ErrorCode.DEADLINE_EXCEEDED, handler.publicName() + " did not finish before its deadline", error);
    }

    /** The dealer cannot take the call: OVERLOADED, naming the dealer. */
    void refuse(String why) {
        finishWithError(ErrorCode.OVERLOADED, "Dealer " + loop.identity() + " " + why, null);
    }

    private void finishWithError(ErrorCode code, String text, @Nullable Throwable error) {
        finish(loop.messages().callError(requestId, text, code), code, error);
    }

    /** Sends the call's one terminal message; later attempts are ignored. */
    private void finish(ObjectNode terminal, @Nullable ErrorCode code, @Nullable Throwable error) {
        if (done.compareAndSet(false, true)) {
            gate.close();
            byte[] json = loop.codec().write(terminal);
            post(loop -> loop.writeCallTerminal(clientId, json));
            observation.finished(code, error);
            loop.finished(this);
        }
    }

    /**
     * Hands a message to the I/O thread. Under the lock that {@link #stop} interrupts under, so that the worker
     * thread is never interrupted while it writes to the loop's wake-up pipe (which an interrupt would close).
     */
    private synchronized void post(java.util.function.Consumer<DealerLoop> command) {
        loop.post(command);
    }

    // ---------------------------------------------------------------- from the I/O thread

    /** The client granted {@code items} more stream items. */
    void grant(long items) {
        if (credited) {
            gate.grant(items);
        }
    }

    /** The I/O thread wrote one item to the socket: without credits, the local window refills. */
    void written() {
        if (!credited) {
            gate.grant(1);
        }
    }

    /** Whether nothing more of this call goes out except its terminal message. */
    boolean stopped() {
        return cancelled;
    }

    /** Stops the call: the method is interrupted or its stream cancelled, and the client hears CANCELLED at once. */
    void cancel() {
        stop(ErrorCode.CANCELLED, "Call cancelled", true);
    }

    /** An item could not be sent (the socket's queue is full): the call ends with an explicit error, not a gap. */
    void sendRefused() {
        stop(ErrorCode.OVERLOADED, "Dealer could not send a stream item of " + handler.publicName()
                + " to the router (send queue full)", false);
    }

    private void stop(ErrorCode code, String text, boolean interrupt) {
        cancelled = true;
        gate.close();
        synchronized (this) {
            if (interrupt && runner != null) {
                runner.interrupt();
            }
        }
        Runnable action = onCancel;
        if (action != null) {
            action.run();
        }
        finishWithError(code, text, null);
    }

    private static Map<String, String> headersOf(JsonNode request) {
        JsonNode node = request.get(HEADERS);
        Map<String, String> headers = new HashMap<>();
        if (node != null && node.isObject()) {
            node.properties().forEach(e -> headers.put(e.getKey(), e.getValue().asString("")));
        }
        return Collections.unmodifiableMap(headers);
    }

    private static Throwable unwrap(Throwable error) {
        Throwable current = error;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }
}
