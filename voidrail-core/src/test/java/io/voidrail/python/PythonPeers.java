package io.voidrail.python;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import io.voidrail.codec.JsonCodec;
import tools.jackson.databind.JsonNode;

/**
 * Starts the Python sample worker and client ({@code samples/python}) against a router and kills every one of
 * them after each test: {@code @RegisterExtension final PythonPeers python = new PythonPeers();}
 */
public final class PythonPeers implements AfterEachCallback {

    /** Python start-up (numpy import included) on a loaded machine, with room to spare. */
    public static final Duration START = Duration.ofSeconds(20);

    private final List<PythonProcess> started = new ArrayList<>();

    /** A worker that has registered: its {@code READY <identity>} line was printed. */
    public Worker worker(String router, String... args) {
        return worker(router, Map.of(), args);
    }

    public Worker worker(String router, Map<String, String> environment, String... args) {
        PythonProcess process = startWorker(router, environment, args);
        String ready = process.awaitLine("READY ", START);
        return new Worker(ready.substring("READY ".length()), process);
    }

    /** A worker process, not waited for (it may be refused). */
    public PythonProcess startWorker(String router, Map<String, String> environment, String... args) {
        return start("worker.py", router, environment, args);
    }

    /** Runs the client to its end and returns the JSON lines it printed. */
    public ClientRun client(String router, String... args) {
        PythonProcess process = start("client.py", router, Map.of(), args);
        int status = process.awaitExit(Duration.ofSeconds(60));
        JsonCodec codec = JsonCodec.defaults();
        List<JsonNode> lines = process.stdout().stream()
                .map(line -> codec.read(line.getBytes(StandardCharsets.UTF_8))).toList();
        return new ClientRun(status, lines, process.stderr());
    }

    private PythonProcess start(String script, String router, Map<String, String> environment, String... args) {
        List<String> all = new ArrayList<>(List.of("--router", router));
        all.addAll(List.of(args));
        PythonProcess process = PythonProcess.start(script, environment, all);
        synchronized (started) {
            started.add(process);
        }
        return process;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        synchronized (started) {
            started.forEach(PythonProcess::kill);
            started.clear();
        }
    }

    /** A registered Python worker: its dealer identity and its process. */
    public record Worker(String identity, PythonProcess process) {
    }

    /** What one client.py run printed: one JSON object per line, and its exit status. */
    public record ClientRun(int status, List<JsonNode> lines, String stderr) {

        /** The lines about calls of {@code method}, in order. */
        public List<JsonNode> calls(String method) {
            return lines.stream().filter(line -> method.equals(line.path("method").asString(""))).toList();
        }

        /** The one line of operation {@code op} (auth, methods, timeout). */
        public JsonNode op(String op) {
            return lines.stream().filter(line -> op.equals(line.path("op").asString(""))).findFirst()
                    .orElseThrow(() -> new AssertionError("no '" + op + "' line in " + this));
        }
    }
}
