package io.voidrail.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import io.voidrail.VoidRailException;
import io.voidrail.client.ClientDealer;
import io.voidrail.client.ConnectionState;
import io.voidrail.it.Bus;
import io.voidrail.it.EchoService;
import io.voidrail.ErrorCode;
import io.voidrail.router.ServiceRouter;

/** No router at the address: calls fail fast with UNAVAILABLE, or wait for ready up to their deadline. */
class NoRouterTests {

    @Test
    void callsFailFastWithUnavailableAfterTheConnectTimeout() {
        String address = "tcp://127.0.0.1:" + Bus.freePort();
        try (ClientDealer client = client(address, b -> b.connectTimeout(Duration.ofSeconds(1)))) {
            Tally tally = new Tally("no_router_fail_fast");
            for (int i = 0; i < 20; i++) {
                tally.submit("echo", client.call("EchoService.echo").arg("x").timeout(Duration.ofSeconds(30))
                        .invokeAsync(String.class));
            }
            assertThat(client.connectionState()).isEqualTo(ConnectionState.CONNECTING);
            assertThat(client.isConnected()).isFalse();
            tally.awaitEnd(Duration.ofSeconds(10)).summary("");
            assertThat(tally.lost()).isZero();
            assertThat(tally.errors()).hasSize(20).allSatisfy(outcome -> assertThat(outcome.code()).isEqualTo(ErrorCode.UNAVAILABLE));
            // the connect timeout, not the 30 s deadline, bounds the wait
            assertThat(tally.lastEndMillis()).isBetween(900L, 3000L);
            assertThat(client.connectionState()).isEqualTo(ConnectionState.UNAVAILABLE);
            // later calls fail at once, saying what happened
            long start = System.nanoTime();
            assertThatThrownBy(() -> client.invoke("EchoService.echo", String.class, "y"))
                    .isInstanceOfSatisfying(VoidRailException.class, ex -> {
                        assertThat(ex.code()).isEqualTo(ErrorCode.UNAVAILABLE);
                        assertThat(ex.getMessage()).contains("router " + address + " has not answered for ")
                                .contains("(not sent)");
                    });
            assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(500);
            assertThat(client.ping(Duration.ofSeconds(5))).isFalse();
        }
    }

    @Test
    void waitForReadyWaitsUpToTheDeadlineAndSaysTheCallWasNeverSent() {
        String address = "tcp://127.0.0.1:" + Bus.freePort();
        try (ClientDealer client = client(address, b -> b.connectTimeout(Duration.ofMillis(300))
                .heartbeatInterval(Duration.ofMillis(100)))) {
            Tally tally = new Tally("no_router_wait_for_ready");
            CompletableFuture<String> waiting = client.call("EchoService.echo").arg("x")
                    .timeout(Duration.ofMillis(1500)).waitForReady().invokeAsync(String.class);
            CompletableFuture<String> failing = client.call("EchoService.echo").arg("x")
                    .timeout(Duration.ofMillis(1500)).invokeAsync(String.class);
            tally.submit("wait-for-ready", waiting);
            tally.submit("fail-fast", failing);
            tally.awaitEnd(Duration.ofSeconds(10)).summary("");
            assertThat(tally.lost()).isZero();
            assertThat(tally.errors()).extracting(Tally.Outcome::label, Tally.Outcome::code).containsExactlyInAnyOrder(
                    org.assertj.core.groups.Tuple.tuple("fail-fast", ErrorCode.UNAVAILABLE),
                    org.assertj.core.groups.Tuple.tuple("wait-for-ready", ErrorCode.DEADLINE_EXCEEDED));
            assertThat(catchError(waiting)).hasMessageContaining("was never sent before its deadline (1.5 s)")
                    .hasMessageContaining("router " + address + " has not answered for");
            // the waiting call waited for its deadline, the other only for the connect timeout
            assertThat(tally.lastEndMillis(outcome -> outcome.label().equals("wait-for-ready"))).isBetween(1400L, 4000L);
            assertThat(tally.lastEndMillis(outcome -> outcome.label().equals("fail-fast"))).isLessThan(1400L);
        }
    }

    @Test
    void aCallThatWaitsForReadyRunsOnceTheRouterComesUp() {
        int port = Bus.freePort();
        String address = "tcp://127.0.0.1:" + port;
        try (ClientDealer client = client(address, b -> b.connectTimeout(Duration.ofMillis(300))
                .heartbeatInterval(Duration.ofMillis(100)).waitForReady(true))) {
            CompletableFuture<String> call = client.call("EchoService.echo").arg("late router")
                    .timeout(Duration.ofSeconds(20)).invokeAsync(String.class);
            await().atMost(Duration.ofSeconds(5)).until(() -> client.connectionState() == ConnectionState.UNAVAILABLE);
            assertThat(call).isNotDone();
            try (Bus bus = Bus.start(b -> b.address(address))) {
                bus.dealer(new EchoService());
                assertThat(call.join()).isEqualTo("late router");
                assertThat(client.connectionState()).isEqualTo(ConnectionState.READY);
            }
        }
    }

    @Test
    void theStateIsConnectedOnlyWhileTheRouterAnswers() {
        ServiceRouter router = ServiceRouter.builder().address("tcp://127.0.0.1:0").environment(Bus.NO_ENV).build().start();
        try (ClientDealer client = client(router.address(), b -> b.heartbeatInterval(Duration.ofMillis(200))
                .connectTimeout(Duration.ofMillis(800)))) {
            assertThat(client.connectionState()).isEqualTo(ConnectionState.IDLE);
            client.connect();
            await().atMost(Duration.ofSeconds(5)).until(client::isConnected);
            // idle but pinged: it stays connected
            await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(2)).until(client::isConnected);
            router.close();
            await().atMost(Duration.ofSeconds(2)).until(() -> client.connectionState() == ConnectionState.CONNECTING);
            await().atMost(Duration.ofSeconds(2)).until(() -> client.connectionState() == ConnectionState.UNAVAILABLE);
        }
        finally {
            router.close();
        }
    }

    private static ClientDealer client(String address, java.util.function.Consumer<ClientDealer.Builder> config) {
        ClientDealer.Builder builder = ClientDealer.builder().routerAddress(address).environment(Bus.NO_ENV);
        config.accept(builder);
        return builder.build();
    }

    private static Throwable catchError(CompletableFuture<?> call) {
        try {
            call.join();
        }
        catch (RuntimeException ex) {
            return ex.getCause() != null ? ex.getCause() : ex;
        }
        throw new AssertionError("expected a failure");
    }

}
