package io.voidrail.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.voidrail.VoidRailException;
import io.voidrail.auth.ApiKeyManager;
import io.voidrail.auth.CurveClientConfig;
import io.voidrail.auth.CurveKeys;
import io.voidrail.auth.CurveServerConfig;
import io.voidrail.client.ClientDealer;
import io.voidrail.dealer.ServiceDealer;
import io.voidrail.ErrorCode;
import io.voidrail.router.ServiceRouter;

/**
 * CURVE between Java peers (the Ironhouse pattern): encrypted calls, plaintext and unlisted peers refused with a
 * log line, the allow-list re-read without a restart, API keys on top, and the roles of the dealer and client lists.
 */
class CurveTests {

    private static final Duration REFUSED_WAIT = Duration.ofSeconds(10);

    @TempDir
    Path allowed;

    private final CurveKeys.Pair routerKeys = CurveKeys.generate();
    private final CurveKeys.Pair dealerKeys = CurveKeys.generate();
    private final CurveKeys.Pair clientKeys = CurveKeys.generate();

    private Bus curveBus(Consumer<ServiceRouter.Builder> more) {
        CurveKeys.save(dealerKeys, allowed, "dealer");
        CurveKeys.save(clientKeys, allowed, "client");
        CurveServerConfig curve = CurveServerConfig.of(routerKeys).withAllowList(allowed)
                .withReloadPeriod(Duration.ofMillis(100));
        return Bus.start(b -> more.accept(b.curve(curve)));
    }

    private CurveClientConfig as(CurveKeys.Pair keys) {
        return new CurveClientConfig(routerKeys.publicKey(), keys);
    }

    private static ServiceDealer unregisteredDealer(Bus bus, Consumer<ServiceDealer.Builder> config) {
        ServiceDealer.Builder builder = ServiceDealer.builder().routerAddress(bus.address()).service(new EchoService())
                .environment(Bus.NO_ENV).heartbeatInterval(Duration.ofMillis(200));
        config.accept(builder);
        return builder.build().start();
    }

    @Test
    void callsStreamsAndApiKeysWorkOverCurve() {
        String dealerApiKey = ApiKeyManager.generateKey("dealer");
        String clientApiKey = ApiKeyManager.generateKey("client");
        try (LogCapture logs = new LogCapture();
                Bus bus = curveBus(b -> b.requireAuth(true).dealerApiKeys(List.of(dealerApiKey))
                        .clientApiKeys(List.of(clientApiKey)))) {
            bus.dealer(new EchoService(), b -> b.curve(as(dealerKeys)).apiKey(dealerApiKey));
            // room for one stalled handshake (JeroMQ redoes it after 1 s)
            ClientDealer client = bus.client(b -> b.curve(as(clientKeys)).apiKey(clientApiKey).timeout(Duration.ofSeconds(25)));

            assertThat(client.invoke("EchoService.echo", String.class, "sealed")).isEqualTo("sealed");
            try (Stream<Integer> items = client.stream("EchoService.stream", Integer.class, 0, 4)) {
                assertThat(items).containsExactly(0, 1, 2, 3);
            }
            // the router knows which CURVE key the dealer's connection proved (ZAP User-Id on every frame)
            assertThat(logs.text()).contains("CURVE key " + dealerKeys.fingerprint());

            // a listed CURVE key does not replace the API key
            ClientDealer keyless = bus.client(b -> b.curve(as(clientKeys)).apiKey("client_261201_notthekeynotthekeynot"));
            assertThatThrownBy(() -> keyless.invoke("EchoService.echo", String.class, "x"))
                    .isInstanceOfSatisfying(VoidRailException.class,
                            ex -> assertThat(ex.code()).isEqualTo(ErrorCode.UNAUTHENTICATED));
        }
    }

    @Test
    void plaintextPeersAreRefusedAndNothingReachesTheRouter() {
        try (LogCapture logs = new LogCapture(); Bus bus = curveBus(b -> { })) {
            try (ServiceDealer plain = unregisteredDealer(bus, b -> { })) {
                await().atMost(REFUSED_WAIT).until(() -> logs.contains("did not start a CURVE handshake"));
                ClientDealer client = bus.client(b -> b.timeout(Duration.ofSeconds(1)));
                assertThatThrownBy(() -> client.invoke("EchoService.echo", String.class, "x"))
                        .isInstanceOf(VoidRailException.class);
                assertThat(plain.isRegistered()).isFalse();
                assertThat(bus.router().status().dealers()).isEmpty();
                assertThat(bus.router().status().totalRequests()).isZero();
            }
        }
    }

    @Test
    void unlistedKeysAndAWrongRouterKeyAreRefusedWithALogLine() {
        CurveKeys.Pair stranger = CurveKeys.generate();
        try (LogCapture logs = new LogCapture(); Bus bus = curveBus(b -> { })) {
            try (ServiceDealer dealer = unregisteredDealer(bus, b -> b.curve(as(stranger)))) {
                await().atMost(REFUSED_WAIT).until(() -> logs.contains("public key " + stranger.publicKey() + " ("
                        + stranger.fingerprint() + ") is not on the allow-list"));
                ClientDealer client = bus.client(b -> b.curve(as(stranger)).timeout(Duration.ofSeconds(1)));
                assertThatThrownBy(() -> client.invoke("EchoService.echo", String.class, "x"))
                        .isInstanceOf(VoidRailException.class);
                ClientDealer misled = bus.client(b -> b.curve(new CurveClientConfig(CurveKeys.generate().publicKey(),
                        clientKeys)).timeout(Duration.ofSeconds(1)));
                assertThatThrownBy(() -> misled.invoke("EchoService.echo", String.class, "x"))
                        .isInstanceOf(VoidRailException.class);
                await().atMost(REFUSED_WAIT).until(() -> logs.contains("refused a CURVE handshake"));

                assertThat(dealer.isRegistered()).isFalse();
                assertThat(bus.router().status().dealers()).isEmpty();
                assertThat(bus.router().status().totalRequests()).isZero();
                assertThat(logs.text()).doesNotContain(stranger.secretKey()).doesNotContain(routerKeys.secretKey());
            }
        }
    }

