package io.voidrail.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.voidrail.cli.Launcher.Launched;
import io.voidrail.router.ServiceRouter;

/**
 * {@code voidrail dealer --instances 2}: however the parent ends, no child process outlives it, and a child
 * that dies is reported and never restarted. The router runs in this JVM; the dealers are real processes.
 */
class DealerInstancesIT {

    /** Children need this long at most to leave after their parent (SIGTERM grace, or stdin closing). */
    private static final Duration CHILDREN_GONE = Duration.ofSeconds(15);

    private static ServiceRouter router;
    private final Launcher launcher = new Launcher();

    @BeforeAll
    static void startRouter() {
        router = ServiceRouter.builder().address("tcp://127.0.0.1:0").build().start();
    }

    @AfterAll
    static void stopRouter() {
        router.close();
    }

    @AfterEach
    void killLeftovers() {
        launcher.close();
    }

    @Test
    void sigtermStopsEveryChild() {
        assertStopsEveryChild("TERM");
    }

    @Test
    void sigintStopsEveryChild() throws IOException {
        // a JVM started in the background of a non-interactive shell ignores SIGINT, and so do its children
        Assumptions.assumeFalse(sigintIgnored(), "SIGINT is ignored by this test JVM and hence by what it starts");
        assertStopsEveryChild("INT");
    }

    @Test
    void childrenStopWhenTheirParentIsKilled() {
        // a service from the user's own classes: the children must get the --classpath too
        Launched parent = startTwoInstances("GreeterService", "--classpath", "target/test-classes", "--package",
                "io.voidrail.cli.fixtures.one");
        List<ProcessHandle> children = parent.process().descendants().toList();

        parent.signal("KILL");

        await().atMost(CHILDREN_GONE).until(() -> children.stream().noneMatch(ProcessHandle::isAlive));
    }

    @Test
    void aChildThatDiesIsReportedAndNotRestarted() {
        Launched parent = startTwoInstances();
        List<ProcessHandle> children = parent.process().descendants().toList();
        ProcessHandle victim = children.get(0);

        victim.destroyForcibly();

        await().atMost(Launcher.LIMIT).until(() -> parent.err().contains("not restarted"));
        assertThat(parent.err()).containsPattern("(?m)^error: EchoService#[12] \\(pid " + victim.pid()
                + "\\) exited with code 137; not restarted \\(1 of 2 still running\\)$");
        // the survivor keeps serving alone: no new process appears
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3))
                .until(() -> parent.process().descendants().map(ProcessHandle::pid).toList(),
                        pids -> pids.equals(List.of(children.get(1).pid())));

        parent.terminate();
        assertThat(parent.exitCode()).isEqualTo(1);
        assertThat(parent.err()).endsWith("error: A dealer process exited on its own; all 2 have stopped now\n");
        assertThat(children.get(1).isAlive()).isFalse();
    }

    private void assertStopsEveryChild(String signal) {
        Launched parent = startTwoInstances();
        List<ProcessHandle> children = parent.process().descendants().toList();
        assertThat(children).hasSize(2).allMatch(ProcessHandle::isAlive);

        parent.signal(signal);

        assertThat(parent.exitCode()).as(parent.toString()).isZero();
        await().atMost(CHILDREN_GONE).until(() -> children.stream().noneMatch(ProcessHandle::isAlive));
        assertThat(parent.out()).contains("Stopping 2 dealer process(es) (SIG" + signal + ")",
                "[EchoService#1] Stopped", "[EchoService#2] Stopped", "All 2 dealer process(es) stopped");
    }

    /** Two instances of the example service, found by package scan in the CLI jar, both registered. */
    private Launched startTwoInstances() {
        return startTwoInstances("EchoService", "--package", "io.voidrail.cli.example");
    }

    private Launched startTwoInstances(String service, String... selection) {
        List<String> args = new ArrayList<>(List.of("dealer", "--port", String.valueOf(router.port()), "--instances", "2",
                "--logger-level", "WARNING"));
        args.addAll(List.of(selection));
        Launched parent = launcher.start(args.toArray(String[]::new));
        for (int instance = 1; instance <= 2; instance++) {
            parent.awaitLine("\\[" + service + "#" + instance + "\\] " + service + "-[0-9a-f]{8} registered with .*");
        }
        assertThat(parent.process().descendants()).hasSize(2);
        return parent;
    }

    private static boolean sigintIgnored() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseLong(line.substring("SigIgn:".length()).strip(), 16) & (1L << 1)) != 0;
            }
        }
        return false;
    }
}
