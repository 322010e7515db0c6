package io.voidrail.benchmarks;

import org.jspecify.annotations.Nullable;

/** One setup measured in a run: starts what it needs, warms up, measures, and closes everything. */
interface Scenario {

    String name();

    String description();

    /** Why it cannot run on this machine (a full run skips it), or {@code null}. */
    default @Nullable String unavailable() {
        return null;
    }

    /** Runs warm-up and measured phases; bounded by {@link BenchmarkOptions#maxSeconds()} per phase. */
    ScenarioResult run(BenchmarkOptions options) throws Exception;
}
