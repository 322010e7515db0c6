package io.voidrail.benchmarks;

/**
 * {@code --processes N}: a router JVM and N dealer JVMs (FIFO, one slot each, as deployed), loaded by this JVM's
 * client, or with {@code --clients K} by K client JVMs ({@link ClientProcesses}): every hop crosses processes, as in
 * production, and the figures compare with the Python original's deployment measured the same way
 * ({@code BENCHMARKS.md}).
 */
final class ProcessesScenario implements Scenario {

    static final String NAME = "voidrail-processes";

    private final int dealers;
    private final boolean inline;
    /** Client JVMs; 0: this JVM's client. */
    private final int clients;
    /** Calls in flight in all (for the description). */
    private final int window;

    ProcessesScenario(int dealers, boolean inline, int clients, int window) {
        this.dealers = dealers;
        this.inline = inline;
        this.clients = clients;
        this.window = window;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "VoidRail FIFO: router and " + dealers + " one-slot dealers, each its own JVM; "
                + (clients == 0 ? "this JVM's client" : ClientProcesses.describe(clients, window));
    }

    @Override
    public ScenarioResult run(BenchmarkOptions options) throws Exception {
        try (ProcessDeployment deployment = ProcessDeployment.start(dealers, inline)) {
            Scenario load = clients == 0 ? VoidRailScenario.remote(NAME, deployment.address())
                    : new ClientProcesses(NAME, description(), deployment.address(), clients);
            ScenarioResult result = load.run(options);
            return new ScenarioResult(NAME, description(), result.measured(), result.warmup(), result.setupError(),
                    result.diagnosis(), result.roundsCallsPerSecond());
        }
    }
}
