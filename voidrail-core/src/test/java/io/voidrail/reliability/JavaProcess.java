package io.voidrail.reliability;

import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

/**
 * A main class of the test class path run in a new JVM, for tests about real processes (kill -9 and the like).
 *
 * <pre>{@code
 * try (JavaProcess dealer = JavaProcess.start(DealerMain.class, routerAddress, ReliabilityService.class.getName())) {
 *     String identity = dealer.awaitLine("READY (\\S+)", Duration.ofSeconds(20)).group(1);
 *     ...
 *     dealer.kill();                                // SIGKILL on Linux
 * }
 * }</pre>
 *
 * The JVM is small and quick to start ({@code -XX:TieredStopAtLevel=1}, serial GC, 128 MiB). Its stdout and stderr
 * are collected line by line. The child's stdin stays open: a main that reads it to the end learns that the test JVM
 * is gone and can leave by itself. {@link #close()} always kills the process and waits until it is gone, so start
 * processes in try-with-resources or close them in {@code @AfterEach}.
 */
public final class JavaProcess implements AutoCloseable {

    /** Options of every child JVM: a small JIT and heap, since many short JVMs share two cores. */
    public static final List<String> JVM_OPTIONS = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx128m",
            "-Xss512k");

    private static final Duration GONE_LIMIT = Duration.ofSeconds(10);

    private final Process process;
    private final String name;
    private final List<String> lines = new ArrayList<>();
    private final Thread reader;

    private JavaProcess(Process process, String name) {
        this.process = process;
        this.name = name;
        this.reader = new Thread(this::collect, "output-of-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    /** Starts {@code mainClass} with {@code args} and the default {@link #JVM_OPTIONS}. */
    public static JavaProcess start(Class<?> mainClass, String... args) {
        return start(List.of(), mainClass, args);
    }

    /** Starts {@code mainClass} with {@code args}; {@code jvmOptions} come after the defaults (e.g. {@code -Dkey=value}). */
    public static JavaProcess start(List<String> jvmOptions, Class<?> mainClass, String... args) {
        List<String> command = new ArrayList<>();
        command.add(javaCommand());
        command.addAll(JVM_OPTIONS);
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass.getName());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        // the developer's own keys must not leak into the tests
        builder.environment().keySet().removeIf(key -> key.startsWith("VOIDRAIL_"));
        try {
            return new JavaProcess(builder.start(), mainClass.getSimpleName());
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot start " + mainClass.getName(), ex);
        }
    }

    /** The {@code java} that runs this JVM. */
    static String javaCommand() {
        Optional<String> current = ProcessHandle.current().info().command();
        return current.orElseGet(() -> Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private void collect() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                synchronized (lines) {
                    lines.add(line);
                }
            }
        }
        catch (IOException ex) {
            // the process is gone; what it wrote is kept
        }
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Every line written so far (stdout and stderr). */
    public List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    /**
     * Waits until a whole output line matches {@code regex} and returns its match (for the groups). Fails at once
     * when the process exits first, and after {@code limit} otherwise, with the output in the message.
     */
    public Matcher awaitLine(String regex, Duration limit) {
        Pattern pattern = Pattern.compile(regex);
        Matcher[] found = new Matcher[1];
        try {
            await().atMost(limit).pollInterval(Duration.ofMillis(20))
                    .failFast(() -> !reader.isAlive() && found(pattern, found) == null)
                    .until(() -> found(pattern, found) != null);
        }
        catch (ConditionTimeoutException | TerminalFailureException ex) {
            throw new AssertionError("No line matching " + regex + " from " + this, ex);
        }
        return found[0];
    }

    private Matcher found(Pattern pattern, Matcher[] found) {
        for (String line : lines()) {
            Matcher matcher = pattern.matcher(line);
            if (matcher.matches()) {
                found[0] = matcher;
                return matcher;
            }
        }
        return null;
    }

    /** SIGKILL ({@code kill -9} on Linux): no shutdown hook runs, the OS closes its sockets. Waits until it is gone. */
    public void kill() {
        process.destroyForcibly();
        awaitGone();
    }

    /** Sends a signal with kill(1), e.g. {@code STOP} (the process freezes, its sockets stay open) or {@code CONT}. */
    public void signal(String name) {
        try {
            Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).start();
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new AssertionError("kill -" + name + " " + process.pid() + " failed");
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new AssertionError(ex);
        }
    }

    /** SIGTERM: shutdown hooks run. Does not wait. */
    public void terminate() {
        process.destroy();
    }

    /** Writes a line to the child's stdin, for a test main that reads commands there. */
    public void writeLine(String line) {
        try {
            process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().flush();
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot write to " + name, ex);
        }
    }

    /** Closes the child's stdin: the test mains take it as the sign to stop gracefully. */
    public void closeInput() {
        try {
            process.getOutputStream().close();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** Waits for the exit within {@code limit} and returns the exit code (137 after {@link #kill()} on Linux). */
    public int awaitExit(Duration limit) {
        try {
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("Still running after " + limit + ": " + this);
            }
            reader.join(TimeUnit.SECONDS.toMillis(5));
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new AssertionError(ex);
        }
        return process.exitValue();
    }

    private void awaitGone() {
        try {
            if (!process.waitFor(GONE_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("Still alive " + GONE_LIMIT + " after SIGKILL: " + this);
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new AssertionError(ex);
        }
    }

    /** Kills the process if it still runs, and waits until it is gone. */
    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }

    @Override
    public String toString() {
        return name + " pid " + process.pid() + " (" + (process.isAlive() ? "running" : "exit " + process.exitValue())
                + ")\n--- output\n" + String.join("\n", lines());
    }
}
