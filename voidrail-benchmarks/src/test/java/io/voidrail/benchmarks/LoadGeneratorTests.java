package io.voidrail.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.voidrail.auth.AuthEnvironment;
import io.voidrail.dealer.ServiceDealer;
import io.voidrail.router.ServiceRouter;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import io.voidrail.codec.JsonCodec;
import tools.jackson.databind.JsonNode;

/** A smoke run with tiny counts: proves the generator works, measures nothing. */
class LoadGeneratorTests {

    private static final int CALLS = 200;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void everyScenarioMakesEveryCallAndTheReportSaysSo(@TempDir Path dir) throws Exception {
        Path output = dir.resolve("results.json");
        BenchmarkOptions options = BenchmarkOptions.parse(new String[] { "--calls", String.valueOf(CALLS), "--window",
                "16", "--warmup", "20", "--payload", "64", "--max-seconds", "5", "--output", output.toString() },
                new java.util.Properties());
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        Report report = new LoadGenerator(options, new PrintStream(printed, true, StandardCharsets.UTF_8)).run();

        String table = printed.toString(StandardCharsets.UTF_8);
        // every scenario this machine can run; a full run skips the others, saying so
        List<String> runnable = Scenarios.select(List.of()).stream().filter(s -> s.unavailable() == null)
                .map(Scenario::name).toList();
        assertThat(report.results()).extracting(ScenarioResult::name).containsExactlyElementsOf(runnable);
        for (ScenarioResult result : report.results()) {
            // an incomplete scenario prints why (calls unanswered point at the component that stalled)
            assertThat(result.complete()).as(result.name() + "\n" + table).isTrue();
            assertThat(result.measured().succeeded()).isEqualTo(expectedCalls(result.name()));
            assertThat(result.measured().throughput()).isPositive();
            assertThat(result.measured().percentileMicros(50)).isPositive();
        }
        assertThat(table).contains("calls/s", "p99 ms", "cpu us", "alloc kB", "thr x");
        for (String name : Scenarios.NAMES) {
            assertThat(table).contains(name);
        }
        assertThat(runnable).as("the build needs pyzmq, as the interop tests do").contains("pyzmq-raw-1slot");

        JsonNode json = JsonCodec.defaults().read(Files.readAllBytes(output));
        assertThat(json.path("baseline").asString()).isEqualTo(Scenarios.BASELINE);
        assertThat(json.path("options").path("calls").asInt()).isEqualTo(CALLS);
        List<String> names = new ArrayList<>();
        for (JsonNode scenario : json.path("scenarios")) {
            names.add(scenario.path("name").asString());
            assertThat(scenario.path("calls").asInt()).isEqualTo(expectedCalls(scenario.path("name").asString()));
            assertThat(scenario.path("requested_calls").asInt()).isEqualTo(expectedCalls(scenario.path("name").asString()));
            assertThat(scenario.path("calls_per_second").asDouble()).isPositive();
            assertThat(scenario.path("latency_us").path("p99").asDouble()).isPositive();
            if (!scenario.path("name").asString().startsWith("pyzmq")) { // other processes: not this JVM's heap
                assertThat(scenario.path("allocated_bytes_per_call").asDouble()).as(scenario.path("name").asString())
                        .isPositive();
            }
            assertThat(scenario.path("ratio_to_baseline").path("throughput").asDouble()).isPositive();
            assertThat(scenario.path("baseline").asString()).isEqualTo(Scenarios.baselineOf(scenario.path("name").asString()));
        }
        assertThat(names).containsExactlyElementsOf(runnable);
        // the headline compares FIFO with one slot to the one-slot broker, with the ratios of that run
        ScenarioResult headline = report.result(Scenarios.HEADLINE);
        ScenarioResult base = report.result("jeromq-raw-1slot");
        String ratio = String.format(java.util.Locale.ROOT, "%.2f",
                headline.measured().throughput() / base.measured().throughput());
        assertThat(table).containsPattern("(?m)^RESULT scenario=voidrail-fifo-1slot rps=\\d+ p50_us=\\d+ p99_us=\\d+ "
                + "baseline=jeromq-raw-1slot ratio_rps=" + java.util.regex.Pattern.quote(ratio) + " ratio_p50=[0-9.]+ ratio_p99=[0-9.]+$");
    }

