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
 * <p>A method whose calls take less than {@link #TINY_NANOS} is {@linkplain #tiny tiny}: one of its calls delays the
 * calls waiting behind it less than handing it to a worker and its reply back costs the loop, so it runs on the
 * loop's thread even while other calls are in flight (several slots, LOAD_BALANCE). Each such call adds one to the
 * method's score (up to {@link #TINY_SCORE}), each longer one takes {@link #LONGER_COSTS} away; it is tiny from
 * {@link #TINY_FROM}. A busy machine that preempts one call in ten does not make an echo slow; a method that
 * takes longer one call in four is not tiny.
 *
 * <p>Thread-safe: the loops and the workers of one dealer share it; the counts are approximate under races, which
 * only moves a call between the loop and a worker.
 */
final class QuickMethods {

    static final int QUICK_AGAIN = 32;
    /** About what a worker hand-off and the reply's way back cost the loop on a busy machine (measured: 10-60 µs). */
    static final long TINY_NANOS = 20_000L;
    static final int TINY_SCORE = 16;
    static final int TINY_FROM = 12;
    static final int LONGER_COSTS = 4;

    /** Methods that were slow, with how many of their calls in a row were quick since. */
    private final Map<String, AtomicInteger> slow = new ConcurrentHashMap<>();
    /** Per unary method that ran, its score (0 to {@link #TINY_SCORE}). */
    private final Map<String, AtomicInteger> scores = new ConcurrentHashMap<>();
    private final long limitNanos;

    QuickMethods(long limitNanos) {
        this.limitNanos = limitNanos;
    }

    boolean runsInline(MethodHandler handler) {
        return !handler.streaming() && !slow.containsKey(handler.name());
    }

    /** Whether the method's calls may run on the loop's thread while others are in flight (see the class). */
    boolean tiny(MethodHandler handler) {
        AtomicInteger score = scores.get(handler.name());
        return score != null && score.get() >= TINY_FROM && runsInline(handler);
    }

    /** A call of the method ran so long on the loop's thread that the loop moved on without it. */
    void outlasted(String method) {
        slow.computeIfAbsent(method, name -> new AtomicInteger()).set(0);
        score(method).set(0);
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
        AtomicInteger score = score(method);
        int now = score.get();
        score.set(nanos < TINY_NANOS ? Math.min(now + 1, TINY_SCORE) : Math.max(now - LONGER_COSTS, 0));
    }

    private AtomicInteger score(String method) {
        AtomicInteger score = scores.get(method);
        return score != null ? score : scores.computeIfAbsent(method, name -> new AtomicInteger());
    }
}
