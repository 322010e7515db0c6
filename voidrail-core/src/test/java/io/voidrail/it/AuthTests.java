package io.voidrail.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.voidrail.VoidRailException;
import io.voidrail.auth.ApiKeyManager;
import io.voidrail.auth.AuthEnvironment;
import io.voidrail.client.ClientDealer;
import io.voidrail.dealer.RegistrationState;
import io.voidrail.dealer.ServiceDealer;
import io.voidrail.ErrorCode;
import io.voidrail.router.ServiceRouter;

/** API keys for dealers and clients, configured in code or by the original's environment variables. */
class AuthTests {

    private static final String DEALER_KEY = ApiKeyManager.generateKey("dealer");
    private static final String CLIENT_KEY = ApiKeyManager.generateKey("client");

    private static Bus secured() {
        return Bus.start(b -> b.requireAuth(true).dealerApiKeys(List.of(DEALER_KEY)).clientApiKeys(List.of(CLIENT_KEY)));
    }

    @Test
    void validKeysServeCalls() {
        try (Bus bus = secured()) {
            bus.dealer(new EchoService(), b -> b.apiKey(DEALER_KEY));
            ClientDealer client = bus.client(b -> b.apiKey(CLIENT_KEY));
            assertThat(client.invoke("EchoService.echo", String.class, "authorised")).isEqualTo("authorised");
            assertThat(client.getRouterInfo().authRequired()).isTrue();
        }
    }

    @Test
    void clientWithWrongOrMissingKeyIsRefused() {
        try (Bus bus = secured()) {
            bus.dealer(new EchoService(), b -> b.apiKey(DEALER_KEY));
            for (String key : new String[] { "client_261125_wrongwrongwrongwrongwr", null }) {
                ClientDealer client = bus.client(b -> b.apiKey(key));
                assertThatThrownBy(() -> client.invoke("EchoService.echo", String.class, "x"))
                        .isInstanceOfSatisfying(VoidRailException.class,
                                ex -> assertThat(ex.code()).isEqualTo(ErrorCode.UNAUTHENTICATED));
                assertThatThrownBy(client::discoverServices).isInstanceOf(VoidRailException.class)
                        .hasMessageContaining("uthenticat");
            }
        }
    }

    @Test
    void dealerWithWrongOrMissingKeyIsNotRegistered() {
        try (Bus bus = secured()) {
            for (String key : new String[] { "dealer_261125_wrongwrongwrongwrongwr", null }) {
                try (ServiceDealer dealer = ServiceDealer.builder().routerAddress(bus.address()).service(new EchoService())
                        .environment(Bus.NO_ENV).apiKey(key).heartbeatInterval(Duration.ofMillis(200)).build().start()) {
                    await().atMost(Duration.ofSeconds(5)).until(() -> dealer.state() == RegistrationState.REFUSED);
                    assertThat(bus.router().status().dealers()).isEmpty();
                }
            }
            ClientDealer client = bus.client(b -> b.apiKey(CLIENT_KEY));
            assertThat(client.discoverServices()).isEmpty();
        }
    }

    @Test
    void environmentVariablesConfigureEveryRole() {
        AuthEnvironment routerEnv = new AuthEnvironment(Map.of(AuthEnvironment.REQUIRE_AUTH, "yes",
                AuthEnvironment.DEALER_API_KEYS, "other," + DEALER_KEY, AuthEnvironment.CLIENT_API_KEYS, CLIENT_KEY));
        try (Bus bus = Bus.start(b -> b.environment(routerEnv))) {
            assertThat(bus.router().settings().requireAuth()).isTrue();
            bus.dealer(new EchoService(),
                    b -> b.environment(new AuthEnvironment(Map.of(AuthEnvironment.API_KEY, DEALER_KEY))));
            ClientDealer client = bus.client(
                    b -> b.environment(new AuthEnvironment(Map.of(AuthEnvironment.API_KEY, CLIENT_KEY))));
            assertThat(client.invoke("EchoService.add", Integer.class, 5, 3)).isEqualTo(8);
            ClientDealer keyless = bus.client();
            assertThatThrownBy(() -> keyless.invoke("EchoService.add", Integer.class, 5, 3))
                    .isInstanceOf(VoidRailException.class);
        }
    }

    @Test
    void clientAuthenticatesAgainWithARestartedRouter() {
        ServiceRouter first = ServiceRouter.builder().address("tcp://127.0.0.1:0").environment(Bus.NO_ENV).requireAuth(true)
                .dealerApiKeys(List.of(DEALER_KEY)).clientApiKeys(List.of(CLIENT_KEY)).build().start();
        String address = first.address();
        try (ServiceDealer dealer = ServiceDealer.builder().routerAddress(address).service(new EchoService())
                .environment(Bus.NO_ENV).apiKey(DEALER_KEY).heartbeatInterval(Duration.ofMillis(200)).build().start();
                ClientDealer client = ClientDealer.builder().routerAddress(address).environment(Bus.NO_ENV)
                        .apiKey(CLIENT_KEY).timeout(Duration.ofSeconds(5)).build()) {
            await().atMost(Duration.ofSeconds(10)).until(dealer::isRegistered);
            assertThat(client.invoke("EchoService.echo", String.class, "before")).isEqualTo("before");
            first.close();
            try (ServiceRouter second = ServiceRouter.builder().address(address).environment(Bus.NO_ENV).requireAuth(true)
                    .dealerApiKeys(List.of(DEALER_KEY)).clientApiKeys(List.of(CLIENT_KEY)).build().start()) {
                await().atMost(Duration.ofSeconds(10)).until(() -> second.status().dealers().size() == 1);
                // the new router has never seen this client: it re-authenticates and the call goes through
                assertThat(client.invoke("EchoService.echo", String.class, "after")).isEqualTo("after");
                assertThat(client.discoverServices()).containsKey("EchoService.echo");
            }
        }
        finally {
            first.close();
        }
    }

    @Test
    void environmentParsing() {
        assertThat(new AuthEnvironment(Map.of(AuthEnvironment.REQUIRE_AUTH, "TRUE")).requireAuth()).isTrue();
        assertThat(new AuthEnvironment(Map.of(AuthEnvironment.REQUIRE_AUTH, "1")).requireAuth()).isTrue();
        assertThat(new AuthEnvironment(Map.of(AuthEnvironment.REQUIRE_AUTH, "no")).requireAuth()).isFalse();
        assertThat(new AuthEnvironment(Map.of()).requireAuth()).isFalse();
        assertThat(new AuthEnvironment(Map.of(AuthEnvironment.DEALER_API_KEYS, " a, b ,,c ")).dealerKeys())
                .containsExactly("a", "b", "c");
        assertThat(new AuthEnvironment(Map.of(AuthEnvironment.API_KEY, "  ")).apiKey()).isNull();
    }

    @Test
    void generatedKeysHaveTheOriginalsFormatAndAreChecked() {
        String key = ApiKeyManager.generateKey("client");
        assertThat(key).matches("client_\\d{6}_[A-Za-z0-9_-]{22}");
        assertThat(ApiKeyManager.generateKey("client")).isNotEqualTo(key);
        ApiKeyManager keys = new ApiKeyManager(List.of(key, " "));
        assertThat(keys.size()).isEqualTo(1);
        assertThat(keys.isValid(key)).isTrue();
        assertThat(keys.isValid(key + "x")).isFalse();
        assertThat(keys.isValid(null)).isFalse();
        assertThat(ApiKeyManager.redact(key)).doesNotContain(key.substring(key.lastIndexOf('_') + 1));
    }
}
