package io.voidrail.benchmarks;

/**
 * {@code --processes N}: a router JVM and N dealer JVMs (FIFO, one slot each, as deployed), loaded by this JVM's
 * client: every hop crosses processes, as in production, and the figures compare with the Python original's
 * deployment measured the same way ({@code BENCHMARKS.md}).
 */
final class ProcessesScenario implements Scenario {

    static final String NAME = "voidrail-processes";

    private final int dealers;
    private final boolean inline;

    ProcessesScenario(int dealers, boolean inline) {
        this.dealers = dealers;
        this.inline = inline;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "VoidRail FIFO: router and " + dealers + " one-slot dealers, each its own JVM; this JVM's client";
    }

    @Override
    public ScenarioResult run(BenchmarkOptions options) throws Exception {
        try (ProcessDeployment deployment = ProcessDeployment.start(dealers, inline)) {
            ScenarioResult result = VoidRailScenario.remote(NAME, deployment.address()).run(options);
            return new ScenarioResult(NAME, description(), result.measured(), result.warmup(), result.setupError(),
                    result.diagnosis(), result.roundsCallsPerSecond());
        }
    }
}
