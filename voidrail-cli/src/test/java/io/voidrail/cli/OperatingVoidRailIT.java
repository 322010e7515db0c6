package io.voidrail.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.voidrail.cli.Launcher.Launched;
import io.voidrail.cli.example.EchoService;
import io.voidrail.client.ClientDealer;

/**
 * The README's three terminals, through bin/voidrail: a router, {@code dealer --instances 2}, and clients
 * that list, call and read queues. Ends by stopping the dealer group and the router as an operator would.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OperatingVoidRailIT {

    private static final Pattern REGISTERED = Pattern.compile("(?m)^\\[EchoService#[12]\\] (EchoService-[0-9a-f]{8}) registered with ");

    private static final Launcher launcher = new Launcher();
    private static String port;
    private static Launched router;
    private static Launched dealers;

    @BeforeAll
    static void startRouterAndDealers() {
        port = String.valueOf(Launcher.freePort());
        router = launcher.start("router", "--port", port, "--logger-level", "WARNING")
                .awaitLine("VoidRail router listening on tcp://127\\.0\\.0\\.1:" + port)
                // the defaults that end a killed busy dealer's calls within 15 s
                .awaitLine("  heartbeat timeout: 10 s").awaitLine("  start-up grace: 5 s");
        dealers = launcher.start("dealer", "--port", port, "--class", EchoService.class.getName(), "--instances", "2")
                .awaitLine("\\[EchoService#1\\] EchoService-[0-9a-f]{8} registered with .*")
                .awaitLine("\\[EchoService#2\\] EchoService-[0-9a-f]{8} registered with .*");
    }

    @AfterAll
    static void killLeftovers() {
        launcher.close();
    }

    @Test
    @Order(1)
    void listShowsTheMethodsAndBothDealerProcesses() {
        Launched list = launcher.run("client", "--port", port, "--list");

        assertThat(list.exitCode()).as(list.toString()).isZero();
        assertThat(list.out()).contains("Methods (5)", "EchoService.add     no      Add two numbers",
                "EchoService.stream  yes", "Instances (2, 2 active)");
        assertThat(list.out()).contains(instanceIds());
    }

    @Test
    @Order(2)
    void callsWithKeywordArgumentsAndStreams() {
        Launched add = launcher.run("client", "--port", port, "--call", "EchoService.add", "--args", "{\"a\": 5, \"b\": 3}");
        Launched stream = launcher.run("client", "--port", port, "--call", "EchoService.stream", "--args", "[0, 3]", "--json");

        assertThat(add.exitCode()).as(add.toString()).isZero();
        assertThat(add.out()).isEqualTo("8\n");
        assertThat(stream.out()).isEqualTo("{\"item\":0}\n{\"item\":1}\n{\"item\":2}\n");
    }

    @Test
    @Order(3)
    void queueStatusShowsTheCalledMethodsWithBothDealersFree() {
        // the router keeps a queue for a method once it has been called
        try (ClientDealer client = ClientDealer.builder().routerAddress(routerAddress()).build()) {
            assertThat(client.invoke("EchoService.add", Long.class, 1, 1)).isEqualTo(2L);
        }
        Launched queues = launcher.run("client", "--port", port, "--queue-status");

        assertThat(queues.exitCode()).as(queues.toString()).isZero();
        assertThat(queues.out()).startsWith("Queues (").containsPattern("(?m)^METHOD +QUEUED +AVAILABLE +BUSY$")
                .containsPattern("(?m)^EchoService\\.add +0 +2 +0$");
    }

    @Test
    @Order(4)
    void twoCallsAtOnceRunInTheTwoDealerProcesses() {
        List<Long> children = dealers.process().descendants().map(ProcessHandle::pid).toList();
        // FIFO gives a one-slot dealer its next call only when it is free: the second call must go to the other process
        try (ClientDealer client = ClientDealer.builder().routerAddress(routerAddress()).build()) {
            CompletableFuture<EchoService.Work> first = client.invokeAsync("EchoService.work", EchoService.Work.class, 1.0);
            CompletableFuture<EchoService.Work> second = client.invokeAsync("EchoService.work", EchoService.Work.class, 1.0);

            assertThat(List.of(first.join().pid(), second.join().pid())).doesNotHaveDuplicates()
                    .allMatch(children::contains);
        }
    }

    @Test
    @Order(5)
    void eachCommandLogsAtItsLevelAndTheChildrenOutputIsPrefixed() {
        assertThat(router.err()).doesNotContain(" INFO ");
        // the dealer says each event once, on stdout; its log (stderr) keeps to problems
        assertThat(dealers.err()).doesNotContain(" INFO ");
        for (String instance : new String[] { "[EchoService#1] ", "[EchoService#2] " }) {
            assertThat(dealers.out().lines().filter((line) -> line.startsWith(instance))).as(dealers.out())
                    .filteredOn((line) -> line.contains(" registered with ") || line.contains("Serving "))
                    .hasSize(2);
        }
        assertThat(dealers.out()).containsPattern("(?m)^\\[EchoService#2\\] Serving EchoService as EchoService-[0-9a-f]{8} "
                + "\\(5 methods, pid [0-9]+\\) via tcp://127\\.0\\.0\\.1:" + port + "$");
    }

    @Test
    @Order(6)
    void sigtermStopsTheDealerGroupAndTheRouterGracefully() {
        List<ProcessHandle> children = dealers.process().descendants().toList();
        assertThat(children).hasSize(2);

        dealers.terminate();
        assertThat(dealers.exitCode()).as(dealers.toString()).isZero();
        await().atMost(Duration.ofSeconds(10)).until(() -> children.stream().noneMatch(ProcessHandle::isAlive));
        assertThat(dealers.out()).contains("[EchoService#1] Stopped", "[EchoService#2] Stopped",
                "All 2 dealer process(es) stopped");

        router.terminate();
        assertThat(router.exitCode()).as(router.toString()).isZero();
        assertThat(router.out()).endsWith("Stopping the router (SIGTERM)\nRouter stopped\n");
    }

    private static String routerAddress() {
        return "tcp://127.0.0.1:" + port;
    }

    private static String[] instanceIds() {
        Matcher registered = REGISTERED.matcher(dealers.out());
        List<String> ids = registered.results().map(match -> match.group(1)).distinct().toList();
        assertThat(ids).hasSize(2);
        return ids.toArray(String[]::new);
    }
}
