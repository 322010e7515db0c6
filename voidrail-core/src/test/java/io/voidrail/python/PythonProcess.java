package io.voidrail.python;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.awaitility.Awaitility;

/**
 * One of the Python sample scripts ({@code samples/python}) running as a real process, with what it printed.
 * Start them through {@link PythonPeers}, which kills them after each test.
 */
public final class PythonProcess implements AutoCloseable {

    /** Debian's python3 has python3-zmq and python3-numpy; the python3 on PATH may be another one. */
    private static final List<String> CANDIDATES = List.of("/usr/bin/python3", "python3");
    private static String interpreter;

    private final Process process;
    private final List<String> stdout = new CopyOnWriteArrayList<>();
    private final StringBuffer stderr = new StringBuffer();

    private final List<Thread> pumps;

    private PythonProcess(Process process) {
        this.process = process;
        this.pumps = List.of(pump(process.getInputStream(), stdout::add),
                pump(process.getErrorStream(), line -> stderr.append(line).append('\n')));
    }

    /** Starts {@code samples/python/<script>} with the given arguments and only the given VOIDRAIL_* variables. */
    static PythonProcess start(String script, Map<String, String> environment, List<String> args) {
        List<String> command = new ArrayList<>(List.of(interpreter(), "-u", scripts().resolve(script).toString()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).directory(scripts().toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("VOIDRAIL_"));
        builder.environment().putAll(environment);
        try {
            return new PythonProcess(builder.start());
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot start " + command, ex);
        }
    }

    /** The first python3 that can {@code import zmq}; the tests fail (never skip) when there is none. */
    static synchronized String interpreter() {
        if (interpreter == null) {
            for (String candidate : CANDIDATES) {
                if (importsZmq(candidate)) {
                    interpreter = candidate;
                    return interpreter;
                }
            }
            throw new AssertionError("No python3 that can 'import zmq' (tried " + String.join(", ", CANDIDATES)
                    + "). The mixed Java/Python tests need pyzmq: apt-get install python3-zmq python3-numpy");
        }
        return interpreter;
    }

    private static boolean importsZmq(String python) {
        try {
            Process check = new ProcessBuilder(python, "-c", "import zmq").redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!check.waitFor(30, TimeUnit.SECONDS)) {
                check.destroyForcibly();
                return false;
            }
            return check.exitValue() == 0;
        }
        catch (IOException ex) {
            return false; // not installed
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** {@code samples/python}, found from the module directory the tests run in (or any directory below the root). */
    static Path scripts() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("samples/python");
            if (Files.isRegularFile(candidate.resolve("worker.py"))) {
                return candidate;
            }
        }
        throw new AssertionError("samples/python/worker.py not found above " + Path.of("").toAbsolutePath());
    }

    private static Thread pump(InputStream in, Consumer<String> sink) {
        Thread thread = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = reader.readLine()) != null;) {
                    sink.accept(line);
                }
            }
            catch (IOException ex) {
                // the process is gone
            }
        }, "python-output");
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Waits (bounded) for a stdout line starting with {@code prefix} and returns it. */
    public String awaitLine(String prefix, Duration atMost) {
        Awaitility.await("a line starting with '" + prefix + "' from " + this).atMost(atMost)
                .failFast(() -> !process.isAlive() && !hasLine(prefix))
                .until(() -> hasLine(prefix));
        return stdout.stream().filter(line -> line.startsWith(prefix)).findFirst().orElseThrow();
    }

    private boolean hasLine(String prefix) {
        return stdout.stream().anyMatch(line -> line.startsWith(prefix));
    }

    /** Waits (bounded) for the process to exit and returns its status. */
    public int awaitExit(Duration atMost) {
        try {
            if (!process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(this + " still runs after " + atMost);
            }
            for (Thread pump : pumps) {
                pump.join(5000); // the rest of the output, up to the closed pipe
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new AssertionError("Interrupted", ex);
        }
        return process.exitValue();
    }

    public List<String> stdout() {
        return List.copyOf(stdout);
    }

    public String stderr() {
        return stderr.toString();
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGTERM, as Ctrl-C or a supervisor would: the worker says {@code shutdown} to the router; returns the exit status. */
    public int stop() {
        process.destroy();
        return awaitExit(Duration.ofSeconds(15));
    }

    /** kill -9: no goodbye to the router, the socket just disappears. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        kill();
    }

    @Override
    public String toString() {
        return "python process " + process.pid() + " " + process.info().arguments().map(List::of).orElse(List.of())
                + (process.isAlive() ? "" : " (exited " + process.exitValue() + ")") + "; stderr: " + stderr;
    }
}
