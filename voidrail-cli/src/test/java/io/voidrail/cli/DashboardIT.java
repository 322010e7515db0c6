package io.voidrail.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import io.voidrail.cli.Launcher.Launched;
import io.voidrail.cli.example.EchoService;
import io.voidrail.dealer.ServiceDealer;

/** {@code voidrail router --dashboard-port}: the page and its JSON from the router process, over HTTP. */
class DashboardIT {

    private static final Pattern DASHBOARD = Pattern.compile("(?m)^  dashboard: (http://127\\.0\\.0\\.1:\\d+/voidrail/)$");

    private static final Launcher launcher = new Launcher();

    private final HttpClient http = HttpClient.newHttpClient();

    @AfterAll
    static void killLeftovers() {
        launcher.close();
    }

    @Test
    void routerServesTheDashboardOfItsBus() throws Exception {
        String port = String.valueOf(Launcher.freePort());
        Launched router = launcher.start("router", "--port", port, "--dashboard-port", "0", "--logger-level", "WARNING")
                .awaitLine("  dashboard: http://127\\.0\\.0\\.1:\\d+/voidrail/");
        Matcher url = DASHBOARD.matcher(router.out());
        assertThat(url.find()).isTrue();
        String page = url.group(1);

        HttpResponse<String> html = get(page);
        assertThat(html.statusCode()).isEqualTo(200);
        assertThat(html.body()).contains("<title>VoidRail dashboard</title>");
        assertThat(get(page + "uplot.min.js").body()).contains("uPlot");
        assertThat(get(page.replace("/voidrail/", "/")).statusCode()).isEqualTo(302);
        // a fresh router: no dealer yet, the page will say how to start one
        assertThat(get(page + "snapshot.json").body()).contains("\"local\":true", "\"dealers\":[]",
                "\"address\":\"tcp://127.0.0.1:" + port + "\"");

        try (ServiceDealer dealer = ServiceDealer.builder().routerAddress("tcp://127.0.0.1:" + port)
                .service(new EchoService()).build().start()) {
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(get(page + "snapshot.json").body())
                    .contains("\"group\":\"EchoService\"", "\"runtime\":\"Java\"", "\"name\":\"EchoService.work\""));
        }

        router.terminate();
        assertThat(router.awaitExit(Launcher.LIMIT)).as(router.toString()).isZero();
    }

    @Test
    void aDashboardPortInUseIsAClearError() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Launched router = launcher.start("router", "--port", String.valueOf(Launcher.freePort()), "--dashboard-port",
                    String.valueOf(taken.getLocalPort()));
            assertThat(router.exitCode()).isEqualTo(1);
            assertThat(router.err()).contains("error: Cannot serve the VoidRail dashboard on 127.0.0.1:"
                    + taken.getLocalPort());
        }
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
