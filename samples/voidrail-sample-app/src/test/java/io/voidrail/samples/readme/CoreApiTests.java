package io.voidrail.samples.readme;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.voidrail.client.ClientDealer;
import io.voidrail.dealer.ServiceDealer;
import io.voidrail.router.ServiceRouter;
import io.voidrail.status.MethodInfo;
import io.voidrail.status.RouterStatus;

import static org.assertj.core.api.Assertions.assertThat;

/** README, "Core API": the snippet as a test, with what it shows asserted between its lines. */
class CoreApiTests {

    @Test
    void theCoreApiSnippetRuns() {
        try (ServiceRouter router = ServiceRouter.builder().address("tcp://127.0.0.1:0").build().start();  // 0: any free port
             ServiceDealer dealer = ServiceDealer.builder().routerAddress(router.address())
                     .service(new EchoService()).build().start();
             ClientDealer client = ClientDealer.builder().routerAddress(router.address()).build()) {

            dealer.registered().join();                      // the router has acknowledged it
            String s = client.invoke("EchoService.echo", String.class, "hello");
            assertThat(s).isEqualTo("hello");
            CompletableFuture<Integer> sum = client.invokeAsync("EchoService.add", Integer.class, 5, 3);
            assertThat(sum.join()).isEqualTo(8);
            int kw = client.call("EchoService.add").kwarg("a", 5).kwarg("b", 3)
                    .timeout(Duration.ofSeconds(2)).invoke(Integer.class);
            assertThat(kw).isEqualTo(8);
            try (Stream<Integer> items = client.stream("EchoService.numbers", Integer.class, 0, 5)) {
                items.forEach(System.out::println);          // closing early cancels the call
            }
            Map<String, MethodInfo> methods = client.discoverServices();
            assertThat(methods).containsKeys("EchoService.echo", "EchoService.add", "EchoService.numbers");
            RouterStatus status = client.getRouterInfo();        // as router.status(): figures, queues, dealers
            assertThat(status.queues()).containsKey("EchoService.echo");
            assertThat(status.dealers()).singleElement().satisfies((d) -> assertThat(d.id()).isEqualTo(dealer.identity()));

            EchoApi api = client.proxy(EchoApi.class);       // interface annotated @VoidRailService("EchoService")
            assertThat(api.addAsync(2, 40).join()).isEqualTo(42);
            assertThat(api.numbers(0, 3)).containsExactly(0, 1, 2);
        }
    }

}
