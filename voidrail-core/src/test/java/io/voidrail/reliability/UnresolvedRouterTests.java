package io.voidrail.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.voidrail.ErrorCode;
import io.voidrail.VoidRailException;
import io.voidrail.client.ClientDealer;
import io.voidrail.client.ConnectionState;
import io.voidrail.dealer.RegistrationState;
import io.voidrail.dealer.ServiceDealer;
import io.voidrail.it.Bus;
import io.voidrail.it.LogCapture;
import io.voidrail.router.ServiceRouter;

/**
 * A router address whose host name does not resolve yet (a router not started, DNS not updated after a move): dealers
 * and clients keep trying, say why in their log and their errors, and work once the name resolves. JeroMQ resolves a
 * name once per connection, so without this a dealer's or a client's loop ended for good.
 *
 * <p>Child JVMs read their host names from a file of the test's ({@code jdk.net.hosts.file}) that gains the name
 * midway, and keep no failed look-up ({@code networkaddress.cache.negative.ttl=0}; the default is 10 s).
 */
class UnresolvedRouterTests {

    private static final String NAME = "voidrail-router.test";

    @TempDir
    Path dir;
    private Path hosts;
    private List<String> resolver;
    private ServiceRouter router;

    @BeforeEach
    void emptyHostsFileAndRouter() throws IOException {
        hosts = Files.writeString(dir.resolve("hosts"), "");
        Path security = Files.writeString(dir.resolve("java.security"), "networkaddress.cache.negative.ttl=0\n");
        resolver = List.of("-Djdk.net.hosts.file=" + hosts, "-Djava.security.properties=" + security);
        router = ServiceRouter.builder().address("tcp://127.0.0.1:0").environment(Bus.NO_ENV).build().start();
    }

    @AfterEach
    void closeRouter() {
        router.close();
    }

    private String address() {
        return "tcp://" + NAME + ":" + router.port();
    }

    private void nameResolves() throws IOException {
        Files.writeString(hosts, "127.0.0.1 " + NAME + "\n");
    }

    @Test
    void aDealerStartedBeforeItsRoutersNameResolvesRegistersOnceItDoes() throws IOException {
        try (JavaProcess dealer = JavaProcess.start(resolver, DealerMain.class, address(),
                ReliabilityService.class.getName())) {
            dealer.awaitLine(".*VoidRail dealer Reliability-\\S+: the router address " + address()
                    + " does not resolve \\(.*" + NAME + ".*\\); trying again every 1000 ms", Duration.ofSeconds(20));
            assertThat(router.status().dealers()).isEmpty();
            nameResolves();
            dealer.awaitLine("READY Reliability-[0-9a-f]{8}", Duration.ofSeconds(20));
            try (ClientDealer client = ClientDealer.builder().routerAddress(router.address()).environment(Bus.NO_ENV).build()) {
                assertThat(client.invoke("Reliability.work", String.class, 0)).isEqualTo("pid" + dealer.pid());
            }
        }
    }

    @Test
    void aClientWhoseRoutersNameDoesNotResolveFailsItsCallsAsUnavailableThenCallsOnceItResolves() throws IOException {
        try (ServiceDealer dealer = ServiceDealer.builder().routerAddress(router.address()).environment(Bus.NO_ENV)
                .service(new ReliabilityService("in-test")).build().start();
                JavaProcess client = JavaProcess.start(resolver, ClientMain.class, address(), "connect-timeout-ms=1000")) {
            dealer.registered().join();
            client.writeLine("call");
            Matcher failed = client.awaitLine("FAILED (\\S+) (.*)", Duration.ofSeconds(20));
            assertThat(failed.group(1)).isEqualTo(ErrorCode.UNAVAILABLE.name());
            assertThat(failed.group(2)).contains("router " + address() + " does not resolve (").contains(NAME);
            nameResolves();
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(500)).until(() -> {
                client.writeLine("call");
                return client.lines().contains("OK in-test");
            });
        }
    }

    /** In this JVM: the name never resolves ({@code .invalid} is reserved for that). */
    @Test
    void aClientStaysUsableAndWarnsOnceAMinuteWhileItsRoutersNameDoesNotResolve() {
        String address = "tcp://voidrail-router.invalid:5555";
        try (LogCapture log = new LogCapture();
                ClientDealer client = ClientDealer.builder().routerAddress(address).environment(Bus.NO_ENV)
                        .connectTimeout(Duration.ofSeconds(1)).build()) {
            // a new connection, which resolves the name again, after every connect timeout: at least two in 2.5 s
            await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                    .until(() -> failsAsUnresolved(client, address));
            assertThat(client.connectionState()).isEqualTo(ConnectionState.UNAVAILABLE);
            assertThat(log.messages()).filteredOn(line -> line.startsWith("VoidRail router address " + address + " does not resolve (")
                    && line.endsWith("the client tries again every 1 s"))
                    .hasSize(1);
        }
    }

    private static boolean failsAsUnresolved(ClientDealer client, String address) {
        try {
            client.invoke("Reliability.work", String.class, 0);
            return false;
        }
        catch (VoidRailException ex) {
            return ex.code() == ErrorCode.UNAVAILABLE && ex.getMessage().contains("router " + address + " does not resolve (");
        }
    }

    /** The same for a dealer: it keeps registering instead of stopping. */
    @Test
    void aDealerKeepsTryingWhileItsRoutersNameDoesNotResolve() {
        try (LogCapture log = new LogCapture();
                ServiceDealer dealer = ServiceDealer.builder().routerAddress("tcp://voidrail-router.invalid:5555")
                        .environment(Bus.NO_ENV).service(new ReliabilityService("in-test"))
                        .heartbeatInterval(Duration.ofMillis(100)).routerSilenceTimeout(Duration.ofMillis(500))
                        .build().start()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> log.contains("does not resolve"));
            // a new socket, which resolves the name again, after every 0.5 s of silence: several in 2.5 s
            await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(5))
                    .until(() -> dealer.state() == RegistrationState.REGISTERING);
            assertThat(dealer.registered()).isNotDone();
            assertThat(log.messages()).filteredOn(line -> line.contains("does not resolve")).hasSize(1)
                    .allMatch(line -> line.contains("the router address tcp://voidrail-router.invalid:5555 does not resolve (")
                            && line.endsWith("trying again every 500 ms"));
        }
    }
}
