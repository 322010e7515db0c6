package io.voidrail.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.awaitility.core.ConditionTimeoutException;
import org.awaitility.core.TerminalFailureException;

/**
 * Runs the real {@code bin/voidrail} in subprocesses for the *IT classes. Every process is bounded in
 * time, and {@link #close()} kills whatever is left, children included.
 */
final class Launcher implements AutoCloseable {

    static final Path SCRIPT = Path.of(System.getProperty("voidrail.launcher", "../bin/voidrail")).toAbsolutePath()
            .normalize();

    /** How long one command may take before the test gives up on it. */
    static final Duration LIMIT = Duration.ofSeconds(30);

    // a small JIT and heap: many short JVMs share two cores
    private static final String JAVA_OPTS = "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx128m";

    private final List<Launched> started = new ArrayList<>();

    /** A command that exits by itself: waits for it within {@link #LIMIT}. */
    Launched run(String... args) {
        Launched launched = start(Map.of(), args);
        launched.awaitExit(LIMIT);
        return launched;
    }

    Launched start(String... args) {
        return start(Map.of(), args);
    }

    Launched start(Map<String, String> environment, String... args) {
        List<String> command = new ArrayList<>(List.of(SCRIPT.toString()));
        command.addAll(List.of(args));
        return start(command, environment);
    }

    /** Any command line, e.g. one the command itself printed. */
    Launched start(List<String> command, Map<String, String> environment) {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("JAVA_OPTS", JAVA_OPTS);
        // the developer's own keys must not leak into the tests
        builder.environment().keySet().removeIf(name -> name.startsWith("VOIDRAIL_"));
        builder.environment().putAll(environment);
        try {
            Launched launched = new Launched(builder.start());
            started.add(launched);
            return launched;
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot run " + command, ex);
        }
    }

    @Override
    public void close() {
        started.forEach(Launched::kill);
    }

    /** A free TCP port on 127.0.0.1 (bound, then released for the process under test). */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** One started process with its output collected as it comes. */
    static final class Launched {

        private final Process process;
        private final StringBuffer out = new StringBuffer();
        private final StringBuffer err = new StringBuffer();
        private final List<Thread> readers;

        private Launched(Process process) {
            this.process = process;
            this.readers = List.of(collect(process.getInputStream(), out), collect(process.getErrorStream(), err));
        }

        private static Thread collect(InputStream from, StringBuffer into) {
            Thread reader = new Thread(() -> {
                byte[] buffer = new byte[8192];
                try (from) {
                    for (int n = from.read(buffer); n >= 0; n = from.read(buffer)) {
                        into.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
                    }
                }
                catch (IOException ex) {
                    // the process is gone; what it wrote is kept
                }
            });
            reader.setDaemon(true);
            reader.start();
            return reader;
        }

        Process process() {
            return process;
        }

        String out() {
            return out.toString();
        }

        String err() {
            return err.toString();
        }

        /** Waits until stdout has a line matching {@code regex}; fails with both streams otherwise. */
        Launched awaitLine(String regex) {
            Pattern line = Pattern.compile("(?m)^" + regex + "$");
            try {
                await().atMost(LIMIT)
                        .failFast(() -> readers.stream().noneMatch(Thread::isAlive) && !line.matcher(out()).find())
                        .until(() -> line.matcher(out()).find());
            }
            catch (ConditionTimeoutException | TerminalFailureException ex) {
                throw new AssertionError("No line matching " + regex + " from " + this, ex);
            }
            return this;
        }

        /** Waits for the exit within {@code limit} (killing the process if it does not), then for the last output. */
        int awaitExit(Duration limit) {
            try {
                if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                    kill();
                    throw new AssertionError("Still running after " + limit + ": " + this);
                }
                for (Thread reader : readers) {
                    reader.join(TimeUnit.SECONDS.toMillis(5));
                }
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new AssertionError(ex);
            }
            return process.exitValue();
        }

        int exitCode() {
            return awaitExit(LIMIT);
        }

        /**
         * SIGTERM, as {@code kill} sends it. Not {@code Process.destroy()}: that also closes our ends of the
         * pipes and the last output would be lost.
         */
        void terminate() {
            process.toHandle().destroy();
        }

        /** Sends a signal by name (INT, TERM, KILL) with kill(1). */
        void signal(String name) {
            try {
                Process kill = new ProcessBuilder("kill", "-" + name, String.valueOf(process.pid())).start();
                assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
                assertThat(kill.exitValue()).isZero();
            }
            catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new AssertionError(ex);
            }
        }

        /** SIGKILL for the process and everything it started, waiting (bounded) until they are gone. */
        void kill() {
            List<ProcessHandle> all = new ArrayList<>(process.descendants().toList());
            all.add(process.toHandle());
            all.forEach(ProcessHandle::destroyForcibly);
            await().atMost(Duration.ofSeconds(10)).until(() -> all.stream().noneMatch(ProcessHandle::isAlive));
        }

        @Override
        public String toString() {
            return "pid " + process.pid() + " (" + (process.isAlive() ? "running" : "exit " + process.exitValue())
                    + ")\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }
}
