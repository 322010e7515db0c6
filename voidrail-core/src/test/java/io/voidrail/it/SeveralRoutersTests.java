package io.voidrail.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import io.voidrail.annotation.ServiceMethod;
import io.voidrail.annotation.VoidRailService;
import io.voidrail.client.ClientDealer;
import io.voidrail.dealer.RegistrationState;
import io.voidrail.dealer.ServiceDealer;
import io.voidrail.RouterMode;

/** A dealer of several routers shares its slots; a client of several routers uses one that answers. */
class SeveralRoutersTests {

    @Test
    void aDealerRegistersWithEveryRouterAndRunsAtMostItsSlotsAcrossThem() {
        Counting service = new Counting();
        try (Bus first = Bus.start(RouterMode.FIFO); Bus second = Bus.start(RouterMode.FIFO);
                ServiceDealer dealer = ServiceDealer.builder().routerAddresses(first.address(), second.address())
                        .service(service).environment(Bus.NO_ENV).heartbeatInterval(Duration.ofMillis(200)).build().start()) {
            await().atMost(Duration.ofSeconds(10)).until(() -> dealer.routerStates().values().stream()
                    .allMatch(state -> state == RegistrationState.REGISTERED));
            assertThat(dealer.routerAddresses()).containsExactly(first.address(), second.address());
            assertThat(first.router().status().dealers()).hasSize(1);
            assertThat(second.router().status().dealers()).hasSize(1);
            ClientDealer viaFirst = first.client();
            ClientDealer viaSecond = second.client();
            List<CompletableFuture<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                calls.add(viaFirst.invokeAsync("Counting.work", Integer.class, 0.15));
                calls.add(viaSecond.invokeAsync("Counting.work", Integer.class, 0.15));
            }
            calls.forEach(CompletableFuture::join);
            // one slot, two routers: the calls ran one after the other
            assertThat(service.maxRunning.get()).isEqualTo(1);
            assertThat(service.calls.get()).isEqualTo(6);
            // the busy dealer told the routers, and is dispatchable again once free
            await().atMost(Duration.ofSeconds(5)).until(() -> first.router().status().dealers().get(0).state()
                    == io.voidrail.status.DealerState.ACTIVE);
        }
    }

    @Test
    void aClientWhoseFirstRouterIsDownUsesTheNext() {
        String down = "tcp://127.0.0.1:" + Bus.freePort();
        try (Bus bus = Bus.start(RouterMode.FIFO)) {
            bus.dealer(new EchoService());
            ClientDealer client = bus.client(b -> b.routerAddresses(down, bus.address())
                    .heartbeatInterval(Duration.ofMillis(200)));
            assertThat(client.invoke("EchoService.echo", String.class, "through the second")).isEqualTo("through the second");
            assertThat(client.routerAddress()).isEqualTo(bus.address());
            assertThat(client.routerAddresses()).containsExactly(down, bus.address());
        }
    }


    @VoidRailService("Counting")
    public static class Counting {
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger maxRunning = new AtomicInteger();
        final AtomicInteger calls = new AtomicInteger();

        @ServiceMethod
        public int work(double seconds) throws InterruptedException {
            maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                Thread.sleep((long) (seconds * 1000));
                return calls.incrementAndGet();
            }
            finally {
                running.decrementAndGet();
            }
        }
    }
}
