package io.voidrail.benchmarks;

/** One setup measured in a run: starts what it needs, warms up, measures, and closes everything. */
interface Scenario {

    String name();

    String description();

    /** Runs warm-up and measured phases; bounded by {@link BenchmarkOptions#maxSeconds()} per phase. */
    ScenarioResult run(BenchmarkOptions options) throws Exception;
}
