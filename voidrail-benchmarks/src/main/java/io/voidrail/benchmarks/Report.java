package io.voidrail.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;

import io.voidrail.codec.JsonCodec;
import tools.jackson.databind.node.ObjectNode;

/**
 * A run's results: a text table for people and JSON for tools. Ratios compare each scenario with the
 * baseline: throughput ratio below 1 and latency ratios above 1 mean slower than the baseline.
 */
public record Report(BenchmarkOptions options, List<ScenarioResult> results, Instant startedAt,
        @Nullable String loadAverageAtStart) {

    public @Nullable ScenarioResult baseline() {
        return results.stream().filter(r -> r.name().equals(Scenarios.BASELINE) && r.measured() != null)
                .findFirst().orElse(null);
    }

    /** The measured baseline of {@code name} ({@link Scenarios#baselineOf}), else the overall one, if it ran. */
    @Nullable PhaseResult baselineFor(String name) {
        ScenarioResult own = result(Scenarios.baselineOf(name));
        if (own != null && own.measured() != null) {
            return own.measured();
        }
        return baseline() == null ? null : baseline().measured();
    }

    public @Nullable ScenarioResult result(String name) {
        return results.stream().filter(r -> r.name().equals(name)).findFirst().orElse(null);
    }

    public boolean allComplete() {
        return results.stream().allMatch(ScenarioResult::complete);
    }

    /** No failed setup, failed call or unanswered call (a scenario cut short by the time bound is fine). */
    public boolean allHealthy() {
        return results.stream().allMatch(ScenarioResult::healthy);
    }

    /** The table printed at the end of a run. */
    public String table() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%-22s %7s %6s %8s %9s %8s %8s %8s %8s %8s %8s %6s %6s %6s%n", "scenario",
                "calls", "errors", "seconds", "calls/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "cpu us", "alloc kB",
                "thr x", "p50 x", "p99 x"));
        for (ScenarioResult result : results) {
            PhaseResult m = result.measured();
            PhaseResult base = baselineFor(result.name());
            if (m == null) {
                out.append(String.format(Locale.ROOT, "%-22s FAILED TO RUN: %s%n", result.name(), result.setupError()));
                continue;
            }
            out.append(String.format(Locale.ROOT, "%-22s %7d %6d %8.2f %9.0f %8.2f %8.2f %8.2f %8.2f %8s %8s %6s %6s %6s%n",
                    result.name(), m.succeeded(), m.failed() + m.abandoned(), m.seconds(), m.throughput(),
                    m.percentileMicros(50) / 1000, m.percentileMicros(90) / 1000, m.percentileMicros(99) / 1000,
                    m.maxMicros() / 1000,
                    m.cpuMicrosPerCall() < 0 ? "-" : String.format(Locale.ROOT, "%.0f", m.cpuMicrosPerCall()),
                    m.allocatedBytesPerCall() < 0 ? "-"
                            : String.format(Locale.ROOT, "%.1f", m.allocatedBytesPerCall() / 1024),
                    ratioText(base == null ? null : ratio(m.throughput(), base.throughput())),
                    ratioText(base == null ? null : ratio(m.percentileMicros(50), base.percentileMicros(50))),
                    ratioText(base == null ? null : ratio(m.percentileMicros(99), base.percentileMicros(99)))));
        }
        for (ScenarioResult result : results) {
            PhaseResult m = result.measured();
            if (m != null && !m.complete()) {
                out.append(String.format(Locale.ROOT, "! %s: %d of %d calls succeeded, %d failed, %d unanswered%s%s%n",
                        result.name(), m.succeeded(), m.requested(), m.failed(), m.abandoned(), why(m),
                        m.firstError() != null ? "; first error: " + m.firstError() : ""));
            }
            if (result.diagnosis() != null) {
                out.append("  ").append(result.name()).append(": ").append(result.diagnosis()).append(System.lineSeparator());
            }
        }
        return out.toString();
    }

    private String why(PhaseResult m) {
        if (m.stalled()) {
            return "; STALLED: no answer for " + WindowedLoad.stallBound(options.maxSeconds()).toSeconds()
                    + " s with calls in flight";
        }
        return m.stoppedByTimeLimit() ? "; stopped by --max-seconds " + options.maxSeconds().toSeconds() : "";
    }

    /** The legend printed under the table. */
    public static String legend() {
        return """
                calls = successful measured calls; errors = failed + unanswered; latency (ms) = issue to result, per call;
                cpu us = CPU time (JIT, GC included) per successful call of the client's process (all roles in one JVM;
                         only the client with --processes or --router; the client JVMs together with --clients).
                alloc kB = heap allocated per successful call by the same process(es), in KiB: what its GC collects.
                thr x = calls/s relative to the raw baseline (jeromq-raw-1slot for *-1slot scenarios, else jeromq-raw; below 1 = slower);
                p50 x, p99 x = latency relative to that baseline (above 1 = slower).
                """;
    }

    /**
     * One machine-readable line for the headline comparison ({@link Scenarios#HEADLINE} against its baseline), or
     * {@code null} when it did not run.
     */
    public @Nullable String resultLine() {
        // the headline, or the one scenario of a --router run
        ScenarioResult headline = result(Scenarios.HEADLINE);
        if (headline == null && !results.isEmpty()) {
            headline = results.get(0);
        }
        PhaseResult m = headline == null ? null : headline.measured();
        if (m == null) {
            return null;
        }
        ScenarioResult own = result(Scenarios.baselineOf(headline.name()));
        PhaseResult base = own == null ? null : own.measured();
        return String.format(Locale.ROOT, "RESULT scenario=%s rps=%.0f p50_us=%.0f p99_us=%.0f baseline=%s ratio_rps=%s "
                + "ratio_p50=%s ratio_p99=%s", headline.name(), m.throughput(), m.percentileMicros(50),
                m.percentileMicros(99), base == null ? "-" : Scenarios.baselineOf(headline.name()),
                ratioText(base == null ? null : ratio(m.throughput(), base.throughput())),
                ratioText(base == null ? null : ratio(m.percentileMicros(50), base.percentileMicros(50))),
                ratioText(base == null ? null : ratio(m.percentileMicros(99), base.percentileMicros(99))));
    }

    public ObjectNode toJson() {
        JsonCodec codec = JsonCodec.defaults();
        ObjectNode root = codec.object();
        root.put("started_at", startedAt.toString());
        root.put("baseline", Scenarios.BASELINE);
        ObjectNode env = root.putObject("environment");
        env.put("java", System.getProperty("java.version"));
        env.put("vm", System.getProperty("java.vm.name"));
        env.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        env.put("cpus", Runtime.getRuntime().availableProcessors());
        env.put("max_heap_mb", Runtime.getRuntime().maxMemory() / (1024 * 1024));
        if (loadAverageAtStart != null) {
            env.put("load_average_at_start", loadAverageAtStart);
        }
        ObjectNode opts = root.putObject("options");
        opts.put("calls", options.calls());
        opts.put("window", options.window());
        opts.put("payload_bytes", options.payloadBytes());
        opts.put("warmup_calls", options.warmupCalls());
        opts.put("max_seconds", options.maxSeconds().toSeconds());
        opts.put("rounds", options.rounds());
        Payloads payloads = new Payloads(options.payloadBytes());
        opts.put("request_json_bytes", payloads.requestTemplate.length);
        opts.put("reply_json_bytes", payloads.replyTemplate.length);
        var list = root.putArray("scenarios");
        for (ScenarioResult result : results) {
            ObjectNode node = list.addObject();
            node.put("name", result.name());
            node.put("description", result.description());
            node.put("complete", result.complete());
            node.put("healthy", result.healthy());
            if (result.setupError() != null) {
                node.put("setup_error", result.setupError());
            }
            if (result.diagnosis() != null) {
                node.put("diagnosis", result.diagnosis());
            }
            PhaseResult m = result.measured();
            if (m == null) {
                continue;
            }
            node.put("requested_calls", m.requested());
            node.put("calls", m.succeeded());
            node.put("failed", m.failed());
            node.put("unanswered", m.abandoned());
            node.put("stopped_by_time_limit", m.stoppedByTimeLimit());
            node.put("stalled", m.stalled());
            if (m.firstError() != null) {
                node.put("first_error", m.firstError());
            }
            node.put("seconds", round(m.seconds(), 4));
            node.put("calls_per_second", round(m.throughput(), 1));
            if (m.cpuMicrosPerCall() >= 0) {
                node.put("cpu_us_per_call", round(m.cpuMicrosPerCall(), 1));
            }
            if (m.allocatedBytesPerCall() >= 0) {
                node.put("allocated_bytes_per_call", round(m.allocatedBytesPerCall(), 0));
            }
            ObjectNode latency = node.putObject("latency_us");
            latency.put("p50", round(m.percentileMicros(50), 1));
            latency.put("p90", round(m.percentileMicros(90), 1));
            latency.put("p99", round(m.percentileMicros(99), 1));
            latency.put("p999", round(m.percentileMicros(99.9), 1));
            latency.put("max", round(m.maxMicros(), 1));
            latency.put("mean", round(m.meanMicros(), 1));
            PhaseResult base = baselineFor(result.name());
            if (base != null) {
                node.put("baseline", result(Scenarios.baselineOf(result.name())) != null
                        ? Scenarios.baselineOf(result.name()) : Scenarios.BASELINE);
                ObjectNode ratios = node.putObject("ratio_to_baseline");
                putRatio(ratios, "throughput", ratio(m.throughput(), base.throughput()));
                putRatio(ratios, "p50", ratio(m.percentileMicros(50), base.percentileMicros(50)));
                putRatio(ratios, "p99", ratio(m.percentileMicros(99), base.percentileMicros(99)));
            }
            if (result.roundsCallsPerSecond().size() > 1) {
                var all = node.putArray("rounds_calls_per_second");
                result.roundsCallsPerSecond().forEach(value -> all.add(round(value, 1)));
            }
            PhaseResult w = result.warmup();
            if (w != null) {
                ObjectNode warm = node.putObject("warmup");
                warm.put("calls", w.succeeded());
                warm.put("failed", w.failed() + w.abandoned());
                warm.put("seconds", round(w.seconds(), 4));
            }
        }
        return root;
    }

    public Path write(Path path) {
        try {
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            String json = JsonCodec.defaults().mapper().writerWithDefaultPrettyPrinter().writeValueAsString(toJson());
            Files.writeString(path, json + System.lineSeparator(), StandardCharsets.UTF_8);
            return path;
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot write the benchmark report to " + path, ex);
        }
    }

    private static @Nullable Double ratio(double value, double base) {
        return base > 0 && value > 0 ? value / base : null;
    }

    private static String ratioText(@Nullable Double ratio) {
        return ratio == null ? "-" : String.format(Locale.ROOT, "%.2f", ratio);
    }

    private static void putRatio(ObjectNode node, String name, @Nullable Double ratio) {
        if (ratio == null) {
            node.putNull(name);
        }
        else {
            node.put(name, round(ratio, 3));
        }
    }

    private static double round(double value, int digits) {
        double scale = Math.pow(10, digits);
        return Math.round(value * scale) / scale;
    }
}
