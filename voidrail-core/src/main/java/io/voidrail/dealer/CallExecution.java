package io.voidrail.dealer;

import static io.voidrail.protocol.Protocol.*;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;

import io.voidrail.event.CallEvent;
import io.voidrail.event.CallObservation;
import io.voidrail.internal.Deadlines;
import io.voidrail.protocol.ErrorCode;
import io.voidrail.service.ArgumentBindingException;
import io.voidrail.service.Invocation;
import io.voidrail.service.MethodHandler;
import io.voidrail.service.ServiceMethodException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One call on a worker thread: binds, invokes, and sends exactly one terminal message (reply, end or
 * error) after any stream items, whatever happens, including cancellation.
 */
final class CallExecution implements Runnable {

    /** Items requested from a {@link Flow.Publisher} at a time. */
    private static final int PUBLISHER_BATCH = 32;

    private final DealerLoop loop;
    private final MethodHandler handler;
    private final byte[] clientId;
    private final @Nullable String requestId;
    private final JsonNode request;
    private final String key;
    private final AtomicBoolean done = new AtomicBoolean();
    /** {@code System.nanoTime()} at which the call's time is over (0: none), from the request on arrival. */
    private final long deadlineNanos;
    private final @Nullable String deadlineError;
    private volatile boolean cancelled;
    private volatile @Nullable Runnable onCancel;
    private @Nullable Thread runner;
    private CallObservation observation = CallObservation.NONE;

    CallExecution(DealerLoop loop, MethodHandler handler, byte[] clientId, @Nullable String requestId, JsonNode request) {
        this.loop = loop;
        this.handler = handler;
        this.clientId = clientId;
        this.requestId = requestId;
        this.request = request;
        this.key = key(clientId, requestId);
        Deadlines.Parsed deadline = Deadlines.parse(request, System.nanoTime(), System.currentTimeMillis());
        this.deadlineNanos = deadline.deadlineNanos();
        this.deadlineError = deadline.error();
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

    boolean expired() {
        return deadlineNanos != 0 && System.nanoTime() - deadlineNanos >= 0;
    }

    @Override
    public void run() {
        if (cancelled || expired()) {
            finishWithError(cancelled ? ErrorCode.CANCELLED : ErrorCode.DEADLINE_EXCEEDED,
                    cancelled ? "Call cancelled" : "Deadline exceeded before " + handler.publicName() + " ran", null);
            return;
        }
        observation = loop.settings().listener().callStarted(new CallEvent(CallEvent.Side.DEALER, handler.publicName(),
                headers()));
        synchronized (this) {
            runner = Thread.currentThread();
        }
        try (CallObservation.Scope scope = observation.openScope()) {
            Invocation invocation = handler.invoke(request.get(ARGS), request.get(KWARGS), loop.codec());
            if (invocation instanceof Invocation.Value value) {
                finishWithReply(value.value());
            }
            else if (invocation instanceof Invocation.Async async) {
                onCancel = () -> async.stage().toCompletableFuture().cancel(true);
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
                subscribe(published.publisher());
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

    private void streamItems(Invocation.Items items) {
        try (AutoCloseable closer = items.closer()) {
            Iterator<?> iterator = items.iterator();
            while (!cancelled && iterator.hasNext()) {
                sendItem(iterator.next());
            }
            finishStream();
        }
        catch (Exception ex) {
            finishWithFailure(ex);
        }
    }

    private void subscribe(Flow.Publisher<?> publisher) {
        publisher.subscribe(new Flow.Subscriber<Object>() {
            private Flow.@Nullable Subscription subscription;
            private int outstanding;

            @Override
            public void onSubscribe(Flow.Subscription s) {
                subscription = s;
                onCancel = s::cancel;
                outstanding = PUBLISHER_BATCH;
                s.request(PUBLISHER_BATCH);
            }

            @Override
            public void onNext(Object item) {
                try {
                    sendItem(item);
                }
                catch (RuntimeException ex) {
                    subscription.cancel();
                    finishWithFailure(ex);
                    return;
                }
                if (--outstanding == PUBLISHER_BATCH / 2) {
                    outstanding += PUBLISHER_BATCH / 2;
                    subscription.request(PUBLISHER_BATCH / 2);
                }
            }

            @Override
            public void onError(Throwable error) {
                finishWithFailure(unwrap(error));
            }

            @Override
            public void onComplete() {
                finishStream();
            }
        });
    }

    private void sendItem(@Nullable Object item) {
        if (!done.get() && !cancelled) {
            loop.sendReplyLater(clientId, loop.messages().streaming(requestId, loop.codec().toTree(item)));
        }
    }

    private void finishStream() {
        if (cancelled) {
            finishWithError(ErrorCode.CANCELLED, "Call cancelled", null);
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

    void finishWithError(ObjectNode error) {
        finish(error, ErrorCode.fromWire(error.path(CODE).asString(null)), null);
    }

    private void finishWithError(ErrorCode code, String text, @Nullable Throwable error) {
        finish(loop.messages().callError(requestId, text, code), code, error);
    }

    /** Sends the call's one terminal message; later attempts are ignored. */
    private void finish(ObjectNode terminal, @Nullable ErrorCode code, @Nullable Throwable error) {
        if (done.compareAndSet(false, true)) {
            loop.sendReplyLater(clientId, terminal);
            observation.finished(code, error);
            loop.finished(this);
        }
    }

    /** Stops the call: the method is interrupted or its stream cancelled, and the client hears CANCELLED. */
    void cancel() {
        cancelled = true;
        synchronized (this) {
            if (runner != null) {
                runner.interrupt();
            }
        }
        Runnable action = onCancel;
        if (action != null) {
            action.run();
        }
        if (runner == null && onCancel != null) {
            finishWithError(ErrorCode.CANCELLED, "Call cancelled", null);
        }
    }

    private Map<String, String> headers() {
        JsonNode node = request.get(HEADERS);
        Map<String, String> headers = new HashMap<>();
        if (node != null && node.isObject()) {
            node.properties().forEach(e -> headers.put(e.getKey(), e.getValue().asString("")));
        }
        return headers;
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
