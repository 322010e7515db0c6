package io.voidrail.benchmarks;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;

/**
 * What one phase (warm-up or measured) of a scenario did.
 *
 * @param requested calls the phase was asked to make
 * @param succeeded calls answered with the expected result
 * @param failed calls answered with an error or a wrong result
 * @param abandoned calls issued but unanswered when the phase gave up (only after its time bound)
 * @param elapsedNanos first send to last answer
 * @param latencies successful calls, nanoseconds from issue to the caller seeing the result
 * @param stoppedByTimeLimit whether the time bound ended the phase before every call was made and answered
 * @param stalled whether the phase stopped because no call was answered for a long while (see
 *        {@link WindowedLoad#stallBound}) although calls were in flight
 * @param firstError the first failure, for the report
 * @param cpuNanos CPU time of the whole process (every thread: client, router, dealers, JIT, GC) during the
 *        phase, or -1 when the JVM does not tell; with {@code --clients}, the sum over the client
 *        processes
 * @param allocatedBytes heap bytes the process allocated during the phase ({@link ProcessMeter}), or -1 when
 *        unknown; with {@code --clients}, the sum over the client processes
 */
public record PhaseResult(int requested, long succeeded, long failed, long abandoned, long elapsedNanos,
        Histogram latencies, boolean stoppedByTimeLimit, boolean stalled, @Nullable String firstError, long cpuNanos,
        long allocatedBytes) {

    public double seconds() {
        return elapsedNanos / 1e9;
    }

    /** Successful calls per second. */
    public double throughput() {
        return elapsedNanos <= 0 ? 0 : succeeded * 1e9 / elapsedNanos;
    }

    /** Whether every requested call succeeded within the bound. */
    public boolean complete() {
        return succeeded == requested && failed == 0 && abandoned == 0 && !stoppedByTimeLimit && !stalled;
    }

    /**
     * Process CPU microseconds per successful call (of every role in this process; of the load clients only when
     * the other roles are processes of their own), or -1. Less sensitive than calls/s to other load on the machine.
     */
    public double cpuMicrosPerCall() {
        return cpuNanos < 0 || succeeded == 0 ? -1 : cpuNanos / 1_000.0 / succeeded;
    }

    /**
     * Heap bytes allocated per successful call by the process (every role in it, as {@link #cpuMicrosPerCall}), or
     * -1: what the garbage collector has to take back per call.
     */
    public double allocatedBytesPerCall() {
        return allocatedBytes < 0 || succeeded == 0 ? -1 : (double) allocatedBytes / succeeded;
    }

    /** Whether every call made was answered correctly (the time bound may have cut the phase short). */
    public boolean healthy() {
        return failed == 0 && abandoned == 0 && !stalled;
    }

    /** A latency percentile in microseconds (0 when nothing succeeded). */
    public double percentileMicros(double percentile) {
        return latencies.getTotalCount() == 0 ? 0 : latencies.getValueAtPercentile(percentile) / 1_000.0;
    }

    public double maxMicros() {
        return latencies.getTotalCount() == 0 ? 0 : latencies.getMaxValue() / 1_000.0;
    }

    public double meanMicros() {
        return latencies.getTotalCount() == 0 ? 0 : latencies.getMean() / 1_000.0;
    }

    /**
     * The phases of clients that ran side by side over the same interval ({@code --clients}) as one: counts, CPU,
     * allocation and latencies add up, the interval is the longest, and the first error found is kept.
     */
    static PhaseResult merge(List<PhaseResult> phases) {
        if (phases.isEmpty()) {
            throw new IllegalArgumentException("Nothing to merge");
        }
        Histogram latencies = newHistogram();
        int requested = 0;
        long succeeded = 0;
        long failed = 0;
        long abandoned = 0;
        long elapsed = 0;
        long cpu = 0;
        long allocated = 0;
        boolean timedOut = false;
        boolean stalled = false;
        @Nullable String firstError = null;
        for (PhaseResult phase : phases) {
            latencies.add(phase.latencies());
            requested += phase.requested();
            succeeded += phase.succeeded();
            failed += phase.failed();
            abandoned += phase.abandoned();
            elapsed = Math.max(elapsed, phase.elapsedNanos());
            cpu = sumOrUnknown(cpu, phase.cpuNanos());
            allocated = sumOrUnknown(allocated, phase.allocatedBytes());
            timedOut |= phase.stoppedByTimeLimit();
            stalled |= phase.stalled();
            if (firstError == null) {
                firstError = phase.firstError();
            }
        }
        return new PhaseResult(requested, succeeded, failed, abandoned, elapsed, latencies, timedOut, stalled,
                firstError, cpu, allocated);
    }

    private static long sumOrUnknown(long sum, long value) {
        return sum < 0 || value < 0 ? -1 : sum + value;
    }

    static Histogram newHistogram() {
        // auto-resizing, 3 significant digits: exact enough for percentiles, fixed memory for any count
        Histogram histogram = new org.HdrHistogram.ConcurrentHistogram(TimeUnit.MILLISECONDS.toNanos(1), 3);
        histogram.setAutoResize(true);
        return histogram;
    }
}
