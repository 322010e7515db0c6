package io.voidrail.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.voidrail.VoidRailException;
import io.voidrail.client.ClientDealer;
import io.voidrail.ErrorCode;

/** Nothing waits forever and no queue grows without bound. */
class QueueLimitsTests {

    @Test
    void callsBeyondTheQueueLimitFailAtOnceWithQueueFull() {
        try (Bus bus = Bus.start(b -> b.maxQueueLength(2))) {
            WorkerService worker = new WorkerService("w1");
            bus.dealer(worker);
            ClientDealer client = bus.client();
            CompletableFuture<String> running = client.invokeAsync("WorkerService.work", String.class, 0.5);
            await().atMost(Duration.ofSeconds(5)).until(() -> worker.calls() == 1);
            CompletableFuture<String> queued1 = client.invokeAsync("WorkerService.work", String.class, 0.0);
            CompletableFuture<String> queued2 = client.invokeAsync("WorkerService.work", String.class, 0.0);
            assertThatThrownBy(() -> client.invoke("WorkerService.work", String.class, 0.0))
                    .isInstanceOfSatisfying(VoidRailException.class,
                            ex -> assertThat(ex.code()).isEqualTo(ErrorCode.QUEUE_FULL));
            assertThat(running.join()).isEqualTo("w1");
            assertThat(queued1.join()).isEqualTo("w1");
            assertThat(queued2.join()).isEqualTo("w1");
        }
    }

    @Test
    void aCallWhoseDeadlinePassesInTheQueueIsNeverRun() {
        try (Bus bus = Bus.start(b -> { })) {
            WorkerService worker = new WorkerService("w1");
            bus.dealer(worker);
            ClientDealer client = bus.client();
            CompletableFuture<String> running = client.invokeAsync("WorkerService.work", String.class, 0.6);
            await().atMost(Duration.ofSeconds(5)).until(() -> worker.calls() == 1);
            assertThatThrownBy(() -> client.call("WorkerService.work").arg(0.0).timeout(Duration.ofMillis(200))
                    .invoke(String.class)).isInstanceOfSatisfying(VoidRailException.class,
                            ex -> assertThat(ex.code()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED));
            running.join();
            assertThat(client.invoke("WorkerService.work", String.class, 0.0)).isEqualTo("w1");
            assertThat(worker.calls()).as("the expired call never ran").isEqualTo(2);
        }
    }

    @Test
    void aCallForAMethodNobodyOffersGetsNotFoundAfterTheQueueWait() {
        try (Bus bus = Bus.start(b -> b.maxQueueWait(Duration.ofMillis(300)))) {
            ClientDealer client = bus.client();
            long started = System.nanoTime();
            CompletableFuture<String> call = client.invokeAsync("Nobody.home", String.class);
            assertThatThrownBy(call::join).isInstanceOf(CompletionException.class)
                    .satisfies(ex -> assertThat(((VoidRailException) ex.getCause()).code()).isEqualTo(ErrorCode.NOT_FOUND));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
            await().atMost(Duration.ofSeconds(5)).until(() -> bus.router().status().queues().isEmpty());
        }
    }

    @Test
    void closingAStreamEarlyCancelsItAtTheDealer() {
        try (Bus bus = Bus.start(b -> { })) {
            bus.dealer(new EchoService());
            ClientDealer client = bus.client();
            try (Stream<Integer> items = client.stream("EchoService.stream", Integer.class, 0, 1_000_000_000)) {
                assertThat(items.limit(3).toList()).containsExactly(0, 1, 2);
            }
            // the dealer stopped streaming and its one slot is free again
            await().atMost(Duration.ofSeconds(5)).until(() -> bus.router().status().requestsInProcess() == 0);
            assertThat(client.invoke("EchoService.echo", String.class, "free")).isEqualTo("free");
        }
    }
}
