package io.voidrail.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.voidrail.cli.Launcher.Launched;
import io.voidrail.cli.example.EchoService;

/** {@code router --generate-keys}: the keys have the original's format and the printed command line works. */
class GenerateKeysIT {

    private final Launcher launcher = new Launcher();

    @AfterEach
    void killLeftovers() {
        launcher.close();
    }

    @Test
    void thePrintedRouterCommandLineAdmitsTheKeysAndNothingElse() {
        String port = String.valueOf(Launcher.freePort());
        Launched generated = launcher.run("router", "--generate-keys", "--port", port);
        assertThat(generated.exitCode()).as(generated.toString()).isZero();
        String dealerKey = find("Dealer key: (dealer" + CommandLineTests.KEY + ")", generated.out());
        String clientKey = find("Client key: (client" + CommandLineTests.KEY + ")", generated.out());
        List<String> routerCommand = new ArrayList<>(List.of(find("  (voidrail router .*)", generated.out()).split(" ")));
        routerCommand.set(0, Launcher.SCRIPT.toString());

        launcher.start(routerCommand, Map.of()).awaitLine("VoidRail router listening on tcp://127\\.0\\.0\\.1:" + port)
                .awaitLine("  auth: required \\(1 dealer key\\(s\\), 1 client key\\(s\\)\\)");
        // the dealer takes its key from the environment, as a service manager would pass it
        launcher.start(Map.of("VOIDRAIL_API_KEY", dealerKey), "dealer", "--port", port, "--class", EchoService.class.getName())
                .awaitLine("EchoService-[0-9a-f]{8} registered with .*");

        Launched withKey = launcher.run("client", "--port", port, "--api-key", clientKey, "--call", "EchoService.echo",
                "--args", "let me in");
        Launched withoutKey = launcher.run("client", "--port", port, "--list");
        Launched dealerWithClientKey = launcher.run("dealer", "--port", port, "--class", EchoService.class.getName(),
                "--api-key", clientKey);

        assertThat(withKey.exitCode()).as(withKey.toString()).isZero();
        assertThat(withKey.out()).isEqualTo("let me in\n");
        assertThat(withoutKey.exitCode()).isEqualTo(1);
        assertThat(withoutKey.err()).startsWith("error: The router at tcp://127.0.0.1:" + port + " refused this client: ")
                .endsWith(" (it requires a client key: --api-key or VOIDRAIL_API_KEY)\n");
        assertThat(dealerWithClientKey.exitCode()).isEqualTo(1);
        assertThat(dealerWithClientKey.err()).containsPattern("(?m)^error: The router at tcp://127\\.0\\.0\\.1:" + port
                + " refused the API key of dealer EchoService-[0-9a-f]{8} \\(check the dealer key\\)$");
    }

    @Test
    void theOriginalsVariablesConfigureEveryRole() {
        String port = String.valueOf(Launcher.freePort());
        // the CLI reads VOIDRAIL_* (core's builders only do when asked: fromEnvironment())
        launcher.start(Map.of("VOIDRAIL_REQUIRE_AUTH", "yes", "VOIDRAIL_DEALER_API_KEYS", "dealer-k",
                "VOIDRAIL_CLIENT_API_KEYS", "client-k"), "router", "--port", port)
                .awaitLine("  auth: required \\(1 dealer key\\(s\\), 1 client key\\(s\\)\\)");
        launcher.start(Map.of("VOIDRAIL_API_KEY", "dealer-k"), "dealer", "--port", port, "--class",
                EchoService.class.getName()).awaitLine("EchoService-[0-9a-f]{8} registered with .*");
        Launched withKey = launcher.start(Map.of("VOIDRAIL_API_KEY", "client-k"), "client", "--port", port, "--call",
                "EchoService.echo", "--args", "env");
        withKey.awaitExit(Launcher.LIMIT);

        assertThat(withKey.exitCode()).as(withKey.toString()).isZero();
        assertThat(withKey.out()).isEqualTo("env\n");
    }

    private static String find(String regex, String text) {
        Matcher matcher = Pattern.compile("(?m)^" + regex + "$").matcher(text);
        assertThat(matcher.find()).as("a line %s in%n%s", regex, text).isTrue();
        return matcher.group(1);
    }
}
