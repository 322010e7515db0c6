package io.voidrail.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.voidrail.VoidRailException;
import io.voidrail.client.ClientDealer;
import io.voidrail.status.DealerState;
import io.voidrail.status.MethodInfo;
import io.voidrail.status.RouterStatus;
import tools.jackson.databind.json.JsonMapper;
import io.voidrail.ErrorCode;
import io.voidrail.RouterMode;

/** The Python reference suite's basic scenarios against one router, one dealer and one client. */
class BasicCallsTests {

    static Bus bus;
    static ClientDealer client;

    @BeforeAll
    static void start() {
        bus = Bus.start(RouterMode.FIFO);
        bus.dealer(new EchoService(), b -> b.slots(4));
        client = bus.client();
    }

    @AfterAll
    static void stop() {
        bus.close();
    }

    @Test
    void echo() {
        assertThat(client.invoke("EchoService.echo", String.class, "Hello, World!")).isEqualTo("Hello, World!");
        assertThat(client.invoke("EchoService.echo", String.class, "héllo, 世界 ✓")).isEqualTo("héllo, 世界 ✓");
    }

    @Test
    void addPositionalAndKeyword() {
        assertThat(client.invoke("EchoService.add", Integer.class, 5, 3)).isEqualTo(8);
        assertThat(client.call("EchoService.add").kwarg("a", 5).kwarg("b", 3).invoke(Integer.class)).isEqualTo(8);
        assertThat(client.call("EchoService.add").arg(5).kwarg("b", 4).invoke(Integer.class)).isEqualTo(9);
    }

    @Test
    void streamZeroToFour() {
        try (Stream<Integer> items = client.stream("EchoService.stream", Integer.class, 0, 5)) {
            assertThat(items.toList()).containsExactly(0, 1, 2, 3, 4);
        }
    }

    @Test
    void syncAsyncAndBothGeneratorKinds() throws Exception {
        assertThat(client.invokeAsync("EchoService.echoAsync", String.class, "abc").get(5, TimeUnit.SECONDS))
                .isEqualTo("ABC");
        try (Stream<String> words = client.call("EchoService.words").arg("a b c").stream(String.class)) {
            assertThat(words.toList()).containsExactly("a", "b", "c");
        }
        try (Stream<Integer> countdown = client.stream("EchoService.countdown", Integer.class, 3)) {
            assertThat(countdown.toList()).containsExactly(3, 2, 1);
        }
        assertThat(collect(client.publisher("EchoService.stream", Integer.class, 2, 6))).containsExactly(2, 3, 4, 5);
    }

    @Test
    void recordResult() {
        EchoService.Slept slept = client.invoke("EchoService.slow", EchoService.Slept.class, 0.01);
        assertThat(slept.slept()).isEqualTo(0.01);
    }

    @Test
    void discoveryWithDescriptionAndParams() {
        Map<String, MethodInfo> methods = client.discoverServices();
        assertThat(methods).containsKeys("EchoService.echo", "EchoService.add", "EchoService.stream");
        MethodInfo add = methods.get("EchoService.add");
        assertThat(add.description()).isEqualTo("Add two numbers");
        assertThat(add.params()).containsExactly(Map.entry("a", "first number"), Map.entry("b", "second number"));
        assertThat(methods.get("EchoService.stream").stream()).isTrue();
        assertThat(methods.get("EchoService.echo").params()).containsOnlyKeys("message");
    }

