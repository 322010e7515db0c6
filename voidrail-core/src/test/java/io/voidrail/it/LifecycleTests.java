package io.voidrail.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.voidrail.client.ClientDealer;
import io.voidrail.dealer.RegistrationState;
import io.voidrail.dealer.ServiceDealer;
import io.voidrail.RouterMode;
import io.voidrail.router.ServiceRouter;

/** One contract for router, dealer and client: start once, close for good, and after close fail at once. */
class LifecycleTests {

    @Test
    void routerStartsOnceAndStaysClosed() {
        ServiceRouter router = ServiceRouter.builder().address("tcp://127.0.0.1:0").environment(Bus.NO_ENV).build();
        router.start();
        assertThatIllegalStateException().isThrownBy(router::start).withMessageContaining("already started");
        router.close();
        router.close(); // idempotent
        assertThat(router.isClosed()).isTrue();
        assertThat(router.isRunning()).isFalse();
        assertThatIllegalStateException().isThrownBy(router::start).withMessageContaining("closed");
        assertThatIllegalStateException().isThrownBy(router::status).withMessageContaining("closed");
    }

    @Test
    void routerClosedBeforeStartCannotStart() {
        ServiceRouter router = ServiceRouter.builder().address("tcp://127.0.0.1:0").environment(Bus.NO_ENV).build();
        assertThatIllegalStateException().isThrownBy(router::status).withMessageContaining("not started");
        router.close();
        assertThatIllegalStateException().isThrownBy(router::start).withMessageContaining("closed");
    }

    @Test
    void dealerStartsOnceAndStaysClosed() throws Exception {
        try (Bus bus = Bus.start(RouterMode.FIFO)) {
            ServiceDealer dealer = bus.dealer(new EchoService());
            assertThatIllegalStateException().isThrownBy(dealer::start).withMessageContaining("already started");
            dealer.close();
            dealer.close();
            assertThat(dealer.isClosed()).isTrue();
            assertThat(dealer.state()).isEqualTo(RegistrationState.STOPPED);
            assertThatIllegalStateException().isThrownBy(dealer::start).withMessageContaining("closed");
        }
    }

    @Test
    void dealerClosedBeforeStartFailsItsRegistration() {
        ServiceDealer dealer = ServiceDealer.builder().routerAddress("tcp://127.0.0.1:" + Bus.freePort())
                .environment(Bus.NO_ENV).service(new EchoService()).build();
        dealer.close();
        assertThat(dealer.registered()).failsWithin(1, TimeUnit.SECONDS);
        assertThatIllegalStateException().isThrownBy(dealer::start).withMessageContaining("closed");
    }

    @Test
    void closedClientFailsEveryCallAtOnceAndDoesNotReconnect() {
        try (Bus bus = Bus.start(RouterMode.FIFO)) {
            bus.dealer(new EchoService());
            ClientDealer client = bus.client();
            assertThat(client.invoke("EchoService.echo", String.class, "hi")).isEqualTo("hi");
            io.voidrail.client.CallSpec prepared = client.call("EchoService.echo").args("x");
            client.close();
            client.close();
            assertThat(client.isClosed()).isTrue();
            assertThatIllegalStateException().isThrownBy(() -> client.invoke("EchoService.echo", String.class, "x"))
                    .withMessageContaining("closed");
            assertThatIllegalStateException().isThrownBy(() -> prepared.invokeAsync(String.class))
                    .withMessageContaining("closed");
            assertThatIllegalStateException().isThrownBy(client::getRouterInfo).withMessageContaining("closed");
            assertThatIllegalStateException().isThrownBy(() -> client.ping(Duration.ofSeconds(1)))
                    .withMessageContaining("closed");
            assertThatIllegalStateException().isThrownBy(client::connect).withMessageContaining("closed");
            // nothing connected again behind the caller's back
            assertThat(client.connectionState()).isEqualTo(io.voidrail.client.ConnectionState.IDLE);
        }
    }
}
