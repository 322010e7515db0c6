package io.voidrail.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.voidrail.auth.ApiKeyManager;
import io.voidrail.auth.CurveClientConfig;
import io.voidrail.auth.CurveKeys;
import io.voidrail.auth.CurveServerConfig;
import io.voidrail.client.ClientDealer;
import io.voidrail.dealer.RegistrationState;
import io.voidrail.dealer.ServiceDealer;
import io.voidrail.router.ServiceRouter;

/** No part of an API key reaches the log or a public accessor: refused keys appear as a fingerprint only. */
class KeysInLogsTests {

    private static final String DEALER_KEY = ApiKeyManager.generateKey("dealer");
    private static final String CLIENT_KEY = ApiKeyManager.generateKey("client");

    @Test
    void redactionKeepsTheRoleAndNoCharacterOfTheRandomPart() {
        for (int i = 0; i < 500; i++) { // about 150 of them hold a _ in their random part
            String key = ApiKeyManager.generateKey(i % 2 == 0 ? "dealer" : "client");
            String redacted = ApiKeyManager.redact(key);
            assertThat(redacted).matches("(dealer|client)_key#[0-9a-f]{8}");
            assertNoFragment(redacted, key);
        }
        assertThat(ApiKeyManager.redact("my_own_key_with_underscores")).matches("key#[0-9a-f]{8}");
        assertThat(ApiKeyManager.redact(DEALER_KEY)).isEqualTo(ApiKeyManager.redact(DEALER_KEY))
                .isNotEqualTo(ApiKeyManager.redact(CLIENT_KEY));
        assertThat(ApiKeyManager.redact(null)).isEqualTo("<none>");
    }

    @Test
    void keysOfTheOtherRoleRefusedByTheRouterLeaveOnlyTheirFingerprint() {
        try (LogCapture logs = new LogCapture();
                Bus bus = Bus.start(b -> b.requireAuth(true).dealerApiKeys(List.of(DEALER_KEY))
                        .clientApiKeys(List.of(CLIENT_KEY)))) {
            // each role tries the valid key of the other: the attack that used to print 16 random characters
            try (ServiceDealer dealer = ServiceDealer.builder().routerAddress(bus.address()).service(new EchoService())
                    .environment(Bus.NO_ENV).apiKey(CLIENT_KEY).heartbeatInterval(Duration.ofMillis(200)).build().start()) {
                await().atMost(Duration.ofSeconds(10)).until(() -> dealer.state() == RegistrationState.REFUSED);
            }
            ClientDealer client = bus.client(b -> b.apiKey(DEALER_KEY));
            assertThatThrownBy(client::discoverServices).hasMessageContaining("uthenticat");
            await().atMost(Duration.ofSeconds(5)).until(() -> logs.contains(ApiKeyManager.redact(DEALER_KEY)));

            assertThat(logs.text()).contains("refused dealer", ApiKeyManager.redact(CLIENT_KEY), "refused client");
            assertNoFragment(logs.text(), DEALER_KEY);
            assertNoFragment(logs.text(), CLIENT_KEY);
        }
    }

    @Test
    void noPublicTypeShowsAKeyInItsText() {
        CurveKeys.Pair router = CurveKeys.generate();
        CurveKeys.Pair peer = CurveKeys.generate();
        ServiceRouter.Settings settings = ServiceRouter.builder().requireAuth(true).dealerApiKeys(List.of(DEALER_KEY))
                .clientApiKeys(List.of(CLIENT_KEY)).curve(CurveServerConfig.of(router)).build().settings();
        ServiceDealer dealer = ServiceDealer.builder().service(new EchoService()).apiKey(DEALER_KEY)
                .curve(new CurveClientConfig(router.publicKey(), peer)).build();
        ClientDealer client = ClientDealer.builder().apiKey(CLIENT_KEY)
                .curve(new CurveClientConfig(router.publicKey(), peer)).build();
        String texts = String.join("\n", settings.toString(), dealer.toString(), client.toString(), router.toString(),
                peer.toString(), settings.curve().toString(), new CurveClientConfig(router.publicKey(), peer).toString());

        assertThat(settings.toString()).contains("dealerKeys=1", "clientKeys=1");
        assertNoFragment(texts, DEALER_KEY);
        assertNoFragment(texts, CLIENT_KEY);
        assertThat(texts).doesNotContain(router.secretKey()).doesNotContain(peer.secretKey());
        client.close();
        dealer.close();
    }

