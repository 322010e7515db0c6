package io.voidrail.benchmarks;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Runs the scenarios one after the other in one JVM, prints a table and writes
 * {@code benchmark-results.json}. Every scenario binds 127.0.0.1 with an ephemeral port, makes a fixed
 * number of calls within a time bound, and closes what it started.
 *
 * <pre>
 * mvn -q -pl voidrail-benchmarks -am package -DskipTests
 * java -jar voidrail-benchmarks/target/voidrail-benchmarks.jar --calls 20000 --window 64
 * </pre>
 *
 * Exit status: 0 when every call made was answered correctly (a scenario that the time bound cut short
 * reports the calls it made), 1 when a scenario failed to start or a call failed or went unanswered
 * (the report still shows what was done), 2 for bad options.
 */
public final class LoadGenerator {

    private final BenchmarkOptions options;
    private final PrintStream out;

    public LoadGenerator(BenchmarkOptions options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    public static void main(String[] args) {
        BenchmarkOptions options;
        try {
            options = BenchmarkOptions.parse(args);
            Scenarios.select(options.scenarios());
        }
        catch (BenchmarkOptions.HelpRequested help) {
            System.out.print(BenchmarkOptions.usage());
            return;
        }
        catch (IllegalArgumentException ex) {
            System.err.println(ex.getMessage());
            System.err.print(BenchmarkOptions.usage());
            System.exit(2);
            return;
        }
        Report report = new LoadGenerator(options, System.out).run();
        System.exit(report.allHealthy() ? 0 : 1);
    }

    /** Runs every selected scenario, prints the table and writes the JSON report. */
    public Report run() {
        Instant startedAt = Instant.now();
        String load = loadAverage();
        out.printf(Locale.ROOT, "VoidRail load generator: %d calls per scenario, window %d, payload %d bytes, "
                + "warm-up %d calls, at most %d s per phase, %d round(s)%n", options.calls(), options.window(),
                options.payloadBytes(), options.warmupCalls(), options.maxSeconds().toSeconds(), options.rounds());
        out.printf(Locale.ROOT, "Java %s on %d CPUs, %s %s%s%n%n", System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"), System.getProperty("os.arch"),
                load == null ? "" : ", load average " + load);
        List<Scenario> scenarios = new ArrayList<>();
        for (Scenario scenario : selected()) {
            String why = scenario.unavailable();
            // one asked for by name runs anyway, and fails saying why
            if (why != null && options.scenarios().isEmpty()) {
                out.printf(Locale.ROOT, "  %-22s skipped: %s%n", scenario.name(), why);
            }
            else {
                scenarios.add(scenario);
            }
        }
        Map<String, List<ScenarioResult>> rounds = new LinkedHashMap<>();
        for (int round = 1; round <= options.rounds(); round++) {
            if (options.rounds() > 1) {
                out.printf(Locale.ROOT, "round %d of %d%n", round, options.rounds());
            }
            for (Scenario scenario : scenarios) {
                out.printf(Locale.ROOT, "  %-22s %s ... ", scenario.name(), scenario.description());
                out.flush();
                ScenarioResult result;
                try {
                    result = scenario.run(options);
                }
                catch (Exception ex) {
                    result = ScenarioResult.failed(scenario, ex);
                }
                rounds.computeIfAbsent(scenario.name(), name -> new ArrayList<>()).add(result);
                PhaseResult m = result.measured();
                out.println(m == null ? "failed: " + result.setupError()
                        : String.format(Locale.ROOT, "%.0f calls/s%s", m.throughput(), note(m)));
                // the next scenario should not pay for this one's garbage
                System.gc();
            }
        }
        List<ScenarioResult> results = new ArrayList<>();
        rounds.values().forEach(list -> results.add(ScenarioResult.median(list)));
        Report report = new Report(options, results, startedAt, load);
        out.println();
        out.print(report.table());
        out.println();
        out.print(Report.legend());
        Path written = report.write(options.output());
        out.println("JSON: " + written.toAbsolutePath().normalize());
        String line = report.resultLine();
        if (line != null) {
            out.println(line);
        }
        return report;
    }

    /** {@code --router}, {@code --processes} (either loaded by {@code --clients} JVMs), or the named scenarios. */
    private List<Scenario> selected() {
        String router = options.router();
        if (router != null) {
            return List.of(options.clients() > 0 ? ClientProcesses.remote(router, options.clients(), options.window())
                    : VoidRailScenario.remote(router));
        }
        if (options.processes() > 0) {
            return List.of(new ProcessesScenario(options.processes(), options.inline(), options.clients(),
                    options.window()));
        }
        return Scenarios.select(options.scenarios());
    }

    private static String note(PhaseResult m) {
        if (m.failed() > 0 || m.abandoned() > 0 || m.stalled()) {
            return String.format(Locale.ROOT, " (%d failed, %d unanswered%s)", m.failed(), m.abandoned(),
                    m.stalled() ? ", STALLED" : "");
        }
        return m.complete() ? "" : String.format(Locale.ROOT, " (time bound: %d of %d calls)", m.succeeded(), m.requested());
    }

    /** The 1, 5 and 15 minute load averages where the OS tells them: a busy machine explains odd numbers. */
    static @Nullable String loadAverage() {
        try {
            Path file = Path.of("/proc/loadavg");
            if (Files.isReadable(file)) {
                String[] parts = Files.readString(file).trim().split("\\s+");
                if (parts.length >= 3) {
                    return parts[0] + " " + parts[1] + " " + parts[2];
                }
            }
        }
        catch (Exception ex) {
            // not Linux, or not allowed: the report says nothing about load
        }
        double average = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return average < 0 ? null : String.format(Locale.ROOT, "%.2f", average);
    }
}