    @Test
    void clustersAndRouterInfo() {
        Map<String, RouterStatus.Dealer> clusters = client.discoverClusters();
        assertThat(clusters).hasSize(1);
        RouterStatus.Dealer dealer = clusters.values().iterator().next();
        assertThat(dealer.id()).matches("EchoService-[0-9a-f]{8}");
        assertThat(dealer.state()).isEqualTo(DealerState.ACTIVE);
        assertThat(dealer.methods()).contains("EchoService.echo", "EchoService.add");
        assertThat(dealer.lastHeartbeat()).isAfter(Instant.now().minusSeconds(60));
        RouterStatus status = client.getRouterInfo();
        assertThat(status.mode()).isEqualTo(RouterMode.FIFO);
        assertThat(status.address()).isEqualTo(bus.address());
        assertThat(status.authRequired()).isFalse();
        // a heartbeat may arrive between the two questions
        assertThat(status.dealers()).usingRecursiveFieldByFieldElementComparatorIgnoringFields("lastHeartbeat")
                .containsExactly(dealer);
        assertThat(status.implementation()).isEqualTo(io.voidrail.VoidRailVersion.IMPLEMENTATION);
        assertThat(status.uptime()).isPositive();
        assertThat(status.totalRequests()).isNotNegative();
        // the wire answer keeps every key Python clients read (PROTOCOL.md section 8)
        Map<String, Object> info = routerInfoOnTheWire();
        assertThat(info).containsKeys("mode", "address", "heartbeat_timeout", "active_services", "total_services",
                "queue_stats", "auth_required", "idle_heartbeat_timeout", "busy_heartbeat_timeout",
                "max_busy_without_heartbeat", "active_services_count", "busy_services_count", "idle_services_count",
                "inactive_services_count", "total_services_count", "uptime", "total_requests", "total_responses",
                "requests_in_process", "requests_in_queue", "implementation", "capabilities");
        assertThat(info).containsEntry("mode", "fifo").containsEntry("address", bus.address())
                .containsEntry("active_services", 1).containsEntry("auth_required", false);
        assertThat(client.ping(Duration.ofSeconds(5))).isTrue();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> routerInfoOnTheWire() {
        try (RawPeer peer = new RawPeer(bus.address(), "00000000000000000000000000000001")) {
            peer.send("router_info", "");
            List<String> answer = peer.receive("router_info_ack", 5_000);
            Map<String, Object> reply = JsonMapper.shared().readValue(answer.get(answer.size() - 1), Map.class);
            return (Map<String, Object>) reply.get("result");
        }
    }

    @Test
    void tenConcurrentCallsOnOneClient() {
        List<CompletableFuture<Integer>> calls = IntStream.range(0, 10)
                .mapToObj(i -> client.invokeAsync("EchoService.add", Integer.class, i, 100)).toList();
        assertThat(calls.stream().map(CompletableFuture::join).toList())
                .isEqualTo(IntStream.range(100, 110).boxed().toList());
    }

    @Test
    void methodErrorIsExecutionError() {
        assertThatThrownBy(() -> client.invoke("EchoService.fail", String.class, "boom"))
                .isInstanceOfSatisfying(VoidRailException.class, ex -> {
                    assertThat(ex.code()).isEqualTo(ErrorCode.EXECUTION_ERROR);
                    assertThat(ex.getMessage()).isEqualTo("Method execution error: boom");
                });
    }

    @Test
    void wrongArgumentTypeIsBadRequestNamingTheParameter() {
        assertThatThrownBy(() -> client.invoke("EchoService.add", Integer.class, "five", 3))
                .isInstanceOfSatisfying(VoidRailException.class, ex -> {
                    assertThat(ex.code()).isEqualTo(ErrorCode.BAD_REQUEST);
                    assertThat(ex.getMessage()).contains("'a'");
                });
    }

    @Test
    void timeoutIsDeadlineExceeded() {
        long started = System.nanoTime();
        assertThatThrownBy(() -> client.call("EchoService.slow").arg(2.0).timeout(Duration.ofMillis(300))
                .invoke(EchoService.Slept.class))
                .isInstanceOfSatisfying(VoidRailException.class,
                        ex -> assertThat(ex.code()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        // the cancelled call freed its slot: the next call is served
        assertThat(client.invoke("EchoService.echo", String.class, "after")).isEqualTo("after");
    }

    static <T> List<T> collect(Flow.Publisher<T> publisher) throws Exception {
        CompletableFuture<List<T>> done = new CompletableFuture<>();
        List<T> items = new java.util.concurrent.CopyOnWriteArrayList<>();
        publisher.subscribe(new Flow.Subscriber<T>() {
            Flow.Subscription subscription;

            @Override
            public void onSubscribe(Flow.Subscription s) {
                subscription = s;
                s.request(1);
            }

            @Override
            public void onNext(T item) {
                items.add(item);
                subscription.request(1);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }

            @Override
            public void onComplete() {
                done.complete(items);
            }
        });
        return done.get(10, TimeUnit.SECONDS);
    }
}
