package io.voidrail.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import io.voidrail.VoidRailException;
import io.voidrail.client.ClientDealer;
import io.voidrail.dealer.ServiceDealer;
import io.voidrail.ErrorCode;
import io.voidrail.status.DealerState;
import io.voidrail.RouterMode;
import io.voidrail.status.RouterStatus;
import io.voidrail.router.ServiceRouter;

/** Dealers and routers coming and going: heartbeats, reconnects, graceful stops. */
class FailoverTests {

    private static final String REGISTER = "{\"group\": \"WorkerService\", \"methods\": {\"work\": {\"description\": null, "
            + "\"params\": null, \"stream\": false, \"metadata\": {}}}, \"max_concurrent\": 100}";

    @Test
    void whenOneDealerStopsTheOtherKeepsServing() {
        try (Bus bus = Bus.start(RouterMode.FIFO)) {
            ServiceDealer first = bus.dealer(new WorkerService("w1"));
            bus.dealer(new WorkerService("w2"));
            ClientDealer client = bus.client();
            first.close();
            await().atMost(Duration.ofSeconds(5)).until(() -> bus.router().status().dealers().stream()
                    .anyMatch(d -> d.state() == DealerState.SHUTDOWN));
            for (int i = 0; i < 5; i++) {
                assertThat(client.invoke("WorkerService.work", String.class, 0.0)).isEqualTo("w2");
            }
        }
    }

