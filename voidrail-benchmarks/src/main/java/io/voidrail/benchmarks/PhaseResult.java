package io.voidrail.benchmarks;

import java.lang.management.ManagementFactory;
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
 *        phase, or -1 when the JVM does not tell
 */
public record PhaseResult(int requested, long succeeded, long failed, long abandoned, long elapsedNanos,
        Histogram latencies, boolean stoppedByTimeLimit, boolean stalled, @Nullable String firstError, long cpuNanos) {

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
     * Process CPU microseconds per successful call (all roles are in this process), or -1. Less sensitive
     * than calls/s to other load on the machine.
     */
    public double cpuMicrosPerCall() {
        return cpuNanos < 0 || succeeded == 0 ? -1 : cpuNanos / 1_000.0 / succeeded;
    }

    /** CPU time the whole process has used so far, or -1 when unknown. */
    static long processCpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
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

    static Histogram newHistogram() {
        // auto-resizing, 3 significant digits: exact enough for percentiles, fixed memory for any count
        Histogram histogram = new org.HdrHistogram.ConcurrentHistogram(TimeUnit.MILLISECONDS.toNanos(1), 3);
        histogram.setAutoResize(true);
        return histogram;
    }
}
