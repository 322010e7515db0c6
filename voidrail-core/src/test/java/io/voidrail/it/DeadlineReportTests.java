package io.voidrail.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import io.voidrail.VoidRailException;
import io.voidrail.client.ClientDealer;
import io.voidrail.ErrorCode;
import io.voidrail.RouterMode;

/** A DEADLINE_EXCEEDED says where the call was: the router's own verdict when it has one, else what the client knows. */
class DeadlineReportTests {

    @Test
    void aRouterThatAnswersPingsButNotTheCallIsReportedAlive() throws Exception {
        try (FakeRouter router = new FakeRouter("[]");
                ClientDealer client = client(router.address())) {
            // connected first: a call waits unsent until then, and on a busy machine that could eat its 0.9 s
            client.connect();
            await().atMost(Duration.ofSeconds(5)).until(client::isConnected);
            CompletableFuture<String> call = client.call("EchoService.echo").arg("x").timeout(Duration.ofMillis(900))
                    .invokeAsync(String.class);
            assertThat(router.receive("call_from_client", 5000)).isNotNull();
            assertDeadline(call, "No answer from EchoService.echo via " + router.address() + " before the deadline "
                    + "(0.9 s): the router is alive");
        }
    }

    @Test
    void aRouterSilentSinceTheCallWasSentNeverAcknowledgedIt() throws Exception {
        try (FakeRouter router = new FakeRouter("[]");
                ClientDealer client = client(router.address())) {
            client.connect();
            await().atMost(Duration.ofSeconds(5)).until(client::isConnected);
            router.answerPings = false;
            // a ping answered just before the switch could otherwise arrive after the call: the router "alive"
            await().atMost(Duration.ofSeconds(5)).until(() -> router.ignoredPings.get() > 0);
            CompletableFuture<String> call = client.call("EchoService.echo").arg("x").timeout(Duration.ofMillis(600))
                    .invokeAsync(String.class);
            assertThat(router.receive("call_from_client", 5000)).isNotNull();
            assertDeadline(call, "never acknowledged, the router has been silent for");
        }
    }

    @Test
    void theRoutersOwnVerdictIsNotMaskedByTheClientsDeadline() {
        try (Bus bus = Bus.start(RouterMode.FIFO)) {
            bus.dealer(new WorkerService("w1"));
            ClientDealer client = bus.client();
            CompletableFuture<String> busy = client.invokeAsync("WorkerService.work", String.class, 3.0);
            await().atMost(Duration.ofSeconds(5)).until(() -> bus.router().status().requestsInProcess() == 1);
            // queued behind the busy call: the router says so at the deadline, and the client waits a moment for it
            CompletableFuture<String> queued = client.call("WorkerService.work").arg(0.0).timeout(Duration.ofSeconds(1))
                    .invokeAsync(String.class);
            assertDeadline(queued, "queued");
            busy.cancel(true);
        }
    }

    private static ClientDealer client(String address) {
        return ClientDealer.builder().routerAddress(address).environment(Bus.NO_ENV)
                .heartbeatInterval(Duration.ofMillis(200)).connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static void assertDeadline(CompletableFuture<?> call, String text) {
        assertThatThrownBy(call::join).cause().isInstanceOfSatisfying(VoidRailException.class, ex -> {
            assertThat(ex.code()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED);
            assertThat(ex.getMessage()).contains(text);
        });
    }
}
