package io.voidrail.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.voidrail.auth.ApiKeyManager;
import io.voidrail.dealer.ServiceDealer;
import io.voidrail.internal.protocol.Protocol;
import io.voidrail.status.DealerState;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Keys travel once per connection (issue 8): a Java router says in {@code register_ack} that authentication is bound
 * to the connection, and a Java dealer then heartbeats without its key; a router that does not say so (the Python
 * one, which may check it) keeps getting the key in every heartbeat.
 */
class HeartbeatKeyTests {

    private static final String DEALER_KEY = ApiKeyManager.generateKey("dealer");
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String JAVA_ACK = "{\"implementation\": \"voidrail-java/test\", \"capabilities\": [\"cancel\", \""
            + Protocol.CAP_CONNECTION_AUTH + "\"]}";

    @Test
    void aJavaDealerSendsNoKeyInHeartbeatsToARouterThatBindsItToTheConnection() throws Exception {
        List<JsonNode> beats = heartbeatsAfter(JAVA_ACK);
        assertThat(beats).hasSize(3).allSatisfy(beat -> assertThat(beat.has("api_key")).as("%s", beat).isFalse());
    }

    @Test
    void aJavaDealerKeepsSendingItsKeyToARouterThatDidNotAnnounceItself() throws Exception {
        // the recorded Python router's register_ack: one empty frame
        List<JsonNode> beats = heartbeatsAfter("");
        assertThat(beats).hasSize(3).allSatisfy(beat -> assertThat(beat.path("api_key").asString("")).isEqualTo(DEALER_KEY));
    }

    /** Three heartbeats the dealer sent knowing it is registered, after a register_ack with this payload. */
    private static List<JsonNode> heartbeatsAfter(String ackPayload) throws Exception {
        try (FakeRouter router = new FakeRouter("[]");
                ServiceDealer dealer = ServiceDealer.builder().routerAddress(router.address()).service(new EchoService())
                        .environment(Bus.NO_ENV).apiKey(DEALER_KEY).heartbeatInterval(Duration.ofMillis(50))
                        .routerSilenceTimeout(Duration.ofSeconds(30)).build().start()) {
            List<String> register = router.receive("register", 10_000);
            assertThat(JSON.readTree(register.get(1)).path("api_key").asString("")).isEqualTo(DEALER_KEY);
            router.reply("register_ack", ackPayload);
            await().atMost(Duration.ofSeconds(10)).until(dealer::isRegistered);
            List<JsonNode> beats = new ArrayList<>();
            while (beats.size() < 3) {
                List<String> frames = router.receive("heartbeat", 10_000);
                assertThat(frames).as("a heartbeat").isNotNull();
                router.reply("heartbeat_ack", "");
                JsonNode beat = JSON.readTree(frames.get(1));
                // one sent before the dealer read its ack says CONNECTING, and knows nothing of the router yet
                if (beat.path("dealer_info").path("connection_state").asString("").equals("CONNECTED")) {
                    beats.add(beat);
                }
            }
            return beats;
        }
    }

    @Test
    void theJavaRouterAnnouncesItselfOnlyToDealersThatAnnouncedCapabilities() {
        try (Bus bus = Bus.start(b -> { }); RawPeer java = new RawPeer(bus.address(), "Java-00000001");
                RawPeer python = new RawPeer(bus.address(), "Python-00000001")) {
            java.send("register", "{\"group\": \"J\", \"methods\": {\"m\": {}}, \"capabilities\": [\"cancel\"]}");
            python.send("register", "{\"group\": \"P\", \"methods\": {\"m\": {}}}");
            JsonNode info = JSON.readTree(java.receive("register_ack", 5000).get(1));
            assertThat(info.path("implementation").asString("")).startsWith("voidrail-java/");
            assertThat(info.path("capabilities").valueStream().map(node -> node.asString(""))).contains(Protocol.CAP_CONNECTION_AUTH)
                    .doesNotContain(Protocol.CAP_NO_HANDOVER); // without auth a reconnecting dealer takes its connection over
            assertThat(python.receive("register_ack", 5000)).containsExactly("register_ack", "");
        }
    }

    @Test
    void theJavaRouterReadsNoKeyFromHeartbeats() {
        String register = "{\"group\": \"J\", \"methods\": {\"m\": {}}, \"capabilities\": [], \"api_key\": \"" + DEALER_KEY + "\"}";
        try (Bus bus = Bus.start(b -> b.requireAuth(true).dealerApiKeys(List.of(DEALER_KEY)));
                RawPeer dealer = new RawPeer(bus.address(), "Java-00000002")) {
            dealer.send("register", register);
            assertThat(dealer.receive("register_ack", 5000)).isNotNull();
            // no key, and a wrong one: the connection proved its key when it registered
            dealer.send("heartbeat", "{\"processing_requests\": 0}");
            assertThat(dealer.receive(5000)).containsExactly("heartbeat_ack", "");
            dealer.send("heartbeat", "{\"api_key\": \"dealer_000000_wrong\", \"processing_requests\": 0}");
            assertThat(dealer.receive(5000)).containsExactly("heartbeat_ack", "");
            // with auth on the status shows a public id, not the identity
            assertThat(bus.router().status().dealers()).singleElement().satisfies(d -> {
                assertThat(d.group()).isEqualTo("J");
                assertThat(d.state()).isEqualTo(DealerState.ACTIVE);
            });
        }
    }
}
