package io.voidrail.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import io.voidrail.VoidRailException;
import io.voidrail.annotation.ServiceMethod;
import io.voidrail.annotation.VoidRailService;
import io.voidrail.client.ClientDealer;
import io.voidrail.ErrorCode;
import io.voidrail.RouterMode;
import io.voidrail.service.CallContext;

/** The README's cooperative-cancellation snippet (section "Delivery guarantees: client side"), run for real. */
class CooperativeCancellationSnippetTests {

    record Tile(int index) {
    }

    record Scene(List<Tile> tiles) {
    }

    record Result(int tiles) {
    }

    @VoidRailService("Render")
    public static class RenderService {

        final AtomicInteger rendered = new AtomicInteger();

        // README snippet from here
        @ServiceMethod
        public Result render(Scene scene) {
            CallContext call = CallContext.current();   // bound to the worker thread while the method runs
            for (Tile tile : scene.tiles()) {
                if (call.isCancelled()) {                // cancelled, or its deadline passed
                    throw new CancellationException();
                }
                renderTile(tile, call.remaining());      // Optional<Duration> left before the caller's deadline
            }
            return new Result(scene.tiles().size());
        }
        // to here

        private void renderTile(Tile tile, Optional<Duration> remaining) {
            assertThat(remaining).as("a call with a deadline knows its time left").isPresent();
            long end = System.nanoTime() + 20_000_000L; // 20 ms of "work", busy so that no interrupt ends it
            while (System.nanoTime() < end) {
                Thread.onSpinWait();
            }
            rendered.incrementAndGet();
        }
    }

    @Test
    void aDeadlineStopsTheLoopBetweenTilesAndTheNextCallRuns() {
        RenderService service = new RenderService();
        try (Bus bus = Bus.start(RouterMode.FIFO)) {
            bus.dealer(service);
            ClientDealer client = bus.client();
            Scene big = new Scene(IntStream.range(0, 200).mapToObj(Tile::new).toList()); // 4 s of work
            assertThatExceptionOfType(VoidRailException.class)
                    .isThrownBy(() -> client.call("Render.render").arg(big).timeout(Duration.ofMillis(300))
                            .invoke(Result.class))
                    .satisfies(ex -> assertThat(ex.code()).isEqualTo(ErrorCode.DEADLINE_EXCEEDED));
            // the one-slot dealer is free again long before the 4 s the whole scene would take
            Scene small = new Scene(List.of(new Tile(0), new Tile(1)));
            assertThat(client.call("Render.render").arg(small).timeout(Duration.ofSeconds(3)).invoke(Result.class))
                    .isEqualTo(new Result(2));
            assertThat(service.rendered.get()).as("tiles rendered in all").isLessThan(100);
        }
    }
}
