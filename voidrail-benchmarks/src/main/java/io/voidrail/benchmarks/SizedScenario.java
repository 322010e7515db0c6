package io.voidrail.benchmarks;

/**
 * Another scenario with a fixed payload and fewer calls ({@link BenchmarkOptions#withPayload}): the 64 KiB and 1 MiB
 * echoes, where the bytes moved rather than the calls made set the pace.
 */
final class SizedScenario implements Scenario {

    private final Scenario inner;
    private final int payloadBytes;
    private final int callsDivisor;

    SizedScenario(Scenario inner, int payloadBytes, int callsDivisor) {
        this.inner = inner;
        this.payloadBytes = payloadBytes;
        this.callsDivisor = callsDivisor;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public String description() {
        return inner.description() + "; " + (payloadBytes >= 1024 * 1024 ? payloadBytes / (1024 * 1024) + " MiB"
                : payloadBytes / 1024 + " KiB") + " payload, 1/" + callsDivisor + " of the calls";
    }

    @Override
    public ScenarioResult run(BenchmarkOptions options) throws Exception {
        return inner.run(options.withPayload(payloadBytes, callsDivisor));
    }
}
