package io.voidrail.benchmarks;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;

/**
 * Drives an asynchronous API with a fixed number of calls in flight: the calling thread takes a permit,
 * starts a call, and the call's completion gives the permit back. Bounded in count and in time: at the
 * deadline it stops issuing and waits {@link #DRAIN_GRACE} for calls in flight; when no call has been
 * answered for {@link #stallBound(Duration)} while calls are in flight, it stops at once and reports a
 * stall.
 */
final class WindowedLoad {

    /** How long a phase past its deadline waits for the calls still in flight. */
    static final Duration DRAIN_GRACE = Duration.ofSeconds(3);

    private static final Duration STALL = Duration.ofSeconds(10);
    private static final long STEP_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /** Starts call {@code index}; must call {@code done} exactly once, from any thread. */
    interface AsyncCall {
        void start(int index, long deadlineNanos, Completion done);
    }

    /** Reports one call's outcome. */
    interface Completion {
        /** {@code error} is null for a correct answer. */
        void complete(@Nullable String error);
    }

    private WindowedLoad() {
    }

    /** Silence, with calls in flight, after which a phase is declared stalled: 10 s, or the phase bound. */
    static Duration stallBound(Duration phaseBound) {
        return phaseBound.compareTo(STALL) < 0 ? phaseBound : STALL;
    }

    static PhaseResult run(int count, int window, Duration bound, AsyncCall call) {
        Semaphore permits = new Semaphore(window);
        Histogram latencies = PhaseResult.newHistogram();
        AtomicLong succeeded = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        AtomicReference<@Nullable String> firstError = new AtomicReference<>();
        ProcessMeter meter = ProcessMeter.start();
        long start = System.nanoTime();
        AtomicLong lastAnswer = new AtomicLong(start);
        long deadline = start + bound.toNanos();
        long stall = stallBound(bound).toNanos();
        int issued = 0;
        boolean timedOut = false;
        boolean stalled = false;
        try {
            while (issued < count) {
                long now = System.nanoTime();
                if (now - deadline >= 0) {
                    timedOut = true;
                    break;
                }
                if (!permits.tryAcquire(Math.min(deadline - now, STEP_NANOS), TimeUnit.NANOSECONDS)) {
                    if (System.nanoTime() - lastAnswer.get() > stall) {
                        stalled = true;
                        break;
                    }
                    continue;
                }
                long issuedAt = System.nanoTime();
                issued++;
                try {
                    call.start(issued - 1, deadline, error -> {
                        long at = System.nanoTime();
                        if (error == null) {
                            latencies.recordValue(at - issuedAt);
                            succeeded.incrementAndGet();
                        }
                        else {
                            failed.incrementAndGet();
                            firstError.compareAndSet(null, error);
                        }
                        lastAnswer.accumulateAndGet(at, Math::max);
                        permits.release();
                    });
                }
                catch (RuntimeException ex) {
                    failed.incrementAndGet();
                    firstError.compareAndSet(null, "call threw " + ex);
                    permits.release();
                }
            }
            // every permit back means every call answered
            long giveUp = Math.max(deadline, System.nanoTime()) + DRAIN_GRACE.toNanos();
            while (!stalled && !permits.tryAcquire(window, STEP_NANOS, TimeUnit.NANOSECONDS)) {
                long now = System.nanoTime();
                if (now - lastAnswer.get() > stall) {
                    stalled = true;
                }
                else if (now - giveUp >= 0) {
                    timedOut = true;
                    break;
                }
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            timedOut = true;
        }
        // a snapshot: answers arriving after this do not change the report
        long ok = succeeded.get();
        long bad = failed.get();
        Histogram snapshot = latencies.copy();
        return new PhaseResult(count, ok, bad, Math.max(0, issued - ok - bad), lastAnswer.get() - start, snapshot,
                timedOut, stalled, firstError.get(), meter.cpuNanos(), meter.allocatedBytes());
    }
}
