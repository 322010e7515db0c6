package io.voidrail.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.voidrail.RouterMode;
import io.voidrail.client.ClientDealer;

/**
 * {@code callbackExecutor(Runnable::run)}: callbacks run on the client's I/O thread, where a blocking call of the same
 * client is refused at once (it could only be answered through that thread) while an asynchronous one works.
 */
class DirectCallbacksTests {

    private static final String CLIENT_THREAD = "voidrail-client-";

    @Test
    void directCallbacksRunOnTheClientsIoThreadWhichRefusesToWaitForAnAnswer() throws Exception {
        try (Bus bus = Bus.start(RouterMode.FIFO)) {
            bus.dealer(new EchoService());
            ClientDealer client = bus.client(b -> b.callbackExecutor(Runnable::run));
            CompletableFuture<String> thread = new CompletableFuture<>();
            CompletableFuture<Throwable> blocking = new CompletableFuture<>();
            CompletableFuture<String> nested = new CompletableFuture<>();
            client.call("EchoService.echo").arg("hi").invokeAsync(String.class).thenAccept(result -> {
                thread.complete(Thread.currentThread().getName() + ":" + result);
                try {
                    client.call("EchoService.echo").arg("blocked").invoke(String.class);
                    blocking.complete(null);
                }
                catch (RuntimeException ex) {
                    blocking.complete(ex);
                }
                client.call("EchoService.echo").arg("nested").invokeAsync(String.class)
                        .whenComplete((value, error) -> nested.complete(error != null ? "failed: " + error : value));
            });
            assertThat(thread.get(5, TimeUnit.SECONDS)).startsWith(CLIENT_THREAD).endsWith(":hi");
            assertThat(blocking.get(5, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("EchoService.echo").hasMessageContaining("invokeAsync");
            assertThat(nested.get(5, TimeUnit.SECONDS)).isEqualTo("nested");
            assertThat(client.call("EchoService.echo").arg("from the test").timeout(Duration.ofSeconds(5))
                    .invoke(String.class)).as("other threads still wait as usual").isEqualTo("from the test");
        }
    }

    @Test
    void byDefaultCallbacksRunOffTheIoThread() throws Exception {
        try (Bus bus = Bus.start(RouterMode.FIFO)) {
            bus.dealer(new EchoService());
            // a call of 0.2 s: the callback is attached before the answer comes, so the completing thread runs it
            String thread = bus.client().call("EchoService.whoami").arg(0.2).invokeAsync(String.class)
                    .thenApply(result -> Thread.currentThread().getName()).get(5, TimeUnit.SECONDS);
            assertThat(thread).doesNotStartWith(CLIENT_THREAD).isNotEqualTo(Thread.currentThread().getName());
        }
    }
}
