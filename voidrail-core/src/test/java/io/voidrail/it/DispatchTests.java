package io.voidrail.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import io.voidrail.client.ClientDealer;
import io.voidrail.status.RouterStatus;
import io.voidrail.RouterMode;

/** FIFO and LOAD_BALANCE dispatch as the Python reference suite asserts it. */
class DispatchTests {

    @Test
    void fifoRunsTwentyCallsInOrder() {
        try (Bus bus = Bus.start(RouterMode.FIFO)) {
            WorkerService worker = new WorkerService("w1");
            bus.dealer(worker);
            ClientDealer client = bus.client();
            List<CompletableFuture<Integer>> calls = IntStream.range(0, 20)
                    .mapToObj(i -> client.invokeAsync("WorkerService.record", Integer.class, i)).toList();
            calls.forEach(CompletableFuture::join);
            assertThat(worker.seen()).isEqualTo(IntStream.range(0, 20).boxed().toList());
        }
    }

    @Test
    void fifoSpreadsSixCallsOverThreeOneSlotDealers() {
        try (Bus bus = Bus.start(RouterMode.FIFO)) {
            for (String name : List.of("w1", "w2", "w3")) {
                bus.dealer(new WorkerService(name));
            }
            ClientDealer client = bus.client();
            client.invoke("WorkerService.work", String.class, 0.0); // connected and warm
            long started = System.nanoTime();
            List<CompletableFuture<String>> calls = new ArrayList<>();
            for (double seconds : new double[] { 0.5, 0.5, 0.5, 0.1, 0.1, 0.1 }) {
                calls.add(client.invokeAsync("WorkerService.work", String.class, seconds));
            }
            List<String> servedBy = calls.stream().map(CompletableFuture::join).toList();
            Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
            // the three long calls ran side by side, then the three short ones: about 0.6 s, not 1.8 s
            assertThat(new HashSet<>(servedBy.subList(0, 3))).containsExactlyInAnyOrder("w1", "w2", "w3");
            assertThat(elapsed).isBetween(Duration.ofMillis(580), Duration.ofMillis(1500));
        }
    }

    @Test
    void fifoSendsShortCallsToTheFreeDealer() {
        try (Bus bus = Bus.start(RouterMode.FIFO)) {
            for (String name : List.of("w1", "w2", "w3")) {
                bus.dealer(new WorkerService(name));
            }
            ClientDealer client = bus.client();
            CompletableFuture<String> long1 = client.invokeAsync("WorkerService.work", String.class, 1.0);
            CompletableFuture<String> long2 = client.invokeAsync("WorkerService.work", String.class, 1.0);
            List<CompletableFuture<String>> shorts = IntStream.range(0, 4)
                    .mapToObj(i -> client.invokeAsync("WorkerService.work", String.class, 0.05)).toList();
            assertThat(shorts.stream().map(CompletableFuture::join).toList()).containsOnly("w3");
            assertThat(List.of(long1.join(), long2.join())).containsExactly("w1", "w2");
        }
    }

