package io.voidrail.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The parent side of {@code dealer --instances N}: starts one child JVM per instance, forwards each line
 * the children print with a {@code [Class#i]} prefix, and stops them all on SIGINT/SIGTERM.
 *
 * <p>A child that exits on its own is reported and never restarted; the others keep serving, and the
 * command exits 1 once every child has stopped. Children also stop when this process dies without
 * cleaning up (even SIGKILL): they watch the pipe to their stdin, which the kernel closes then.
 */
final class DealerProcesses {

    /** One child to run: its display name ({@code EchoService#1}) and command line. */
    record Child(String name, List<String> command) {
    }

    private static final Duration WATCH_INTERVAL = Duration.ofMillis(200);
    /** Children get SIGTERM, then this long to leave the router (their own grace period is 10 s), then SIGKILL. */
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);
    private static final Duration KILL_WAIT = Duration.ofSeconds(5);

    private final List<Child> children;
    private final Map<String, String> environment;
    private final PrintWriter out;
    private final PrintWriter err;
    private final List<Running> running = new ArrayList<>();

    DealerProcesses(List<Child> children, Map<String, String> environment, PrintWriter out, PrintWriter err) {
        this.children = children;
        this.environment = environment;
        this.out = out;
        this.err = err;
    }

    private record Running(Child child, Process process, List<Thread> pumps) {

        String describe() {
            return child.name() + " (pid " + process.pid() + ")";
        }
    }

    /** Runs until a stop signal or until every child has exited; 0 unless a child exited on its own. */
    int run() {
        StopSignal stop = StopSignal.install(STOP_GRACE.plus(KILL_WAIT).plusSeconds(5));
        boolean childFailed = false;
        try {
            for (Child child : children) {
                running.add(start(child));
            }
            out.println("Started " + String.join(", ", running.stream().map(Running::describe).toList())
                    + "; Ctrl-C stops them all");
            out.flush();
            List<Running> alive = new ArrayList<>(running);
            while (!alive.isEmpty() && !stop.await(WATCH_INTERVAL)) {
                for (Running child : List.copyOf(alive)) {
                    // a child that exits while we are stopping was told to (or got the terminal's Ctrl-C too)
                    if (!child.process().isAlive() && !stop.isRequested()) {
                        alive.remove(child);
                        childFailed = true;
                        joinPumps(child);
                        err.println("error: " + child.describe() + " exited with code " + child.process().exitValue()
                                + "; not restarted (" + alive.size() + " of " + running.size() + " still running)");
                        err.flush();
                    }
                }
            }
            if (stop.isRequested()) {
                out.println("Stopping " + alive.size() + " dealer process(es) (" + stop.reason() + ")");
                out.flush();
            }
        }
        finally {
            stopAll();
            stop.finished();
        }
        if (childFailed) {
            throw CliException.failed("A dealer process exited on its own; all " + running.size() + " have stopped now");
        }
        return 0;
    }

    private Running start(Child child) {
        ProcessBuilder builder = new ProcessBuilder(child.command());
        builder.environment().putAll(environment);
        Process process;
        try {
            process = builder.start();
        }
        catch (IOException ex) {
            throw new CliException(CliException.FAILED, "Cannot start " + child.name() + ": " + ex.getMessage(), ex);
        }
        String prefix = "[" + child.name() + "] ";
        List<Thread> pumps = List.of(pump(process.getInputStream(), out, prefix, child.name() + "-out"),
                pump(process.getErrorStream(), err, prefix, child.name() + "-err"));
        return new Running(child, process, pumps);
    }

    private static Thread pump(InputStream from, PrintWriter to, String prefix, String name) {
        Thread thread = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(from, StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                    to.println(prefix + line);
                    to.flush();
                }
            }
            catch (IOException ex) {
                // the child is gone; what it printed before is forwarded
            }
        }, "voidrail-pump-" + name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /**
     * SIGTERM to every child still running, a bounded wait, then SIGKILL for those that hang. Signals go
     * through the process handles: {@code Process.destroy()} would also close our ends of the children's
     * output pipes and lose their last lines.
     */
    private void stopAll() {
        List<Running> stopping = running.stream().filter(child -> child.process().isAlive()).toList();
        stopping.forEach(child -> child.process().toHandle().destroy());
        long deadline = System.nanoTime() + STOP_GRACE.toNanos();
        for (Running child : stopping) {
            if (!waitFor(child.process(), Duration.ofNanos(Math.max(0, deadline - System.nanoTime())))) {
                err.println("error: " + child.describe() + " did not stop within " + STOP_GRACE.toSeconds()
                        + " s; killing it");
                child.process().toHandle().destroyForcibly();
                waitFor(child.process(), KILL_WAIT);
            }
            joinPumps(child);
            out.println(child.describe() + (child.process().isAlive() ? " is still running"
                    : " stopped with exit code " + child.process().exitValue()));
        }
        long left = running.stream().filter(child -> child.process().isAlive()).count();
        out.println(left == 0 ? "All " + running.size() + " dealer process(es) stopped"
                : left + " dealer process(es) could not be stopped");
        out.flush();
    }

    private static boolean waitFor(Process process, Duration limit) {
        try {
            return process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    /** Lets the last lines of an exited child through before reporting on it. */
    private static void joinPumps(Running child) {
        for (Thread pump : child.pumps()) {
            try {
                pump.join(TimeUnit.SECONDS.toMillis(2));
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
