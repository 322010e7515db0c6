package io.voidrail.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

/** What a {@code --clients} client JVM tells its parent, and how the parent makes one result of them. */
class ClientProcessesTests {

    private static final long US = 1_000;

    @Test
    void mergedPhasesAddCountsLatenciesCpuAndAllocationOverTheLongestInterval() {
        PhaseResult first = phase(3, 3, 0, 0, 1_000_000_000L, 10_000_000L, null, false, 100, 200, 300);
        PhaseResult second = phase(2, 1, 1, 0, 2_000_000_000L, 5_000_000L, "IllegalStateException: boom", true, 5_000);

        PhaseResult merged = PhaseResult.merge(List.of(first, second));

        assertThat(merged.requested()).isEqualTo(5);
        assertThat(merged.succeeded()).isEqualTo(4);
        assertThat(merged.failed()).isEqualTo(1);
        assertThat(merged.abandoned()).isZero();
        assertThat(merged.elapsedNanos()).as("the clients ran side by side: the longest").isEqualTo(2_000_000_000L);
        assertThat(merged.throughput()).isEqualTo(2.0);
        assertThat(merged.latencies().getTotalCount()).isEqualTo(4);
        assertThat(merged.percentileMicros(50)).isBetween(199.0, 201.0);
        assertThat(merged.maxMicros()).isBetween(4_990.0, 5_010.0);
        assertThat(merged.cpuNanos()).isEqualTo(15_000_000L);
        assertThat(merged.allocatedBytes()).isEqualTo(150_000_000L);
        assertThat(merged.allocatedBytesPerCall()).isEqualTo(37_500_000.0);
        assertThat(merged.firstError()).isEqualTo("IllegalStateException: boom");
        assertThat(merged.stalled()).isTrue();
        assertThat(merged.stoppedByTimeLimit()).isFalse();
        assertThat(first.latencies().getTotalCount()).as("the parts are left as they were").isEqualTo(3);
        PhaseResult unknown = PhaseResult.merge(List.of(first, phase(1, 1, 0, 0, 1, -1, null, false, 1)));
        assertThat(unknown.cpuNanos()).as("one client's unknown CPU makes the sum unknown").isEqualTo(-1);
        assertThat(unknown.allocatedBytes()).as("and its unknown allocation too").isEqualTo(-1);
        assertThat(unknown.allocatedBytesPerCall()).isEqualTo(-1);
    }

    @Test
    void aPhaseLineRoundTripsCountsErrorAndEveryLatency() {
        String error = "TimeoutException: no answer from dealer-1\nafter 3 s = too late";
        PhaseResult phase = new PhaseResult(7, 5, 1, 1, 123_456_789L, latencies(IntStream.rangeClosed(1, 5)
                .map(i -> i * 1_000).toArray()), true, true, error, 42_000L, 1_234_567L);

        String line = PhaseLines.encode(phase);
        PhaseResult decoded = PhaseLines.decode(line);

        assertThat(line).doesNotContain("\n").doesNotContain("no answer");
        assertThat(decoded.requested()).isEqualTo(7);
        assertThat(decoded.succeeded()).isEqualTo(5);
        assertThat(decoded.failed()).isEqualTo(1);
        assertThat(decoded.abandoned()).isEqualTo(1);
        assertThat(decoded.elapsedNanos()).isEqualTo(123_456_789L);
        assertThat(decoded.stoppedByTimeLimit()).isTrue();
        assertThat(decoded.stalled()).isTrue();
        assertThat(decoded.cpuNanos()).isEqualTo(42_000L);
        assertThat(decoded.allocatedBytes()).isEqualTo(1_234_567L);
        assertThat(decoded.firstError()).isEqualTo(error);
        assertThat(decoded.latencies()).isEqualTo(phase.latencies());
        assertThat(decoded.percentileMicros(50)).isEqualTo(phase.percentileMicros(50));
        PhaseResult clean = PhaseLines.decode(PhaseLines.encode(phase(1, 1, 0, 0, 9, 8, null, false, 77)));
        assertThat(clean.firstError()).isNull();
        assertThat(clean.stalled()).isFalse();
        assertThat(clean.latencies().getTotalCount()).isEqualTo(1);
        assertThat(PhaseLines.decode(PhaseLines.encode(phase(1, 0, 1, 0, 9, 8, "", false))).firstError()).isEmpty();
        assertThatIllegalArgumentException().isThrownBy(() -> PhaseLines.decode("requested=1 succeeded=1"))
                .withMessageContaining("Not a phase line");
    }

