package io.voidrail.cli;

import static io.voidrail.cli.InProcess.voidrail;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.voidrail.VoidRailVersion;
import io.voidrail.cli.InProcess.Result;
import io.voidrail.cli.example.EchoService;
import io.voidrail.client.ClientDealer;
import io.voidrail.dealer.ServiceDealer;
import io.voidrail.RouterMode;
import io.voidrail.router.ServiceRouter;
import tools.jackson.databind.JsonNode;

/**
 * {@code voidrail client} in this JVM against a real router and dealer on 127.0.0.1: what it prints, and
 * how it fails. The launcher and separate processes are covered by the *IT classes.
 */
class ClientCommandTests {

    private static ServiceRouter router;
    private static ServiceDealer dealer;
    private static String port;

    @BeforeAll
    static void startBus() {
        router = ServiceRouter.builder().address("tcp://127.0.0.1:0").build().start();
        port = String.valueOf(router.port());
        dealer = ServiceDealer.builder().routerAddress(router.address()).service(new EchoService()).build().start();
        await().atMost(Duration.ofSeconds(10)).until(dealer::isRegistered);
    }

    @AfterAll
    static void stopBus() {
        dealer.close();
        router.close();
    }

    @Test
    void listsMethodsAndInstancesAsTables() {
        Result result = client("--list");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out().lines()).containsSequence("Methods (5)",
                "METHOD              STREAM  DESCRIPTION                                                  PARAMETERS",
                "EchoService.add     no      Add two numbers                                              a: first number, b: second number");
        assertThat(result.out()).contains("EchoService.stream  yes").contains("Instances (1, 1 active)")
                .containsPattern("(?m)^" + dealer.identity() + "  EchoService  active  0/1 ");
    }

    @Test
    void loadIsCallsInFlightOfTheSlotsInFifoModeAndOfMaxConcurrentInLoadBalanceMode() {
        try (ClientDealer caller = ClientDealer.builder().routerAddress(router.address()).build()) {
            CompletableFuture<Object> busy = caller.invokeAsync("EchoService.work", Object.class, 2.0);
            await().atMost(Duration.ofSeconds(10)).until(() -> router.status().requestsInProcess() == 1);

            assertThat(client("--list").out()).containsPattern("(?m)^" + dealer.identity() + "  EchoService  active  1/1 ");
            busy.join();
        }
        try (ServiceRouter balancing = ServiceRouter.builder().address("tcp://127.0.0.1:0").mode(RouterMode.LOAD_BALANCE)
                .build().start();
                ServiceDealer balanced = ServiceDealer.builder().routerAddress(balancing.address())
                        .service(new EchoService()).maxConcurrent(7).build().start()) {
            assertThat(balanced.registered()).succeedsWithin(Duration.ofSeconds(10));

            assertThat(voidrail("client", "--port", String.valueOf(balancing.port()), "--list").out())
                    .containsPattern("(?m)^" + balanced.identity() + "  EchoService  active  0/7 ");
        }
    }

    @Test
    void argumentsTooLargeForACommandLineComeFromAFileOrStandardInput(@TempDir Path directory) throws Exception {
        // a single command-line argument is limited to 128 KiB on Linux ("Argument list too long")
        String large = "x".repeat(300_000);
        Path file = directory.resolve("args.json");
        Files.writeString(file, Json.write(List.of(large)) + "\n");

        assertThat(client("--call", "EchoService.echo", "--args", "@" + file).out()).isEqualTo(large + "\n");
        InputStream stdin = System.in;
        try {
            System.setIn(new ByteArrayInputStream("{\"a\": 5, \"b\": 3}\n".getBytes(StandardCharsets.UTF_8)));
            assertThat(client("--call", "EchoService.add", "--args", "-").out()).isEqualTo("8\n");
        }
        finally {
            System.setIn(stdin);
        }
        Result missing = client("--call", "EchoService.echo", "--args", "@" + directory.resolve("nope.json"));
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err()).startsWith("error: --args @" + directory.resolve("nope.json") + ": no such file");
    }

    @Test
    void routerInfoAndTheVersionOptionShowTheSameVersion() {
        JsonNode info = Json.MAPPER.readTree(client("--router-info", "--json").out()).path("router_info");
        String version = voidrail("--version").out().lines().findFirst().orElseThrow();

        assertThat(info.path("implementation").asString()).isEqualTo("voidrail-java/" + VoidRailVersion.VERSION);
        assertThat(version).isEqualTo("voidrail " + VoidRailVersion.VERSION + " (voidrail-java/" + VoidRailVersion.VERSION + ")");
    }

    @Test
    void listsAsJsonWithTheWireNames() {
        JsonNode json = Json.MAPPER.readTree(client("--list", "--json").out());

        assertThat(json.path("methods").path("EchoService.add").path("params").path("a").asString()).isEqualTo("first number");
        assertThat(json.path("methods").path("EchoService.stream").path("stream").asBoolean()).isTrue();
        assertThat(json.path("instances").path(dealer.identity()).path("max_concurrent").asInt()).isEqualTo(100);
    }

    @Test
    void callsWithKeywordPositionalAndTextArguments() {
        assertThat(client("--call", "EchoService.add", "--args", "{\"b\": 3, \"a\": 5}").out()).isEqualTo("8\n");
        assertThat(client("--call", "EchoService.add", "--args", "[5, 3]", "--json").out()).isEqualTo("{\"result\":8}\n");
        assertThat(client("-c", "EchoService.echo", "-a", "hello world").out()).isEqualTo("hello world\n");
        assertThat(client("-c", "EchoService.echo", "-a", "\"[1, 2]\"", "--json").out()).isEqualTo("{\"result\":\"[1, 2]\"}\n");
    }

    @Test
    void printsEachStreamItemOnItsOwnLine() {
        assertThat(client("--call", "EchoService.stream", "--args", "[0, 3]").out()).isEqualTo("0\n1\n2\n");
        assertThat(client("--call", "EchoService.stream", "--args", "{\"start\": 7, \"end\": 9}", "--json").out())
                .isEqualTo("{\"item\":7}\n{\"item\":8}\n");
    }

    @Test
    void runsActionsInTheOrderListRouterInfoQueueStatusCall() {
        Result result = client("--call", "EchoService.add", "--args", "[1, 2]", "--queue-status", "--router-info", "--list");

        assertThat(result.exitCode()).isZero();
        List<String> lines = result.out().lines().toList();
        assertThat(lines).filteredOn(line -> line.matches("(Methods|Instances|Queues) \\(.*|Router"))
                .extracting(line -> line.split(" ")[0]).containsExactly("Methods", "Instances", "Router", "Queues");
        assertThat(result.out()).containsPattern("(?m)^mode +fifo$");
        assertThat(lines.get(lines.size() - 1)).isEqualTo("3");
    }

    @Test
    void aFailingMethodIsOneLineAndExitCodeOne() {
        Result result = client("--call", "EchoService.fail", "--args", "boom");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.out()).isEmpty();
        assertThat(result.err().lines()).singleElement().asString()
                .startsWith("error: EchoService.fail failed (EXECUTION_ERROR): ").contains("boom");
    }

    @Test
    void debugAddsTheStackTrace() {
        Result result = client("--call", "EchoService.fail", "--args", "boom", "--debug");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).startsWith("error: EchoService.fail failed").contains("\tat io.voidrail.");
    }

    @Test
    void aCallPastItsTimeoutIsOneLineAndExitCodeOne() {
        Result result = client("--call", "EchoService.work", "--args", "1.5", "--timeout", "0.5");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err().lines()).singleElement().asString()
                .startsWith("error: EchoService.work: no answer within 0.5 s (");
    }

    @Test
    void anUnknownMethodFailsAtOnceInsteadOfWaitingInTheQueue() {
        long started = System.nanoTime();
        Result result = client("--call", "EchoService.nope", "--timeout", "20");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("error: Method EchoService.nope not found: no active dealer offers it (see --list)\n");
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void aRouterThatIsNotThereIsReportedQuickly() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Result result = voidrail("client", "--port", String.valueOf(closedPort), "--list", "--timeout", "1");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).isEqualTo("error: No VoidRail router answers at tcp://127.0.0.1:" + closedPort
                + " (waited 1 s)\n");
    }

    @Test
    void routerTakesSeveralAddressesAndTheClientUsesOneThatAnswers() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        Result result = voidrail("client", "--router", "tcp://127.0.0.1:" + closedPort + "," + router.address(),
                "--call", "EchoService.echo", "--args", "two routers");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEqualTo("two routers\n");
        assertThat(voidrail("client", "--router", "nonsense", "--list").err())
                .contains("--router: Invalid VoidRail address 'nonsense'");
        assertThat(voidrail("router", "--router", router.address()).err()).contains("--router is for dealers and clients");
    }

    @Test
    void aRouterThatRequiresAKeyRefusesAClientWithoutOne() {
        try (ServiceRouter secured = ServiceRouter.builder().address("tcp://127.0.0.1:0").requireAuth(true)
                .clientApiKeys(List.of("client_261125_good")).build().start()) {
            String securedPort = String.valueOf(secured.port());

            Result refused = voidrail("client", "--port", securedPort, "--list", "--api-key", "client_261125_bad");
            Result accepted = voidrail("client", "--port", securedPort, "--queue-status", "--api-key", "client_261125_good");

            assertThat(refused.exitCode()).isEqualTo(1);
            assertThat(refused.err().lines()).singleElement().asString()
                    .startsWith("error: The router at tcp://127.0.0.1:" + securedPort + " refused this client: ")
                    .endsWith("(check the client key)");
            assertThat(accepted.exitCode()).isZero();
            assertThat(accepted.out()).isEqualTo("Queues (0)\nMETHOD  QUEUED  AVAILABLE  BUSY\n");
        }
    }

    private static Result client(String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "client";
        all[1] = "--port";
        all[2] = port;
        System.arraycopy(args, 0, all, 3, args.length);
        return voidrail(all);
    }
}
