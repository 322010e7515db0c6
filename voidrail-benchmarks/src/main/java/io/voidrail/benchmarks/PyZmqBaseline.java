package io.voidrail.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.HdrHistogram.Histogram;
import org.jspecify.annotations.Nullable;

import io.voidrail.codec.JsonCodec;
import tools.jackson.databind.JsonNode;

/**
 * {@code jeromq-raw-1slot} on libzmq: the same broker, worker and client in pyzmq, one process each
 * ({@code pyzmq_baseline.py}, packaged with this class), so a run shows how far JeroMQ itself is from libzmq on the
 * same machine. Its CPU is not counted (the processes are not this JVM). Skipped in a full run when no
 * {@code python3} with pyzmq is found.
 */
final class PyZmqBaseline implements Scenario {

    private static final String SCRIPT = "pyzmq_baseline.py";
    private static final List<String> PYTHONS = List.of("/usr/bin/python3", "python3");
    private static final Duration PROBE_BOUND = Duration.ofSeconds(10);
    private static @Nullable String python;
    private static boolean probed;

    private final String name;

    PyZmqBaseline(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return "raw pyzmq (libzmq) ROUTER broker + 1 DEALER worker, separate processes, bytes copied, broker queues: "
                + "1 call(s) at the worker at a time";
    }

    @Override
    public @Nullable String unavailable() {
        return python() == null ? "no python3 with pyzmq (" + String.join(", ", PYTHONS) + ")" : null;
    }

    @Override
    public ScenarioResult run(BenchmarkOptions options) throws Exception {
        String interpreter = python();
        if (interpreter == null) {
            throw new IllegalStateException(unavailable());
        }
        Path script = Files.createTempFile("voidrail-pyzmq-baseline", ".py");
        // its output (every latency) is larger than a pipe holds: to a file, read once the script has ended
        Path output = Files.createTempFile("voidrail-pyzmq-baseline", ".json");
        try {
            try (InputStream in = PyZmqBaseline.class.getResourceAsStream(SCRIPT)) {
                if (in == null) {
                    throw new IllegalStateException(SCRIPT + " is missing from the benchmark's classes");
                }
                Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
            }
            Process process = new ProcessBuilder(interpreter, script.toString(), "--calls", String.valueOf(options.calls()),
                    "--warmup", String.valueOf(options.warmupCalls()), "--window", String.valueOf(options.window()),
                    "--payload", String.valueOf(options.payloadBytes()), "--slots", "1",
                    "--max-seconds", String.valueOf(options.maxSeconds().toSeconds()))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).redirectOutput(output.toFile()).start();
            process.getOutputStream().close();
            // two bounded phases, plus start-up; its broker and worker end when it does
            long bound = 2 * options.maxSeconds().toSeconds() + 30;
            if (!process.waitFor(bound, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("the pyzmq baseline did not end within " + bound + " s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("the pyzmq baseline exited with " + process.exitValue());
            }
            return new ScenarioResult(name, description(), phase(Files.readAllBytes(output), options.calls()), null);
        }
        finally {
            Files.deleteIfExists(script);
            Files.deleteIfExists(output);
        }
    }

    /** The script's one JSON line as a phase: its latencies in a histogram, its CPU unknown. */
    static PhaseResult phase(byte[] output, int requested) {
        String text = new String(output, StandardCharsets.UTF_8).trim();
        JsonNode json = JsonCodec.defaults().read(text.substring(text.lastIndexOf('\n') + 1).getBytes(StandardCharsets.UTF_8));
        Histogram latencies = PhaseResult.newHistogram();
        for (JsonNode micros : json.path("latencies_us")) {
            latencies.recordValue(Math.max(1, Math.round(micros.asDouble() * 1_000)));
        }
        long calls = json.path("calls").asLong();
        long failed = json.path("failed").asLong();
        boolean cut = json.path("stopped_by_time_limit").asBoolean();
        return new PhaseResult(requested, calls, failed, cut ? 0 : Math.max(0, requested - calls - failed),
                Math.round(json.path("seconds").asDouble() * 1e9), latencies, cut, false,
                failed > 0 ? failed + " wrong replies" : null, -1, -1);
    }

    /** The first {@code python3} that can import zmq, looked for once. */
    static synchronized @Nullable String python() {
        if (!probed) {
            probed = true;
            for (String candidate : PYTHONS) {
                if (canImportZmq(candidate)) {
                    python = candidate;
                    break;
                }
            }
        }
        return python;
    }

    private static boolean canImportZmq(String candidate) {
        try {
            Process process = new ProcessBuilder(candidate, "-c", "import zmq").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!process.waitFor(PROBE_BOUND.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return false;
            }
            return process.exitValue() == 0;
        }
        catch (IOException ex) {
            return false;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
