package io.voidrail.benchmarks;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * One scenario's outcome.
 *
 * @param measured the measured phase, or {@code null} when setup failed
 * @param warmup the warm-up phase, or {@code null} when none ran
 * @param setupError why the scenario could not run
 * @param diagnosis what the components said when a phase stalled or left calls unanswered
 * @param roundsCallsPerSecond calls/s of every round run (one entry per round), in run order
 */
public record ScenarioResult(String name, String description, @Nullable PhaseResult measured,
        @Nullable PhaseResult warmup, @Nullable String setupError, @Nullable String diagnosis,
        List<Double> roundsCallsPerSecond) {

    public ScenarioResult {
        roundsCallsPerSecond = List.copyOf(roundsCallsPerSecond);
    }

    ScenarioResult(String name, String description, PhaseResult measured, @Nullable PhaseResult warmup) {
        this(name, description, measured, warmup, null, null, List.of(measured.throughput()));
    }

    static ScenarioResult failed(Scenario scenario, Throwable error) {
        return new ScenarioResult(scenario.name(), scenario.description(), null, null, String.valueOf(error), null,
                List.of(0.0));
    }

    /** The warm-up went wrong, so the measured phase was not run. */
    static ScenarioResult warmupFailed(String name, String description, PhaseResult warmup) {
        String error = String.format(java.util.Locale.ROOT,
                "warm-up %s: %d of %d calls answered, %d failed, %d unanswered%s; measured phase skipped",
                warmup.stalled() ? "STALLED" : "failed", warmup.succeeded(), warmup.requested(), warmup.failed(),
                warmup.abandoned(), warmup.firstError() == null ? "" : "; first error: " + warmup.firstError());
        return new ScenarioResult(name, description, null, warmup, error, null, List.of(0.0));
    }

    ScenarioResult withDiagnosis(@Nullable String text) {
        return new ScenarioResult(name, description, measured, warmup, setupError, text, roundsCallsPerSecond);
    }

    /**
     * One result for several rounds of the same scenario: the round with the median calls/s (a round with
     * failed or unanswered calls counts as 0 calls/s, so two bad rounds out of three make the result bad).
     */
    static ScenarioResult median(List<ScenarioResult> rounds) {
        List<ScenarioResult> sorted = new ArrayList<>(rounds);
        sorted.sort(Comparator.comparingDouble(ScenarioResult::score));
        ScenarioResult chosen = sorted.get((sorted.size() - 1) / 2);
        List<Double> all = rounds.stream().map(r -> r.measured() == null ? 0.0 : r.measured().throughput()).toList();
        return new ScenarioResult(chosen.name(), chosen.description(), chosen.measured(), chosen.warmup(),
                chosen.setupError(), chosen.diagnosis(), all);
    }

    private double score() {
        return healthy() ? measured.throughput() : 0.0;
    }

    /** Whether the measured phase made every requested call, all correct, within the bound. */
    public boolean complete() {
        return measured != null && measured.complete();
    }

    /**
     * Whether every call made was answered correctly: true also for a phase the time bound cut short (it
     * reports the calls it made), false for a failed setup, a failed call or a call left unanswered.
     */
    public boolean healthy() {
        return measured != null && measured.healthy();
    }
}
