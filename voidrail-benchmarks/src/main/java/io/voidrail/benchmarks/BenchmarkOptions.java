package io.voidrail.benchmarks;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * What one run does. Each option comes from {@code --name value} (or {@code --name=value}) on the
 * command line, else from the system property {@code voidrail.bench.name}, else its default.
 *
 * @param calls measured calls per scenario
 * @param window calls in flight at once (the client never has more outstanding)
 * @param payloadBytes length of the echoed string (ASCII, so bytes)
 * @param warmupCalls unmeasured calls per scenario before the measured ones, same setup
 * @param maxSeconds hard bound for each phase (warm-up or measured) of each scenario; past it the
 *        scenario stops issuing, waits briefly for what is in flight, and reports what was done
 * @param rounds how many times the whole list runs; each scenario reports its median round by throughput
 * @param scenarios names to run, in run order; empty means all
 * @param output where the JSON report goes
 * @param router a running router to load with the project's client instead of the scenarios ({@code --router}),
 *        or {@code null}
 * @param processes instead of the scenarios, start a router and this many one-slot dealers as separate JVMs and load
 *        them ({@code --processes}); 0: none
 * @param inline whether VoidRail dealers run quick calls on their I/O thread ({@code --inline}, default true, as
 *        {@code ServiceDealer.Builder.inlineQuickCalls}); false measures the hand-off to a worker it saves
 * @param clients with {@code processes} or {@code router}: the load comes from this many client JVMs, the window and
 *        the calls split between them ({@code --clients}); 0: from this JVM's client
 * @param directCallbacks whether the clients complete calls on their I/O thread ({@code --direct-callbacks},
 *        {@code ClientDealer.Builder.callbackExecutor(Runnable::run)}); default false: on the callback pool
 */