    @Test
    void queueStatusShowsBusyDuringALongCallAndAvailableAfter() {
        try (Bus bus = Bus.start(RouterMode.FIFO)) {
            bus.dealer(new WorkerService("w1"));
            ClientDealer client = bus.client();
            CompletableFuture<String> running = client.invokeAsync("WorkerService.work", String.class, 0.8);
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(client.getQueueStatus())
                    .containsEntry("WorkerService.work", new RouterStatus.Queue(0, 0, 1, Duration.ZERO)));
            running.join();
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThat(client.getQueueStatus())
                    .containsEntry("WorkerService.work", new RouterStatus.Queue(0, 1, 0, Duration.ZERO)));
        }
    }

    @Test
    void fifoHonoursAJavaDealersSlots() {
        try (Bus bus = Bus.start(RouterMode.FIFO)) {
            bus.dealer(new WorkerService("w1"), b -> b.slots(3));
            ClientDealer client = bus.client();
            client.invoke("WorkerService.work", String.class, 0.0); // connected and warm
            long started = System.nanoTime();
            List<CompletableFuture<String>> calls = IntStream.range(0, 3)
                    .mapToObj(i -> client.invokeAsync("WorkerService.work", String.class, 0.4)).toList();
            calls.forEach(CompletableFuture::join);
            // three slots: the calls overlapped instead of taking 1.2 s one after another
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(1100));
        }
    }

    @Test
    void loadBalancePrefersTheLeastLoadedDealer() {
        try (Bus bus = Bus.start(RouterMode.LOAD_BALANCE)) {
            bus.dealer(new WorkerService("w1"));
            bus.dealer(new WorkerService("w2"));
            ClientDealer client = bus.client();
            CompletableFuture<String> first = client.invokeAsync("WorkerService.work", String.class, 0.6);
            await().atMost(Duration.ofSeconds(5)).until(() -> bus.router().status().requestsInProcess() == 1);
            // w1 is busy with one call: the next goes to w2, whatever the registration order says
            assertThat(client.invoke("WorkerService.work", String.class, 0.0)).isEqualTo("w2");
            assertThat(first.join()).isEqualTo("w1");
            assertThat(bus.router().status().queues()).isEmpty();
        }
    }

    @Test
    void loadBalanceHonoursOverloadAndResume() {
        String register = "{\"group\": \"WorkerService\", \"methods\": {\"work\": {\"description\": null, "
                + "\"params\": null, \"stream\": false, \"metadata\": {}}}, \"max_concurrent\": 100}";
        try (Bus bus = Bus.start(RouterMode.LOAD_BALANCE);
                RawPeer first = new RawPeer(bus.address(), "WorkerService-00000001");
                RawPeer second = new RawPeer(bus.address(), "WorkerService-00000002")) {
            first.send("register", register);
            assertThat(first.receive("register_ack", 5000)).isNotNull();
            second.send("register", register);
            assertThat(second.receive("register_ack", 5000)).isNotNull();
            ClientDealer client = bus.client();

            first.send("overload", "");
            await().atMost(Duration.ofSeconds(5)).until(() -> !client.discoverServices().isEmpty()
                    && bus.router().status().dealerCount(io.voidrail.status.DealerState.OVERLOAD) == 1);
            CompletableFuture<String> call = client.invokeAsync("WorkerService.work", String.class, 0.0);
            answer(second, "second");
            assertThat(call.join()).isEqualTo("second");

            first.send("resume", "");
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> bus.router().status().dealerCount(io.voidrail.status.DealerState.ACTIVE) == 2);
            call = client.invokeAsync("WorkerService.work", String.class, 0.0);
            answer(first, "first"); // both idle again: the first registered wins the tie
            assertThat(call.join()).isEqualTo("first");
        }
    }

    /** Plays a Python dealer: takes the next call and answers it with a plain reply. */
    private static void answer(RawPeer dealer, String result) {
        List<String> call = dealer.receive("call_from_router", 5000);
        assertThat(call).as("a call reached this dealer").isNotNull();
        dealer.send("reply_from_dealer", call.get(1), "{\"type\": \"reply\", \"request_id\": "
                + call.get(3).replaceAll("(?s).*\"request_id\":\\s*\"([^\"]+)\".*", "\"$1\"") + ", \"result\": \"" + result + "\"}");
    }

    @Test
    void twoDealersServeTenClients() {
        try (Bus bus = Bus.start(RouterMode.FIFO)) {
            bus.dealer(new WorkerService("w1"));
            bus.dealer(new WorkerService("w2"));
            List<CompletableFuture<String>> calls = new ArrayList<>();
            for (int c = 0; c < 10; c++) {
                ClientDealer client = bus.client();
                for (int i = 0; i < 3; i++) {
                    calls.add(client.invokeAsync("WorkerService.work", String.class, 0.02));
                }
            }
            List<String> servedBy = calls.stream().map(CompletableFuture::join).toList();
            assertThat(servedBy).hasSize(30).containsOnly("w1", "w2").contains("w1", "w2");
            assertThat(bus.client().getRouterInfo().totalResponses()).isEqualTo(30);
        }
    }
}
