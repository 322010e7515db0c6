package io.voidrail.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import io.voidrail.VoidRailException;
import io.voidrail.auth.CurveClientConfig;
import io.voidrail.auth.CurveKeys;
import io.voidrail.auth.CurveServerConfig;
import io.voidrail.client.ClientDealer;
import io.voidrail.ErrorCode;
import io.voidrail.internal.protocol.Protocol;
import io.voidrail.RouterMode;
import io.voidrail.status.RouterStatus;

/** The Java extensions of router_info, clusters and queue_status that dashboards read. */
class MonitoringExtensionsTests {

    @Test
    void routerReportsPerMethodFiguresAndTheLastErrors() {
        try (Bus bus = Bus.start(RouterMode.FIFO)) {
            bus.dealer(new EchoService());
            ClientDealer client = bus.client();
            for (int i = 0; i < 3; i++) {
                client.invoke("EchoService.echo", String.class, "hi");
            }
            assertThatThrownBy(() -> client.invoke("EchoService.fail", String.class, "boom"))
                    .isInstanceOf(VoidRailException.class);

            RouterStatus status = bus.router().status();
            assertThat(status.methodStats().get("EchoService.echo")).satisfies(echo -> {
                assertThat(echo.calls()).isEqualTo(3);
                assertThat(echo.succeeded()).isEqualTo(3);
                assertThat(echo.callsPerSecond()).isPositive();
                assertThat(echo.p99Millis()).isPositive().isGreaterThanOrEqualTo(echo.p50Millis());
            });
            assertThat(status.errorCounts()).containsEntry(ErrorCode.EXECUTION_ERROR, 1L);
            assertThat(status.recentErrors()).singleElement().satisfies(error -> {
                assertThat(error.method()).isEqualTo("EchoService.fail");
                assertThat(error.message()).isEqualTo("Method execution error: boom");
            });

            // the same figures read over the wire
            RouterStatus remote = client.getRouterInfo();
            assertThat(remote.methodStats().get("EchoService.echo")).satisfies(echo -> {
                assertThat(echo.calls()).isEqualTo(3);
                assertThat(echo.succeeded()).isEqualTo(3);
                assertThat(echo.callsPerSecond()).isPositive();
                assertThat(echo.p99Millis()).isPositive().isGreaterThanOrEqualTo(echo.p50Millis());
            });
            assertThat(remote.errorCounts()).isEqualTo(Map.of(ErrorCode.EXECUTION_ERROR, 1L));
            assertThat(remote.recentErrors()).singleElement().satisfies(error -> {
                assertThat(error.method()).isEqualTo("EchoService.fail");
                assertThat(error.code()).isEqualTo(ErrorCode.EXECUTION_ERROR);
                assertThat(error.message()).isEqualTo("Method execution error: boom");
                assertThat(error.age()).isGreaterThanOrEqualTo(Duration.ZERO);
            });
            assertThat(status.curve()).isFalse();
            assertThat(remote.curve()).isFalse();
        }
    }

    @Test
    void routerInfoTellsThatTheRouterRunsCurve() {
        CurveKeys.Pair routerKeys = CurveKeys.generate();
        CurveKeys.Pair clientKeys = CurveKeys.generate();
        CurveServerConfig curve = CurveServerConfig.of(routerKeys).withAllowedKeys(List.of(clientKeys.publicKey()));
        try (Bus bus = Bus.start(b -> b.curve(curve))) {
            assertThat(bus.router().status().curve()).isTrue();
            // room for one stalled handshake (JeroMQ redoes it after 1 s): waiting for ready, not failing after the
            // 5 s connect timeout
            ClientDealer client = bus.client(b -> b.curve(new CurveClientConfig(routerKeys.publicKey(), clientKeys))
                    .timeout(Duration.ofSeconds(25)).waitForReady(true));
            assertThat(client.getRouterInfo().curve()).isTrue();
        }
    }

    @Test
    void clustersTellTheRuntimeHostAndSlotsOfEachDealer() {
        try (Bus bus = Bus.start(RouterMode.FIFO)) {
            bus.dealer(new EchoService(), b -> b.slots(2));
            RouterStatus.Dealer dealer = bus.client().discoverClusters().values().iterator().next();
            assertThat(dealer.implementation()).isEqualTo(Protocol.IMPLEMENTATION);
            assertThat(dealer.slots()).isEqualTo(2);
            assertThat(dealer.hostInfo()).containsEntry("pid", (int) ProcessHandle.current().pid())
                    .containsKey("hostname");
            assertThat(bus.router().status().dealers()).singleElement().satisfies(d -> {
                assertThat(d.implementation()).isEqualTo(Protocol.IMPLEMENTATION);
                assertThat(d.hostInfo()).containsKey("hostname");
            });
        }
    }

    @Test
    void queueStatusTellsHowLongTheOldestCallHasWaited() {
        try (Bus bus = Bus.start(RouterMode.FIFO)) {
            bus.dealer(new EchoService());
            ClientDealer client = bus.client();
            CompletableFuture<?> running = client.invokeAsync("EchoService.slow", EchoService.Slept.class, 1.0);
            CompletableFuture<?> waiting = client.invokeAsync("EchoService.slow", EchoService.Slept.class, 0.0);
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(
                    client.getQueueStatus().get("EchoService.slow").oldestWait()).isGreaterThanOrEqualTo(Duration.ofMillis(200)));
            assertThat(client.getQueueStatus().get("EchoService.slow").queueLength()).isEqualTo(1);
            CompletableFuture.allOf(running, waiting).join();
            assertThat(client.getQueueStatus().get("EchoService.slow").oldestWait()).isZero();
        }
    }
}