public record BenchmarkOptions(int calls, int window, int payloadBytes, int warmupCalls, Duration maxSeconds,
        int rounds, List<String> scenarios, Path output, @Nullable String router, int processes,
        boolean inline, int clients, boolean directCallbacks) {

    public static final String PROPERTY_PREFIX = "voidrail.bench.";

    static final int DEFAULT_CALLS = 20_000;
    static final int DEFAULT_WINDOW = 64;
    static final int DEFAULT_PAYLOAD = 256;
    static final int DEFAULT_MAX_SECONDS = 30;
    static final int DEFAULT_WARMUP = 20_000;
    static final int QUICK_CALLS = 5_000;
    static final int QUICK_WARMUP = 3_000;
    static final int QUICK_MAX_SECONDS = 10;

    public BenchmarkOptions {
        if (calls < 1) {
            throw new IllegalArgumentException("--calls must be at least 1, was " + calls);
        }
        if (window < 1) {
            throw new IllegalArgumentException("--window must be at least 1, was " + window);
        }
        if (payloadBytes < 0) {
            throw new IllegalArgumentException("--payload must not be negative, was " + payloadBytes);
        }
        if (warmupCalls < 0) {
            throw new IllegalArgumentException("--warmup must not be negative, was " + warmupCalls);
        }
        if (rounds < 1) {
            throw new IllegalArgumentException("--rounds must be at least 1, was " + rounds);
        }
        if (processes < 0) {
            throw new IllegalArgumentException("--processes must not be negative, was " + processes);
        }
        if (clients < 0) {
            throw new IllegalArgumentException("--clients must not be negative, was " + clients);
        }
        if (maxSeconds.isNegative() || maxSeconds.isZero()) {
            throw new IllegalArgumentException("--max-seconds must be positive, was " + maxSeconds);
        }
        scenarios = List.copyOf(scenarios);
    }

    /**
     * The same run with another payload and {@code 1/divisor} of the calls (at least 10 measured), for the large-payload
     * scenarios: a million 1 MiB echoes would move two terabytes.
     */
    BenchmarkOptions withPayload(int bytes, int divisor) {
        return new BenchmarkOptions(Math.max(10, calls / divisor), window, bytes, warmupCalls / divisor, maxSeconds,
                rounds, scenarios, output, router, processes, inline, clients, directCallbacks);
    }

    /** Thrown for {@code --help}: the caller prints {@link #usage()} and stops. */
    static final class HelpRequested extends RuntimeException {
        HelpRequested() {
            super("help", null, false, false);
        }
    }

    public static BenchmarkOptions parse(String[] args) {
        return parse(args, System.getProperties());
    }

    static BenchmarkOptions parse(String[] args, Properties properties) {
        Properties values = new Properties();
        for (String name : properties.stringPropertyNames()) {
            if (name.startsWith(PROPERTY_PREFIX)) {
                values.setProperty(name.substring(PROPERTY_PREFIX.length()), properties.getProperty(name));
            }
        }
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                throw new HelpRequested();
            }
            if (arg.equals("--quick")) {
                values.setProperty("quick", "true");
                continue;
            }
            if (!arg.startsWith("--") || arg.length() == 2) {
                throw new IllegalArgumentException("Unexpected argument '" + arg + "' (see --help)");
            }
            String name = arg.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            else if (i + 1 < args.length) {
                value = args[++i];
            }
            else {
                throw new IllegalArgumentException("Option --" + name + " needs a value (see --help)");
            }
            values.setProperty(name, value);
        }
        Set<String> known = Set.of("calls", "window", "payload", "warmup", "max-seconds", "rounds", "scenarios",
                "output", "quick", "router", "processes", "inline", "clients",
                "direct-callbacks");
        for (String name : values.stringPropertyNames()) {
            if (!known.contains(name)) {
                throw new IllegalArgumentException("Unknown option --" + name + " (see --help)");
            }
        }
        boolean quick = Boolean.parseBoolean(values.getProperty("quick", "false"));
        int calls = intOption(values, "calls", quick ? QUICK_CALLS : DEFAULT_CALLS);
        int window = intOption(values, "window", DEFAULT_WINDOW);
        int payload = intOption(values, "payload", DEFAULT_PAYLOAD);
        // the JIT compiles for about 10 s at this load; a short warm-up measures the compiler as much as VoidRail
        int warmup = intOption(values, "warmup", Math.min(quick ? QUICK_WARMUP : DEFAULT_WARMUP, calls));
        int maxSeconds = intOption(values, "max-seconds", quick ? QUICK_MAX_SECONDS : DEFAULT_MAX_SECONDS);
        int rounds = intOption(values, "rounds", 1);
        List<String> scenarios = new ArrayList<>();
        String names = values.getProperty("scenarios");
        if (names != null && !names.isBlank()) {
            Set<String> unique = new LinkedHashSet<>();
            for (String name : names.split(",")) {
                if (!name.isBlank()) {
                    unique.add(name.trim());
                }
            }
            scenarios.addAll(unique);
        }
        String output = values.getProperty("output");
        String router = values.getProperty("router");
        if (router != null && !scenarios.isEmpty()) {
            throw new IllegalArgumentException("--router loads a running router; it takes no --scenarios");
        }
        int processes = intOption(values, "processes", 0);
        if (processes > 0 && (router != null || !scenarios.isEmpty())) {
            throw new IllegalArgumentException("--processes starts its own router and dealers; it takes no --router "
                    + "and no --scenarios");
        }
        int clients = intOption(values, "clients", 0);
        if (clients > 0 && processes == 0 && router == null) {
            throw new IllegalArgumentException("--clients starts client JVMs to load --processes or --router; "
                    + "give one of them");
        }
        if (clients > 0 && (window < clients || calls < clients)) {
            throw new IllegalArgumentException("--clients " + clients + " splits --window and --calls between the "
                    + "client JVMs: each needs at least " + clients + ", were " + window + " and " + calls);
        }
        return new BenchmarkOptions(calls, window, payload, warmup, Duration.ofSeconds(maxSeconds), rounds, scenarios,
                output != null ? Path.of(output) : defaultOutput(), router, processes,
                booleanOption(values, "inline", true), clients, booleanOption(values, "direct-callbacks", false));
    }

    private static boolean booleanOption(Properties values, String name, boolean fallback) {
        String value = values.getProperty(name, String.valueOf(fallback)).trim();
        if (!value.equals("true") && !value.equals("false")) {
            throw new IllegalArgumentException("--" + name + " needs true or false, was '" + value + "'");
        }
        return Boolean.parseBoolean(value);
    }

    private static int intOption(Properties values, String name, int fallback) {
        String value = values.getProperty(name);
        if (value == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(value.trim().replace("_", ""));
        }
        catch (NumberFormatException ex) {
            throw new IllegalArgumentException("--" + name + " needs a whole number, was '" + value + "'");
        }
    }

    /**
     * {@code voidrail-benchmarks/target/benchmark-results.json}: beside the jar when run from it, else
     * under the module seen from the repository root or from the module itself.
     */
    static Path defaultOutput() {
        Path jarDir = jarDirectory();
        if (jarDir != null && jarDir.getFileName() != null && jarDir.getFileName().toString().equals("target")) {
            return jarDir.resolve("benchmark-results.json");
        }
        Path module = Path.of("voidrail-benchmarks");
        if (module.toFile().isDirectory()) {
            return module.resolve("target").resolve("benchmark-results.json");
        }
        return Path.of("target", "benchmark-results.json");
    }

    private static @Nullable Path jarDirectory() {
        try {
            var source = LoadGenerator.class.getProtectionDomain().getCodeSource();
            if (source == null) {
                return null;
            }
            Path location = Path.of(source.getLocation().toURI());
            return location.toString().endsWith(".jar") ? location.toAbsolutePath().getParent() : null;
        }
        catch (Exception ex) {
            return null;
        }
    }

    static String usage() {
        return """
                Usage: java -jar voidrail-benchmarks/target/voidrail-benchmarks.jar [options]

                Runs every scenario on tcp://127.0.0.1 (ephemeral ports), one after the other, and prints
                calls/s and latency percentiles with ratios against the raw JeroMQ baseline.

                Options (or -Dvoidrail.bench.<name>=<value>):
                  --calls N          measured calls per scenario (default %d)
                  --window W         calls in flight at once (default %d)
                  --payload BYTES    length of the echoed string (default %d)
                  --quick            a short run (under a minute): %d calls, %d warm-up, at most %d s per phase
                  --warmup N         unmeasured calls per scenario first (default min(%d, calls))
                  --max-seconds S    hard bound per phase of each scenario (default %d)
                  --rounds R         run the whole list R times, interleaved; report each scenario's
                                     median round by calls/s (default 1; 3 on a busy machine)
                  --scenarios A,B    run only these, in this order (default all: %s)
                  --router ADDRESS   instead, load a running router (Java or another implementation) with
                                     this project's client calling EchoService.echo (e.g. served by
                                     bin/voidrail dealer --class io.voidrail.cli.example.EchoService)
                  --processes N      instead, start a router and N one-slot dealers (FIFO) as separate JVMs
                                     and load them with this JVM's client, as deployed (e.g. 4)
                  --clients K        with --processes or --router: the load comes from K client JVMs
                                     instead, the window and the calls split between them, measuring
                                     the same interval; cpu us is then theirs (default 0: this JVM)
                  --inline false     dealers hand every call to a worker, none runs on their I/O thread
                                     (default true: quick calls do; for before/after comparisons)
                  --direct-callbacks true
                                     clients complete calls on their I/O thread (callbackExecutor
                                     Runnable::run; default false: on the callback pool)
                  --output PATH      JSON report (default voidrail-benchmarks/target/benchmark-results.json)
                """.formatted(DEFAULT_CALLS, DEFAULT_WINDOW, DEFAULT_PAYLOAD, QUICK_CALLS, QUICK_WARMUP, QUICK_MAX_SECONDS,
                DEFAULT_WARMUP, DEFAULT_MAX_SECONDS,
                String.join(",", Scenarios.NAMES));
    }
}