    @Test
    void heartbeatsFlowWhileAMethodRunsLongerThanTheTimeout() {
        try (Bus bus = Bus.start(b -> b.heartbeatTimeout(Duration.ofMillis(300)).busyHeartbeatTimeout(Duration.ofMillis(300)))) {
            bus.dealer(new WorkerService("w1"), b -> b.heartbeatInterval(Duration.ofMillis(50)));
            ClientDealer client = bus.client();
            CompletableFuture<String> call = client.invokeAsync("WorkerService.work", String.class, 1.0);
            await().atMost(Duration.ofSeconds(5)).until(() -> bus.router().status().requestsInProcess() == 1);
            await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(2))
                    .until(() -> bus.router().status().dealerCount(DealerState.ACTIVE) == 1);
            assertThat(call.join()).isEqualTo("w1");
        }
    }

    @Test
    void gracefulStopFinishesTheCallInFlight() {
        try (Bus bus = Bus.start(RouterMode.FIFO)) {
            ServiceDealer dealer = bus.dealer(new WorkerService("w1"));
            ClientDealer client = bus.client();
            CompletableFuture<String> running = client.invokeAsync("WorkerService.work", String.class, 0.5);
            await().atMost(Duration.ofSeconds(5)).until(() -> dealer.inFlight() == 1);
            dealer.close();
            assertThat(running.join()).isEqualTo("w1");
            assertThat(dealer.state()).isEqualTo(io.voidrail.dealer.RegistrationState.STOPPED);
        }
    }

    @Test
    void dealerAndClientFindARestartedRouterByThemselves() {
        ServiceRouter first = ServiceRouter.builder().address("tcp://127.0.0.1:0").environment(Bus.NO_ENV).build().start();
        String address = first.address();
        try (ServiceDealer dealer = ServiceDealer.builder().routerAddress(address).service(new WorkerService("w1"))
                .environment(Bus.NO_ENV).heartbeatInterval(Duration.ofMillis(200)).build().start();
                ClientDealer client = ClientDealer.builder().routerAddress(address).environment(Bus.NO_ENV)
                        .timeout(Duration.ofSeconds(5)).build()) {
            await().atMost(Duration.ofSeconds(10)).until(dealer::isRegistered);
            assertThat(client.invoke("WorkerService.work", String.class, 0.0)).isEqualTo("w1");
            first.close();
            try (ServiceRouter second = ServiceRouter.builder().address(address).environment(Bus.NO_ENV).build().start()) {
                await().atMost(Duration.ofSeconds(10)).until(() -> second.status().dealers().size() == 1);
                assertThat(client.invoke("WorkerService.work", String.class, 0.0)).isEqualTo("w1");
            }
        }
        finally {
            first.close();
        }
    }

    @Test
    void clientReusesItsConnectionAndStaysClosedAfterClose() {
        try (Bus bus = Bus.start(RouterMode.FIFO)) {
            bus.dealer(new EchoService());
            ClientDealer client = bus.client();
            assertThat(client.invoke("EchoService.echo", String.class, "one")).isEqualTo("one");
            assertThat(client.invoke("EchoService.echo", String.class, "two")).isEqualTo("two");
            assertThat(client.isConnected()).isTrue();
            client.close();
            await().atMost(Duration.ofSeconds(5)).until(() -> !client.isConnected());
            assertThatIllegalStateException().isThrownBy(() -> client.invoke("EchoService.echo", String.class, "three"))
                    .withMessageContaining("closed");
            assertThat(client.isConnected()).isFalse();
        }
    }

    @Test
    void silentDealerBecomesInactiveAndAnyMessageRevivesIt() {
        try (Bus bus = Bus.start(b -> b.heartbeatTimeout(Duration.ofMillis(800)));
                RawPeer python = new RawPeer(bus.address(), "WorkerService-0aeda9db")) {
            ClientDealer client = bus.client();
            assertThat(client.ping(Duration.ofSeconds(5))).isTrue();
            python.send("register", REGISTER);
            assertThat(python.receive("register_ack", 5000)).isNotNull();
            python.send("heartbeat", "{\"processing_requests\": 0}"); // as the recorded dealer, at once
            await().atMost(Duration.ofSeconds(5)).until(() -> state(bus) == DealerState.INACTIVE);
            assertThat(client.discoverServices()).isEmpty();
            python.send("heartbeat", "{\"processing_requests\": 0}");
            await().atMost(Duration.ofSeconds(5)).until(() -> state(bus) == DealerState.ACTIVE);
            assertThat(client.discoverServices()).containsKey("WorkerService.work");
        }
    }

    @Test
    void busyDealerThatGoesSilentLosesItsCallsWithDealerLost() {
        try (Bus bus = Bus.start(b -> b.heartbeatTimeout(Duration.ofMillis(800)).busyHeartbeatTimeout(Duration.ofMillis(1200)));
                RawPeer python = new RawPeer(bus.address(), "WorkerService-0aeda9db")) {
            python.send("register", REGISTER);
            assertThat(python.receive("register_ack", 5000)).isNotNull();
            ClientDealer client = connectedClient(bus, python);
            CompletableFuture<String> call = client.invokeAsync("WorkerService.work", String.class, 1.0);
            assertThat(python.receive("call_from_router", 5000)).isNotNull();
            // the Python dealer never answers and stops heartbeating: past the busy allowance the call fails
            assertThatThrownBy(call::join).hasCauseInstanceOf(VoidRailException.class)
                    .satisfies(ex -> assertThat(((VoidRailException) ex.getCause()).code()).isEqualTo(ErrorCode.DEALER_LOST));
        }
    }

    @Test
    void idempotentCallsOfALostDealerAreRequeuedToAnother() {
        try (Bus bus = Bus.start(b -> b.heartbeatTimeout(Duration.ofMillis(800)).busyHeartbeatTimeout(Duration.ofMillis(1200)));
                RawPeer python = new RawPeer(bus.address(), "WorkerService-0aeda9db")) {
            python.send("register", REGISTER.replace("\"metadata\": {}", "\"metadata\": {\"idempotent\": true}"));
            assertThat(python.receive("register_ack", 5000)).isNotNull();
            ClientDealer client = connectedClient(bus, python);
            CompletableFuture<String> call = client.invokeAsync("WorkerService.work", String.class, 0.0);
            assertThat(python.receive("call_from_router", 5000)).isNotNull();
            bus.dealer(new IdempotentWorker());
            assertThat(call.join()).isEqualTo("java");
        }
    }

    /**
     * A client whose connection is up (a stalled JeroMQ handshake is redone within a second), and a raw
     * dealer that has just spoken, so the short heartbeat timeout of these tests has not made it inactive.
     */
    private static ClientDealer connectedClient(Bus bus, RawPeer python) {
        ClientDealer client = bus.client();
        assertThat(client.ping(Duration.ofSeconds(5))).isTrue();
        python.send("heartbeat", "{\"processing_requests\": 0}");
        await().atMost(Duration.ofSeconds(5)).until(() -> state(bus) == DealerState.ACTIVE);
        return client;
    }

    private static DealerState state(Bus bus) {
        List<RouterStatus.Dealer> dealers = bus.router().status().dealers();
        return dealers.isEmpty() ? null : dealers.get(0).state();
    }

    @io.voidrail.annotation.VoidRailService("WorkerService")
    public static class IdempotentWorker {

        @io.voidrail.annotation.ServiceMethod(idempotent = true)
        public String work(double seconds) {
            return "java";
        }
    }
}