    @Test
    void aCertificateAddedToTheAllowListLetsItsPeerInWithoutARestart() {
        CurveKeys.Pair newcomer = CurveKeys.generate();
        try (LogCapture logs = new LogCapture(); Bus bus = curveBus(b -> { })) {
            try (ServiceDealer dealer = unregisteredDealer(bus, b -> b.curve(as(newcomer)))) {
                await().atMost(REFUSED_WAIT).until(() -> logs.contains(newcomer.fingerprint() + ") is not on"));
                assertThat(dealer.isRegistered()).isFalse();

                CurveKeys.save(newcomer, allowed, "newcomer");
                // the router re-reads the directory; the dealer's next connection (after router silence) gets in
                await().atMost(REFUSED_WAIT).until(dealer::isRegistered);
                ClientDealer client = bus.client(b -> b.curve(as(clientKeys)).timeout(Duration.ofSeconds(25)));
                assertThat(client.invoke("EchoService.add", Integer.class, 2, 3)).isEqualTo(5);
                assertThat(logs.text()).contains("re-read the CURVE allow-list");
            }
        }
    }

    // ---------------------------------------------------------------- roles

    /** A router whose dealer list holds the dealer's key and whose client list holds the client's. */
    private Bus roleBus(Consumer<ServiceRouter.Builder> more) {
        CurveKeys.save(dealerKeys, allowed.resolve("dealers"), "dealer");
        CurveKeys.save(clientKeys, allowed.resolve("clients"), "client");
        CurveServerConfig curve = CurveServerConfig.of(routerKeys).withDealerAllowList(allowed.resolve("dealers"))
                .withClientAllowList(allowed.resolve("clients"));
        return Bus.start(b -> more.accept(b.curve(curve)));
    }

    @Test
    void aDealerOnlyKeyCannotCallAndAClientOnlyKeyCannotRegister() {
        try (LogCapture logs = new LogCapture(); Bus bus = roleBus(b -> { })) {
            bus.dealer(new EchoService(), b -> b.curve(as(dealerKeys)));
            ClientDealer client = bus.client(b -> b.curve(as(clientKeys)).timeout(Duration.ofSeconds(25)));
            assertThat(client.invoke("EchoService.echo", String.class, "sealed")).isEqualTo("sealed");
            assertRolesHold(bus, logs, b -> { }, b -> { });
        }
    }

    @Test
    void withApiKeysTooTheCurveRoleAndTheApiKeyMustAgree() {
        String dealerApiKey = ApiKeyManager.generateKey("dealer");
        String clientApiKey = ApiKeyManager.generateKey("client");
        try (LogCapture logs = new LogCapture(); Bus bus = roleBus(b -> b.requireAuth(true)
                .dealerApiKeys(List.of(dealerApiKey)).clientApiKeys(List.of(clientApiKey)))) {
            bus.dealer(new EchoService(), b -> b.curve(as(dealerKeys)).apiKey(dealerApiKey));
            ClientDealer client = bus.client(b -> b.curve(as(clientKeys)).apiKey(clientApiKey).timeout(Duration.ofSeconds(25)));
            assertThat(client.invoke("EchoService.echo", String.class, "sealed")).isEqualTo("sealed");
            // a valid API key of the other role does not lift the CURVE role
            assertRolesHold(bus, logs, b -> b.apiKey(dealerApiKey), b -> b.apiKey(clientApiKey));
        }
    }

    /** The client key registering, and the dealer key calling, are refused; the real dealer alone is listed. */
    private void assertRolesHold(Bus bus, LogCapture logs, Consumer<ServiceDealer.Builder> dealerConfig,
            Consumer<ClientDealer.Builder> clientConfig) {
        String realDealer = bus.router().status().dealers().get(0).id();
        try (ServiceDealer impostor = unregisteredDealer(bus, b -> dealerConfig.accept(b.curve(as(clientKeys))))) {
            await().atMost(Duration.ofSeconds(25)).until(() -> impostor.registered().isDone());
            assertThat(impostor.registered()).isCompletedExceptionally();
            await().atMost(REFUSED_WAIT).until(() -> logs.contains("client keys cannot register"));
            assertThat(logs.text()).contains("CURVE key " + clientKeys.fingerprint() + ", client role");
        }
        ClientDealer caller = bus.client(b -> clientConfig.accept(b.curve(as(dealerKeys)).timeout(Duration.ofSeconds(25))));
        assertThatThrownBy(() -> caller.invoke("EchoService.echo", String.class, "x"))
                .isInstanceOfSatisfying(VoidRailException.class, ex -> assertThat(ex.code()).isEqualTo(ErrorCode.UNAUTHENTICATED));
        assertThat(bus.router().status().dealers()).extracting(d -> d.id()).containsExactly(realDealer);
        assertThat(logs.text()).doesNotContain(clientKeys.secretKey()).doesNotContain(dealerKeys.secretKey());
    }
}
