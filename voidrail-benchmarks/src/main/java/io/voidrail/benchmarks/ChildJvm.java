package io.voidrail.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * One child process of {@code --processes} or {@code --clients}: this JVM's class path running {@link ProcessRoles}
 * in a role. A thread of its own reads its standard output into lines, so that several children can be awaited at
 * once within one bound; lines that are not the awaited protocol lines (a JVM agent's, a profiler's) go to standard
 * error. Its standard input is its lifeline: the child exits when it ends, so that none outlives the load generator.
 */
final class ChildJvm {

    /** A protocol line: its first word and the rest ({@code ""} when none). */
    record Said(String kind, String data) {
    }

    /** A line of the child's output, or (text {@code null}) the end of it. */
    private record Line(@Nullable String text) {
    }

    private final String name;
    private final Process process;
    private final BlockingQueue<Line> lines = new LinkedBlockingQueue<>();
    private boolean ended;

    /** {@code name}: what messages call it ("dealer", "client 2"). */
    ChildJvm(String name, Process process) {
        this.name = name;
        this.process = process;
        Thread reader = new Thread(this::read, name + " output");
        reader.setDaemon(true);
        reader.start();
    }

    /**
     * Starts {@code ProcessRoles role arguments...} in a JVM like this one, with its JVM options (the collector, the
     * heap: {@code java -XX:+UseSerialGC -jar ...} measures a deployment of Serial JVMs, as {@code bin/voidrail} runs
     * on two CPUs); its standard error is this one's.
     */
    static ChildJvm start(String name, String role, String... arguments) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java));
        // as voidrail dealer --instances does: an agent or a debugger would clash between processes
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(option -> !option.startsWith("-agent") && !option.startsWith("-javaagent")
                        && !option.startsWith("-Xrunjdwp") && !option.equals("-Xdebug"))
                .forEach(command::add);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ProcessRoles.class.getName(), role));
        command.addAll(List.of(arguments));
        return new ChildJvm(name, new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start());
    }

    long pid() {
        return process.pid();
    }

    private void read() {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                lines.add(new Line(line));
            }
        }
        catch (IOException ex) {
            // the process went away: the end of its output
        }
        lines.add(new Line(null));
    }

    /**
     * The next line whose first word is one of {@code kinds}, skipping (and passing to standard error) any other.
     *
     * @throws IllegalStateException when the child's output ends first or nothing came by {@code deadlineNanos}
     *         ({@link System#nanoTime()})
     */
    Said await(long deadlineNanos, String... kinds) throws InterruptedException {
        String expected = String.join(" or ", kinds);
        while (!ended) {
            long left = deadlineNanos - System.nanoTime();
            Line line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : lines.poll();
            if (line == null) {
                throw new IllegalStateException("The " + name + " process did not say " + expected + " in time");
            }
            if (line.text() == null) {
                ended = true;
                break;
            }
            int space = line.text().indexOf(' ');
            String kind = space < 0 ? line.text() : line.text().substring(0, space);
            for (String wanted : kinds) {
                if (wanted.equals(kind)) {
                    return new Said(kind, space < 0 ? "" : line.text().substring(space + 1));
                }
            }
            System.err.println(name + ": " + line.text());
        }
        throw new IllegalStateException("The " + name + " process ended before it said " + expected);
    }

    /** Sends one line to the child's standard input. */
    void send(String line) {
        try {
            OutputStream in = process.getOutputStream();
            in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
        }
        catch (IOException ex) {
            throw new UncheckedIOException("The " + name + " process no longer reads its input", ex);
        }
    }

    private void endInput() {
        try {
            process.getOutputStream().close();
        }
        catch (IOException ignored) {
            // already gone
        }
    }

    /**
     * Ends the children's input, last started first (dealers before their router, so that none is left waiting for
     * a router that went away), and kills any that has not exited after a few seconds.
     */
    static void closeAll(List<ChildJvm> children) {
        for (int i = children.size() - 1; i >= 0; i--) {
            children.get(i).endInput();
        }
        for (ChildJvm child : children) {
            try {
                if (!child.process.waitFor(5, TimeUnit.SECONDS)) {
                    child.process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            }
            catch (InterruptedException ex) {
                child.process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
