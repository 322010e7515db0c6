package io.voidrail.dealer;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.voidrail.service.MethodHandler;

/**
 * Which methods a dealer runs on its loop's thread: every unary one (a stream needs the loop while it produces),
 * until one of its calls outlasts the {@linkplain InlineWatchdog watchdog's limit}. Such a method runs on workers
 * again until {@link #QUICK_AGAIN} of its calls in a row were quick: a first call that loads a model does not send
 * a quick method to the workers for good, and a slow method costs one hand-over of the loop, not one per call.
 * Thread-safe: the loops and the workers of one dealer share it.
 */
final class QuickMethods {

    static final int QUICK_AGAIN = 32;

    /** Methods that were slow, with how many of their calls in a row were quick since. */
    private final Map<String, AtomicInteger> slow = new ConcurrentHashMap<>();
    private final long limitNanos;

    QuickMethods(long limitNanos) {
        this.limitNanos = limitNanos;
    }

    boolean runsInline(MethodHandler handler) {
        return !handler.streaming() && !slow.containsKey(handler.name());
    }

    /** A call of the method ran so long on the loop's thread that the loop moved on without it. */
    void outlasted(String method) {
        slow.computeIfAbsent(method, name -> new AtomicInteger()).set(0);
    }

    /** Whether the method's calls on workers are timed (it was slow once). */
    boolean watched(String method) {
        return slow.containsKey(method);
    }

    /** A call of a {@linkplain #watched watched} method ran on a worker for {@code nanos}. */
    void ranOnWorker(String method, long nanos) {
        AtomicInteger quickInARow = slow.get(method);
        if (quickInARow == null) {
            return;
        }
        if (nanos >= limitNanos) {
            quickInARow.set(0);
        }
        else if (quickInARow.incrementAndGet() >= QUICK_AGAIN) {
            slow.remove(method, quickInARow);
        }
    }
}
