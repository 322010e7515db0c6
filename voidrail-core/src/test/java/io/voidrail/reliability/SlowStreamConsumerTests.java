package io.voidrail.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.voidrail.annotation.ServiceMethod;
import io.voidrail.annotation.VoidRailService;
import io.voidrail.client.ClientDealer;
import io.voidrail.it.Bus;
import io.voidrail.RouterMode;

/**
 * A consumer that stalls again and again while a dealer streams 1 KiB items: stream credits hold the producer (it is
 * never more than the window ahead), every buffer stays bounded, every item arrives, in order. Router, dealer and
 * client share this JVM, so the heap bound holds for all three together.
 *
 * <p>The default suite streams 40,000 items (seconds); {@code -Dvoidrail.reliability.streamItems=1000000} runs the full
 * figure of the issue.
 */
class SlowStreamConsumerTests {

    private static final int ITEMS = Integer.getInteger("voidrail.reliability.streamItems", 40_000);
    private static final int WINDOW = Integer.getInteger("voidrail.reliability.streamWindow", 1024);
    private static final long MIB = 1024 * 1024;
    private static final Duration STALL = Duration.ofMillis(700);

    @Test
    void aStallingConsumerHoldsTheProducerAndGetsEveryItemInOrder() throws Exception {
        Producer producer = new Producer();
        try (Bus bus = Bus.start(RouterMode.FIFO)) {
            bus.dealer(producer);
            ClientDealer client = bus.client(b -> b.streamWindow(WINDOW));
            try (Stream<Item> warmUp = client.stream("Producer.items", Item.class, 1000L)) {
                assertThat(warmUp.count()).isEqualTo(1000);
            }
            producer.produced.set(0);
            long baseline = heapAfterGc();
            long maxGrowth = 0;
            long maxAhead = 0;
            Tally tally = new Tally("slow_stream_consumer");
            CompletableFuture<String> received = new CompletableFuture<>();
            tally.submit("items", received);
            long started = System.nanoTime();
            long next = 0;
            try (Stream<Item> items = client.call("Producer.items").arg((long) ITEMS).timeout(Duration.ofSeconds(30))
                    .stream(Item.class)) {
                Iterator<Item> iterator = items.iterator();
                while (iterator.hasNext()) {
                    if (next % (ITEMS / 4) == 0) {
                        // the consumer stalls: without flow control the producer would run on and fill the buffers
                        Thread.sleep(STALL.toMillis());
                        maxAhead = Math.max(maxAhead, producer.produced.get() - next);
                        maxGrowth = Math.max(maxGrowth, heapAfterGc() - baseline);
                    }
                    Item item = iterator.next();
                    assertThat(item.n()).as("items in order, none missing").isEqualTo(next);
                    assertThat(item.data()).hasSize(1024);
                    next++;
                }
            }
            received.complete(next + " items");
            long seconds = (System.nanoTime() - started) / 1_000_000_000;
            maxGrowth = Math.max(maxGrowth, heapAfterGc() - baseline);
            System.out.println("slow_stream_consumer: " + next + " items of 1 KiB in " + seconds + " s, producer at most "
                    + maxAhead + " items ahead, heap growth at most " + String.format(java.util.Locale.ROOT, "%.1f", maxGrowth / (double) MIB) + " MiB (baseline "
                    + baseline / MIB + " MiB)");
            tally.awaitEnd(Duration.ofDays(1)).summary("items=" + next + " max_ahead=" + maxAhead + " heap_growth_kib="
                    + maxGrowth / 1024);
            assertThat(tally.lost()).isZero();
            assertThat(next).isEqualTo(ITEMS);
            assertThat(maxAhead).as("items produced ahead of the consumer").isLessThanOrEqualTo(2L * WINDOW);
            assertThat(maxGrowth).as("heap growth of router + dealer + client").isLessThan(64 * MIB);
        }
    }

    private static long heapAfterGc() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    public record Item(long n, String data) {
    }

    @VoidRailService("Producer")
    public static class Producer {
        private static final String DATA = "x".repeat(1024);
        final AtomicLong produced = new AtomicLong();

        @ServiceMethod
        public Stream<Item> items(long count) {
            return LongStream.range(0, count).mapToObj(n -> {
                produced.incrementAndGet();
                return new Item(n, DATA);
            });
        }
    }
}
