package io.voidrail.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;

import io.voidrail.auth.ApiKeyManager;
import io.voidrail.client.ClientDealer;
import io.voidrail.status.DealerState;
import io.voidrail.status.RouterStatus;

/**
 * The attacks of issue 8 with raw sockets against a real router with auth on: a peer that reuses a dealer's routing
 * identity (with no key, or with the client key) inherits nothing, and the real dealer keeps serving.
 */
class IdentityAttackTests {

    private static final String DEALER_KEY = ApiKeyManager.generateKey("dealer");
    private static final String CLIENT_KEY = ApiKeyManager.generateKey("client");
    private static final String AUTH = "{\"api_key\": \"" + CLIENT_KEY + "\"}";
    private static final String REGISTER = "{\"group\": \"Raw\", \"methods\": {\"work\": {\"metadata\": {}}}, "
            + "\"api_key\": \"" + DEALER_KEY + "\"}";
    private static final String KEYLESS_REGISTER = "{\"group\": \"EchoService\", \"methods\": {\"echo\": {\"metadata\": {}}}}";

    private static Bus secured() {
        return Bus.start(b -> b.requireAuth(true).dealerApiKeys(List.of(DEALER_KEY)).clientApiKeys(List.of(CLIENT_KEY)));
    }

    private static RouterStatus.Dealer onlyDealer(Bus bus) {
        await().atMost(Duration.ofSeconds(10)).until(() -> bus.router().status().dealers().size() == 1);
        return bus.router().status().dealers().get(0);
    }

    @Test
    void impostorsUnderALiveDealersIdentityGetNoCallsAndCannotStopIt() {
        try (Bus bus = secured()) {
            String identity = bus.dealer(new EchoService(), b -> b.apiKey(DEALER_KEY)).identity();
            ClientDealer client = bus.client(b -> b.apiKey(CLIENT_KEY));
            String publicId = onlyDealer(bus).id();
            assertThat(client.invoke("EchoService.echo", String.class, "before")).isEqualTo("before");
            try (RawPeer keyless = new RawPeer(bus.address(), identity);
                    RawPeer clientKeyed = new RawPeer(bus.address(), identity)) {
                clientKeyed.send("auth", AUTH);
                for (RawPeer impostor : List.of(keyless, clientKeyed)) {
                    impostor.send("register", KEYLESS_REGISTER);
                    impostor.send("overload", "");
                    impostor.send("shutdown", "");
                }
                for (int i = 0; i < 20; i++) {
                    assertThat(client.invoke("EchoService.echo", String.class, "m" + i)).isEqualTo("m" + i);
                }
                assertThat(keyless.receive("call_from_router", 300)).isNull();
                assertThat(clientKeyed.receive("call_from_router", 300)).isNull();
                RouterStatus.Dealer dealer = onlyDealer(bus);
                assertThat(dealer.id()).isEqualTo(publicId);
                assertThat(dealer.state()).isEqualTo(DealerState.ACTIVE);
            }
            // clients, and the router's own status, see a public id, not the identity one could impersonate
            assertThat(client.discoverClusters().keySet()).singleElement().satisfies(id -> assertThat(id).isNotEqualTo(identity)
                    .startsWith("EchoService-").isEqualTo(publicId));
            assertThat(publicId).isNotEqualTo(identity);
        }
    }

    @Test
    void aBlindIdLessReplyUnderTheDealersIdentityDoesNotReachTheClient() {
        try (Bus bus = secured()) {
            String identity = bus.dealer(new EchoService(), b -> b.apiKey(DEALER_KEY)).identity();
            ClientDealer client = bus.client(b -> b.apiKey(CLIENT_KEY));
            onlyDealer(bus);
            CompletableFuture<EchoService.Slept> call = client.invokeAsync("EchoService.slow", EchoService.Slept.class, 0.5);
            try (RawPeer impostor = new RawPeer(bus.address(), identity)) {
                while (!call.isDone()) {
                    impostor.send("reply_from_dealer", client.identity(), "{\"type\": \"error\", \"error\": \"forged\"}");
                    impostor.receive(20);
                }
            }
            assertThat(call.join().slept()).isEqualTo(0.5);
        }
    }

    @Test
    void aDealerWhoseConnectionDiedGetsItsIdentityBackWhileANewcomerWithoutKeyInheritsNothing() {
        try (Bus bus = secured()) {
            ClientDealer client = bus.client(b -> b.apiKey(CLIENT_KEY));
            RawPeer first = new RawPeer(bus.address(), "Raw-1");
            first.send("register", REGISTER);
            assertThat(first.receive("register_ack", 5000)).isNotNull();
            first.send("heartbeat", "");
            assertThat(first.receive("heartbeat_ack", 5000)).isNotNull(); // a dealer: listed while inactive, not forgotten
            first.close(); // linger 0: the TCP connection drops as if the process died
            try (RawPeer impostor = connectionOnceFreed(bus.address(), "Raw-1", peer -> {
                peer.send("overload", "");
                List<String> error = peer.receive("error", 200);
                return error != null && error.get(1).contains("another connection");
            })) {
                impostor.send("shutdown", "");
                assertThat(impostor.receive("error", 2000).get(1)).contains("another connection");
                assertThat(onlyDealer(bus).state()).isIn(DealerState.ACTIVE, DealerState.INACTIVE);
            }
            try (RawPeer again = connectionOnceFreed(bus.address(), "Raw-1", peer -> {
                peer.send("register", REGISTER);
                return peer.receive("register_ack", 300) != null;
            })) {
                CompletableFuture<String> call = client.invokeAsync("Raw.work", String.class);
                List<String> dispatched = again.receive("call_from_router", 5000);
                assertThat(dispatched).isNotNull();
                again.send("reply_from_dealer", dispatched.get(1), "{\"type\": \"reply\", \"request_id\": "
                        + dispatched.get(3).replaceAll(".*\"request_id\": ?\"([^\"]+)\".*", "\"$1\"") + ", \"result\": \"ok\"}");
                assertThat(call.join()).isEqualTo("ok");
            }
        }
    }

    /**
     * A connection under {@code identity} on which {@code answered} holds. ZeroMQ frees an identity only some time after
     * its connection ended, and never reads a connection that came while the identity was held, even once it is
     * freed: so each attempt is a new connection, as a dealer's reconnect is.
     */
    private static RawPeer connectionOnceFreed(String address, String identity, Predicate<RawPeer> answered) {
        AtomicReference<RawPeer> reached = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            RawPeer peer = new RawPeer(address, identity);
            if (answered.test(peer)) {
                reached.set(peer);
                return true;
            }
            peer.close();
            return false;
        });
        return reached.get();
    }

    @Test
    void aDealerKeyConnectionCannotCall() {
        try (Bus bus = secured(); RawPeer dealer = new RawPeer(bus.address(), "Raw-2")) {
            dealer.send("register", REGISTER);
            assertThat(dealer.receive("register_ack", 5000)).isNotNull();
            dealer.send("call_from_client", "Raw.work", "{\"type\": \"request\", \"request_id\": \"r1\", "
                    + "\"func_name\": \"Raw.work\", \"args\": [], \"kwargs\": {}}");
            List<String> error = dealer.receive("error", 5000);
            assertThat(error).isNotNull();
            assertThat(error.get(1)).contains("dealer keys cannot call").contains("UNAUTHENTICATED");
            assertThat(dealer.receive("call_from_router", 300)).isNull();
        }
    }
}