    @Test
    void noPublicAccessorReturnsARawKey() {
        ServiceRouter router = ServiceRouter.builder().requireAuth(true).dealerApiKeys(List.of(DEALER_KEY))
                .clientApiKeys(List.of(CLIENT_KEY)).environment(Bus.NO_ENV).build();
        ServiceDealer dealer = ServiceDealer.builder().service(new EchoService()).apiKey(DEALER_KEY)
                .environment(Bus.NO_ENV).build();
        ClientDealer client = ClientDealer.builder().apiKey(CLIENT_KEY).environment(Bus.NO_ENV).build();
        // closed, every accessor answers at once (calls to a router fail), so each can be called
        router.close();
        dealer.close();
        client.close();

        List<String> seen = new ArrayList<>();
        for (Object root : List.of(router, router.settings(), dealer, client)) {
            collect(root, "", seen, Collections.newSetFromMap(new IdentityHashMap<>()));
        }
        assertThat(seen).as("values returned by the public accessors").hasSizeGreaterThan(30)
                .anyMatch(line -> line.contains(ApiKeyManager.redact(DEALER_KEY)))
                .anyMatch(line -> line.contains(ApiKeyManager.redact(CLIENT_KEY)));
        assertThat(router.settings().dealerKeys().size()).isOne();
        assertThat(router.settings().clientKeys().isValid(CLIENT_KEY)).isTrue();
        String all = String.join("\n", seen);
        assertNoFragment(all, DEALER_KEY);
        assertNoFragment(all, CLIENT_KEY);
    }

    /**
     * Calls every public no-argument method of {@code value} (a VoidRail type), notes what each returned, and goes on
     * into returned VoidRail types, three levels deep.
     */
    private static void collect(Object value, String path, List<String> seen, Set<Object> visited) {
        if (!visited.add(value) || path.chars().filter(c -> c == '.').count() > 3) {
            return;
        }
        for (Method method : value.getClass().getMethods()) {
            if (method.getParameterCount() > 0 || Modifier.isStatic(method.getModifiers())
                    || method.getDeclaringClass() == Object.class && !method.getName().equals("toString")) {
                continue;
            }
            Object returned;
            try {
                returned = method.invoke(value);
            }
            catch (ReflectiveOperationException | RuntimeException ex) {
                Throwable cause = ex instanceof InvocationTargetException target ? target.getCause() : ex;
                seen.add(path + "." + method.getName() + "() threw " + cause);
                continue;
            }
            String where = path + "." + method.getName() + "()";
            seen.add(where + " = " + text(returned));
            Object unwrapped = returned instanceof Optional<?> optional ? optional.orElse(null) : returned;
            if (unwrapped != null && unwrapped.getClass().getName().startsWith("io.voidrail.")
                    && !unwrapped.getClass().isEnum()) {
                collect(unwrapped, where, seen, visited);
            }
        }
    }

    private static String text(Object value) {
        return value instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8)
                : value instanceof Object[] array ? Arrays.deepToString(array) : String.valueOf(value);
    }

    /** No substring of 4 or more characters of the key's random part (after {@code role_YYMMDD_}). */
    static void assertNoFragment(String text, String key) {
        String random = key.substring(key.indexOf('_', key.indexOf('_') + 1) + 1);
        for (int i = 0; i + 4 <= random.length(); i++) {
            assertThat(text).as("fragment %d of %s", i, key).doesNotContain(random.substring(i, i + 4));
        }
    }
}
