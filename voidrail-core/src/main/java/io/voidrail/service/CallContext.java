package io.voidrail.service;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

import io.voidrail.internal.CurrentCall;

/**
 * The call a service method is serving, for code that wants to stop early: whether the caller gave up, how much time
 * is left, and the headers the caller sent.
 *
 * <pre>{@code
 * @ServiceMethod
 * public Result render(Scene scene) {
 *     CallContext call = CallContext.current();
 *     for (Tile tile : scene.tiles()) {
 *         if (call.isCancelled()) {
 *             throw new CancellationException("caller gave up");
 *         }
 *         renderTile(tile);
 *     }
 *     ...
 * }
 * }</pre>
 *
 * <p>{@link #current()} is bound to the worker thread while the dealer runs the method (and while it iterates a
 * returned {@code Stream} or {@code Iterator}, or requests items of a returned publisher). Code that continues on
 * other threads (a {@code CompletionStage}, a publisher's own scheduler) keeps the object it took: it stays valid for
 * the whole call. Blocking code does not need it: a cancelled call's worker thread is also interrupted.
 */
public interface CallContext {

    /** What {@link #current()} returns outside a call: never cancelled, no deadline, no headers. */
    CallContext NONE = new CallContext() {
        @Override
        public String method() {
            return "";
        }

        @Override
        public @Nullable String requestId() {
            return null;
        }

        @Override
        public Map<String, String> headers() {
            return Map.of();
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public Optional<Duration> remaining() {
            return Optional.empty();
        }
    };

    /** The call this thread is serving, or {@link #NONE} outside one. */
    static CallContext current() {
        CallContext current = CurrentCall.get(CallContext.class);
        return current != null ? current : NONE;
    }

    /** The public name of the method called, e.g. {@code EchoService.echo}. */
    String method();

    /** The caller's request id (Python clients always send one). */
    @Nullable String requestId();

    /** The string headers the caller sent (trace context and the like); empty when none. */
    Map<String, String> headers();

    /**
     * Whether the caller no longer wants the answer: it cancelled (a cancelled future, a closed stream, its client
     * closed), or the call's deadline has passed. Its answer, if any, is dropped.
     */
    boolean isCancelled();

    /** Time left before the caller's deadline (zero once passed); empty when the call has none (streams). */
    Optional<Duration> remaining();
}
