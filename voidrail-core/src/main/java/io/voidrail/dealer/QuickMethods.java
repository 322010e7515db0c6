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
 *
 * <p>A method whose last {@link #TINY_IN_A_ROW} calls each took less than {@link #TINY_NANOS} is {@linkplain #tiny
 * tiny}: one of its calls delays the calls waiting behind it less than handing it to a worker and its reply back
 * costs the loop, so it runs on the loop's thread even while other calls are in flight (several slots, LOAD_BALANCE).
 * Thread-safe: the loops and the workers of one dealer share it; the counts are approximate under races, which only
 * moves a call between the loop and a worker.
 */
final class QuickMethods {

    static final int QUICK_AGAIN = 32;
    /** About what a worker hand-off and the reply's way back cost the loop on a busy machine (measured: 10-60 µs). */
    static final long TINY_NANOS = 20_000L;
    static final int TINY_IN_A_ROW = 16;

    /** Methods that were slow, with how many of their calls in a row were quick since. */
    private final Map<String, AtomicInteger> slow = new ConcurrentHashMap<>();
    /** Per unary method that ran, how many of its last calls in a row were tiny (at most {@link #TINY_IN_A_ROW}). */
    private final Map<String, AtomicInteger> tinyInARow = new ConcurrentHashMap<>();
    private final long limitNanos;

    QuickMethods(long limitNanos) {
        this.limitNanos = limitNanos;
    }

    boolean runsInline(MethodHandler handler) {
        return !handler.streaming() && !slow.containsKey(handler.name());
    }

    /** Whether the method's calls may run on the loop's thread while others are in flight (see the class). */
    boolean tiny(MethodHandler handler) {
        AtomicInteger count = tinyInARow.get(handler.name());
        return count != null && count.get() >= TINY_IN_A_ROW && runsInline(handler);
    }

    /** A call of the method ran so long on the loop's thread that the loop moved on without it. */
    void outlasted(String method) {
        slow.computeIfAbsent(method, name -> new AtomicInteger()).set(0);
        counter(method).set(0);
    }

    /** A call of a unary method ran on the loop's thread for {@code nanos}. */
    void ranInline(String method, long nanos) {
        countTiny(method, nanos);
    }

    /** A call of a unary method ran on a worker for {@code nanos}. */
    void ranOnWorker(String method, long nanos) {
        countTiny(method, nanos);
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

    private void countTiny(String method, long nanos) {
        AtomicInteger count = counter(method);
        if (nanos >= TINY_NANOS) {
            count.set(0);
        }
        else if (count.get() < TINY_IN_A_ROW) {
            count.incrementAndGet();
        }
    }

    private AtomicInteger counter(String method) {
        AtomicInteger count = tinyInARow.get(method);
        return count != null ? count : tinyInARow.computeIfAbsent(method, name -> new AtomicInteger());
    }
}
