package io.voidrail.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class PyZmqBaselineTests {

    @Test
    void theScriptsLastLineBecomesAPhaseWithItsLatencies() {
        String output = "some log line\n{\"calls\": 4, \"failed\": 0, \"seconds\": 0.5, \"stopped_by_time_limit\": false, "
                + "\"latencies_us\": [100.0, 200.0, 300.0, 4000.0]}\n";

        PhaseResult phase = PyZmqBaseline.phase(output.getBytes(StandardCharsets.UTF_8), 5);

        assertThat(phase.requested()).isEqualTo(5);
        assertThat(phase.succeeded()).isEqualTo(4);
        assertThat(phase.abandoned()).as("asked 5, answered 4, no time limit: one unanswered").isEqualTo(1);
        assertThat(phase.throughput()).isEqualTo(8.0);
        assertThat(phase.percentileMicros(50)).isBetween(199.0, 201.0);
        assertThat(phase.maxMicros()).isBetween(3990.0, 4010.0);
        assertThat(phase.cpuMicrosPerCall()).as("the Python processes' CPU is not this JVM's").isEqualTo(-1);
        assertThat(phase.healthy()).isFalse();
    }
}
