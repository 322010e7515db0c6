package io.voidrail.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

import io.voidrail.VoidRailException;
import io.voidrail.auth.AuthEnvironment;
import io.voidrail.auth.CurveClientConfig;
import io.voidrail.auth.CurveKeys;
import io.voidrail.auth.CurveServerConfig;
import io.voidrail.client.ClientDealer;
import io.voidrail.codec.JsonCodec;
import io.voidrail.dealer.ServiceDealer;
import io.voidrail.router.ServiceRouter;
import tools.jackson.databind.JsonNode;

/** The page and its JSON over real HTTP from the JDK server, for an in-process and a remote router. */
class DashboardServerTests {

    private static final AuthEnvironment NO_ENV = new AuthEnvironment(Map.of());

    private final HttpClient http = HttpClient.newHttpClient();
    private final ServiceRouter router = ServiceRouter.builder().address("tcp://127.0.0.1:0").environment(NO_ENV)
            .build().start();
    private ServiceDealer dealer;
    private ClientDealer client;
    private Dashboard dashboard;
    private DashboardServer server;

    @AfterEach
    void close() {
        for (AutoCloseable closeable : new AutoCloseable[] { server, dashboard, client, dealer, router }) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            }
            catch (Exception ex) {
                // closing the rest matters more
            }
        }
    }

    @Test
    void servesThePageItsFilesAndTheSnapshotOfTheLocalRouter() throws Exception {
        startDealerAndClient();
        client.invoke("Echo.echo", String.class, "hi");
        assertThatThrownBy(() -> client.invoke("Echo.fail", String.class, "boom")).isInstanceOf(VoidRailException.class);
        dashboard = Dashboard.forRouter(router).refreshInterval(Duration.ofMillis(200)).build();
        server = DashboardServer.start(dashboard, "127.0.0.1", 0, "/voidrail");
        assertThat(server.url()).isEqualTo("http://127.0.0.1:" + server.port() + "/voidrail/");

        HttpResponse<String> root = get("/");
        assertThat(root.statusCode()).isEqualTo(302);
        assertThat(root.headers().firstValue("Location")).hasValue("/voidrail/");
        HttpResponse<String> mount = get("/voidrail");
        assertThat(mount.statusCode()).isEqualTo(302);
        assertThat(mount.headers().firstValue("Location")).hasValue("voidrail/");

        HttpResponse<String> page = get("/voidrail/");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(page.headers().firstValue("Content-Security-Policy")).get().asString().contains("default-src 'self'");
        assertThat(page.body()).contains("<title>VoidRail dashboard</title>", "src=\"uplot.min.js\"");
        assertThat(get("/voidrail/uplot.min.js").body()).contains("uPlot");
        assertThat(get("/voidrail/dashboard.js").headers().firstValue("Content-Type")).get().asString()
                .startsWith("text/javascript");
        assertThat(get("/voidrail/nothing.txt").statusCode()).isEqualTo(404);
        assertThat(get("/voidrail/../../etc/passwd").statusCode()).isEqualTo(404);

        HttpResponse<String> json = get("/voidrail/snapshot.json");
        assertThat(json.headers().firstValue("Cache-Control")).hasValue("no-store");
        JsonNode bus = JsonCodec.defaults().mapper().readTree(json.body()).path("bus");
        assertThat(bus.path("local").asBoolean()).isTrue();
        assertThat(bus.path("reachable").asBoolean()).isTrue();
        assertThat(bus.path("router").path("mode").asString()).isEqualTo("fifo");
        assertThat(bus.path("router").path("implementation").asString()).startsWith("voidrail-java/");
        assertThat(bus.path("router").path("encrypted").isBoolean()).isTrue();
        assertThat(bus.path("router").path("encrypted").asBoolean()).isFalse();
        JsonNode echoDealer = bus.path("dealers").get(0);
        assertThat(echoDealer.path("group").asString()).isEqualTo("Echo");
        assertThat(echoDealer.path("runtime").asString()).isEqualTo("Java");
        assertThat(echoDealer.path("pid").asLong()).isEqualTo(ProcessHandle.current().pid());
        assertThat(echoDealer.path("replies").asLong()).isEqualTo(2);
        assertThat(bus.path("methods").findValuesAsString("name")).contains("Echo.echo", "Echo.fail", "Echo.held");
        assertThat(bus.path("errorCounts").path("EXECUTION_ERROR").asLong()).isEqualTo(1);
        assertThat(bus.path("recentErrors").get(0).path("message").asString()).isEqualTo("Method execution error: boom");

        HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(base() + "/voidrail/snapshot.json"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
    }

    @Test
    void readsARemoteRouterThroughAClientAndSaysWhenItStopsAnswering() throws Exception {
        startDealerAndClient();
        Echo.gate = new CountDownLatch(1);
        CompletableFuture<String> running = client.invokeAsync("Echo.held", String.class);
        CompletableFuture<String> waiting = client.invokeAsync("Echo.held", String.class);
        dashboard = Dashboard.forClient(client).refreshInterval(Duration.ofMillis(200)).build().start();
        server = DashboardServer.start(dashboard, "127.0.0.1", 0, "/");

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            JsonNode bus = snapshot("/snapshot.json");
            assertThat(bus.path("local").asBoolean()).isFalse();
            assertThat(bus.path("router").path("encrypted").asBoolean()).isFalse();
            JsonNode slow = method(bus, "Echo.held");
            assertThat(slow.path("queueLength").asInt()).isEqualTo(1);
            assertThat(slow.path("oldestWaitMs").asLong()).isPositive();
            assertThat(bus.path("dealers").get(0).path("runtime").asString()).isEqualTo("Java");
            assertThat(bus.path("dealers").get(0).path("inFlight").asInt()).isEqualTo(1);
        });
        Thread.sleep(300); // the waiting call's latency will be at least this
        Echo.gate.countDown();
        CompletableFuture.allOf(running, waiting).join();
        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            JsonNode held = method(snapshot("/snapshot.json"), "Echo.held");
            assertThat(held.path("succeeded").asLong()).isEqualTo(2);
            assertThat(held.path("p99Ms").asDouble()).isGreaterThan(300);
        });

        router.close();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode bus = snapshot("/snapshot.json");
            assertThat(bus.path("reachable").asBoolean()).isFalse();
            assertThat(bus.path("problem").asString()).contains("does not answer");
            assertThat(bus.path("dealers")).hasSize(1); // the last picture stays on the page
        });
    }

    @Test
    void showsACurveRouterAsEncryptedLocallyAndRemotely() throws Exception {
        CurveKeys.Pair routerKeys = CurveKeys.generate();
        CurveKeys.Pair clientKeys = CurveKeys.generate();
        try (ServiceRouter curveRouter = ServiceRouter.builder().address("tcp://127.0.0.1:0").environment(NO_ENV)
                .curve(CurveServerConfig.of(routerKeys).withAllowedKeys(List.of(clientKeys.publicKey()))).build()
                .start()) {
            dashboard = Dashboard.forRouter(curveRouter).build();
            assertThat(encrypted(dashboard)).isTrue();
            dashboard.close();

            // room for one stalled handshake (JeroMQ redoes it after 1 s), before the dashboard's short ping
            client = ClientDealer.builder().routerAddress(curveRouter.address()).environment(NO_ENV)
                    .curve(new CurveClientConfig(routerKeys.publicKey(), clientKeys)).timeout(Duration.ofSeconds(25))
                    .build();
            assertThat(client.getRouterInfo().curve()).isTrue();
            dashboard = Dashboard.forClient(client).build();
            assertThat(encrypted(dashboard)).isTrue();
        }
    }

    private static boolean encrypted(Dashboard dashboard) {
        JsonNode bus = JsonCodec.defaults().mapper().readTree(dashboard.snapshotJson()).path("bus");
        assertThat(bus.path("reachable").asBoolean()).as("reachable: %s", bus).isTrue();
        return bus.path("router").path("encrypted").asBoolean();
    }

    @Test
    void aDealerThatAnnouncesNoImplementationIsAPythonOne() {
        // what a Python dealer registers (PROTOCOL.md section 3): no implementation, no capabilities
        try (ZContext context = new ZContext(1)) {
            ZMQ.Socket python = context.createSocket(SocketType.DEALER);
            python.setIdentity("PyService-1a2b3c4d".getBytes(StandardCharsets.UTF_8));
            python.connect(router.address());
            python.sendMore("register");
            python.send("{\"group\": \"PyService\", \"methods\": {\"infer\": {\"description\": null, "
                    + "\"params\": null, \"stream\": false, \"metadata\": {}}}, \"host_info\": "
                    + "{\"hostname\": \"gpu1\", \"ip\": \"10.0.0.5\", \"pid\": 4242}}");
            assertThat(python.recvStr()).isEqualTo("register_ack");
            dashboard = Dashboard.forRouter(router).build();
            JsonNode dealer = JsonCodec.defaults().mapper().readTree(dashboard.snapshotJson()).path("bus")
                    .path("dealers").get(0);
            assertThat(dealer.path("runtime").asString()).isEqualTo("Python");
            assertThat(dealer.path("host").asString()).isEqualTo("gpu1");
            assertThat(dealer.path("pid").asLong()).isEqualTo(4242);
            assertThat(dealer.path("methods").get(0).asString()).isEqualTo("PyService.infer");
        }
    }

    private void startDealerAndClient() {
        dealer = ServiceDealer.builder().routerAddress(router.address()).service(new Echo()).environment(NO_ENV)
                .heartbeatInterval(Duration.ofMillis(200)).build().start();
        await().atMost(Duration.ofSeconds(10)).until(dealer::isRegistered);
        client = ClientDealer.builder().routerAddress(router.address()).environment(NO_ENV)
                .timeout(Duration.ofSeconds(5)).build();
    }

    private static JsonNode method(JsonNode bus, String name) {
        for (JsonNode method : bus.path("methods")) {
            if (method.path("name").asString().equals(name)) {
                return method;
            }
        }
        throw new AssertionError("no method " + name + " in " + bus);
    }

    private JsonNode snapshot(String path) throws Exception {
        return JsonCodec.defaults().mapper().readTree(get(path).body()).path("bus");
    }

    private String base() {
        return "http://127.0.0.1:" + server.port();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base() + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