    @Test
    void theWindowAndTheCallsSplitIntoPartsThatAddUp() {
        assertThat(IntStream.range(0, 4).map(i -> ClientProcesses.share(10, 4, i)).toArray()).containsExactly(3, 3, 2, 2);
        assertThat(IntStream.range(0, 3).map(i -> ClientProcesses.share(3, 3, i)).toArray()).containsExactly(1, 1, 1);
        assertThat(ClientProcesses.describe(4, 16)).startsWith("4 client JVMs, 4 calls in flight each");
        assertThat(ClientProcesses.describe(4, 10)).startsWith("4 client JVMs, 2-3 calls in flight each");
        assertThat(ClientProcesses.describe(1, 5)).startsWith("1 client JVM, 5 calls in flight each");
        assertThat(ClientProcesses.describe(2, 2)).startsWith("2 client JVMs, 1 call in flight each");
    }

    /** A JVM agent's lines before the protocol's are passed on; a child that ends without the line is an error. */
    @Test
    void aChildsOtherLinesAreSkippedAndItsSilenceIsAnError() throws Exception {
        ChildJvm child = new ChildJvm("noisy", new ProcessBuilder("sh", "-c",
                "echo 'Picked up JAVA_TOOL_OPTIONS: -Xint'; echo 'WARMEDX'; echo 'WARMED some data'; echo READY").start());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try {
            ChildJvm.Said warmed = child.await(deadline, ProcessRoles.WARMED, ProcessRoles.FAILED);
            assertThat(warmed).isEqualTo(new ChildJvm.Said("WARMED", "some data"));
            assertThat(child.await(deadline, ProcessRoles.READY)).isEqualTo(new ChildJvm.Said("READY", ""));
            assertThatIllegalStateException().isThrownBy(() -> child.await(deadline, ProcessRoles.MEASURED))
                    .withMessage("The noisy process ended before it said MEASURED");
        }
        finally {
            ChildJvm.closeAll(List.of(child));
        }
        // quiet until its input ends, as the roles are
        ChildJvm silent = new ChildJvm("silent", new ProcessBuilder("sh", "-c", "cat > /dev/null").start());
        try {
            assertThatIllegalStateException().isThrownBy(() -> silent.await(System.nanoTime()
                    + TimeUnit.MILLISECONDS.toNanos(200), ProcessRoles.READY))
                    .withMessage("The silent process did not say READY in time");
            silent.send(ProcessRoles.GO);
        }
        finally {
            ChildJvm.closeAll(List.of(silent));
        }
        assertThat(ProcessHandle.of(silent.pid()).map(ProcessHandle::isAlive).orElse(false))
                .as("closing ends the child's input, which ends it").isFalse();
    }

    /** A phase that allocated ten bytes per nanosecond of CPU (unknown when its CPU is). */
    private static PhaseResult phase(int requested, long succeeded, long failed, long abandoned, long elapsed, long cpu,
            String error, boolean stalled, int... micros) {
        return new PhaseResult(requested, succeeded, failed, abandoned, elapsed, latencies(micros), false, stalled,
                error, cpu, cpu < 0 ? -1 : cpu * 10);
    }

    private static Histogram latencies(int... micros) {
        Histogram histogram = PhaseResult.newHistogram();
        for (int value : micros) {
            histogram.recordValue(value * US);
        }
        return histogram;
    }
}