    /** Large payloads make fewer calls (at least 10); a stream phase receives 5 items per call. */
    private static int expectedCalls(String scenario) {
        if (scenario.endsWith("-64k") || scenario.endsWith("-1m")) {
            return 10;
        }
        return scenario.startsWith("voidrail-stream") ? 5 * CALLS : CALLS;
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void routerLoadsARunningRouterWithTheProjectsClientOnly(@TempDir Path dir) throws Exception {
        AuthEnvironment none = new AuthEnvironment(java.util.Map.of());
        try (ServiceRouter router = ServiceRouter.builder().address("tcp://127.0.0.1:0").environment(none).build().start();
                ServiceDealer dealer = ServiceDealer.builder().routerAddress(router.address())
                        .service(new BenchEchoService()).environment(none).build().start()) {
            dealer.registered().get(10, TimeUnit.SECONDS);
            BenchmarkOptions options = BenchmarkOptions.parse(new String[] { "--router", router.address(), "--calls",
                    String.valueOf(CALLS), "--window", "4", "--warmup", "20", "--output",
                    dir.resolve("remote.json").toString() }, new java.util.Properties());
            ByteArrayOutputStream printed = new ByteArrayOutputStream();

            Report report = new LoadGenerator(options, new PrintStream(printed, true, StandardCharsets.UTF_8)).run();

            assertThat(report.results()).singleElement().satisfies(result -> {
                assertThat(result.name()).isEqualTo("voidrail-remote");
                assertThat(result.measured().succeeded()).isEqualTo(CALLS);
            });
            // every call went through that router: the warm-up, the first call and the measured ones
            assertThat(router.status().totalResponses()).isEqualTo(CALLS + 20 + 1);
            assertThat(printed.toString(StandardCharsets.UTF_8))
                    .containsPattern("(?m)^RESULT scenario=voidrail-remote rps=\\d+ p50_us=\\d+ p99_us=\\d+ baseline=- ");
        }
    }

    /** --processes: the router and the dealers are JVMs of their own, serving every call; none outlives the run. */
    @Test
    void processesRunsRouterAndDealersAsTheirOwnJvmsAndLeavesNoneBehind(@TempDir Path dir) throws Exception {
        BenchmarkOptions options = BenchmarkOptions.parse(new String[] { "--processes", "2", "--calls",
                String.valueOf(CALLS), "--window", "4", "--warmup", "20", "--max-seconds", "20", "--output",
                dir.resolve("processes.json").toString() }, new java.util.Properties());
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        Report report = new LoadGenerator(options, new PrintStream(printed, true, StandardCharsets.UTF_8)).run();

        assertThat(report.results()).singleElement().satisfies(result -> {
            assertThat(result.name()).isEqualTo("voidrail-processes");
            assertThat(result.measured().succeeded()).isEqualTo(CALLS);
            assertThat(result.description()).contains("2 one-slot dealers, each its own JVM");
        });
        assertThat(printed.toString(StandardCharsets.UTF_8))
                .containsPattern("(?m)^RESULT scenario=voidrail-processes rps=\\d+ p50_us=\\d+ p99_us=\\d+ ");
        // this JVM ran no router: the calls were served by the children, which have all exited
        assertThat(ProcessHandle.current().descendants()
                .filter(p -> p.info().commandLine().orElse("").contains(ProcessRoles.class.getName())))
                .isEmpty();
    }

    /**
     * --clients: two client JVMs share the window and the calls, the parent merges what both measured, and no child
     * (router, dealer, clients) outlives the run.
     */
    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void clientsLoadTheProcessesFromJvmsOfTheirOwnAndTheirPhasesMerge(@TempDir Path dir) throws Exception {
        BenchmarkOptions options = BenchmarkOptions.parse(new String[] { "--processes", "1", "--clients", "2",
                "--window", "4", "--calls", "400", "--warmup", "200", "--max-seconds", "20", "--output",
                dir.resolve("clients.json").toString() }, new java.util.Properties());
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        CompletableFuture<Report> run = CompletableFuture.supplyAsync(
                () -> new LoadGenerator(options, new PrintStream(printed, true, StandardCharsets.UTF_8)).run());
        // every child seen while the run lasts, by pid: its role, and its JVM options (between java and -cp)
        Map<Long, String> children = new ConcurrentHashMap<>();
        Map<Long, List<String>> jvmOptions = new ConcurrentHashMap<>();
        await().atMost(Duration.ofSeconds(100)).pollInterval(Duration.ofMillis(20)).until(() -> {
            ProcessHandle.current().descendants().forEach(child -> {
                List<String> words = List.of(child.info().commandLine().orElse("").split(" "));
                int at = words.indexOf(ProcessRoles.class.getName());
                if (at >= 0 && at + 1 < words.size()) {
                    children.put(child.pid(), words.get(at + 1));
                    jvmOptions.put(child.pid(), words.subList(1, words.indexOf("-cp")));
                }
            });
            return run.isDone();
        });
        Report report = run.get();

        assertThat(children.values()).containsExactlyInAnyOrder("router", "dealer", "client", "client");
        List<String> own = ManagementFactory.getRuntimeMXBean().getInputArguments();
        assertThat(own).as("set by this module's build").contains("-XX:+UseSerialGC");
        assertThat(jvmOptions.values()).as("each child runs with this JVM's options (the collector: Serial)")
                .allSatisfy(childOptions -> assertThat(childOptions).isEqualTo(own));
        ScenarioResult result = report.results().get(0);
        assertThat(report.results()).hasSize(1);
        assertThat(result.name()).isEqualTo("voidrail-processes");
        assertThat(result.description()).contains("1 one-slot dealers, each its own JVM; 2 client JVMs, "
                + "2 calls in flight each");
        assertThat(result.complete()).as(printed.toString(StandardCharsets.UTF_8)).isTrue();
        assertThat(result.measured().succeeded()).isEqualTo(400);
        assertThat(result.measured().failed()).isZero();
        assertThat(result.measured().latencies().getTotalCount()).as("both clients' latencies, 200 each").isEqualTo(400);
        assertThat(result.measured().cpuMicrosPerCall()).as("the clients' CPU").isPositive();
        assertThat(result.warmup().succeeded()).as("both clients' warm-ups, 100 each").isEqualTo(200);
        assertThat(printed.toString(StandardCharsets.UTF_8))
                .containsPattern("(?m)^RESULT scenario=voidrail-processes rps=\\d+ p50_us=\\d+ p99_us=\\d+ ");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(children.keySet())
                .noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)));
    }

    @Test
    void processesTakesNoRouterOrScenarios() {
        assertThatThrownBy(() -> BenchmarkOptions.parse(new String[] { "--processes", "2", "--router",
                "tcp://127.0.0.1:1" }, new java.util.Properties()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--processes starts its own");
        assertThatThrownBy(() -> BenchmarkOptions.parse(new String[] { "--processes", "-1" },
                new java.util.Properties())).hasMessageContaining("must not be negative");
    }
}
