package io.voidrail.boot.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;

import io.voidrail.boot.event.VoidRailDealerLostEvent;
import io.voidrail.boot.event.VoidRailDealerRegisteredEvent;
import io.voidrail.boot.event.VoidRailRouterEvent;
import io.voidrail.boot.event.VoidRailRouterStartedEvent;
import io.voidrail.boot.event.VoidRailRouterStoppedEvent;
import io.voidrail.boot.testapp.EchoService;
import io.voidrail.dealer.RegistrationState;
import io.voidrail.router.ServiceRouter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The router's start and stop, and the dealers' registrations, as application events. */
class LifecycleEventsTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(VoidRailRouterAutoConfiguration.class,
                VoidRailClientAutoConfiguration.class, VoidRailDealerAutoConfiguration.class))
        .withBean(EchoService.class);

    @Test
    void routerStartedAndStoppedAndTheDealerRegistered() {
        List<Object> events = new CopyOnWriteArrayList<>();
        this.runner.withPropertyValues("voidrail.router.enabled=true", "voidrail.router.bind-address=tcp://127.0.0.1:0")
            .withBean("routerEvents", ApplicationListener.class,
                    () -> (ApplicationListener<VoidRailRouterEvent>) events::add)
            .withBean("dealerEvents", ApplicationListener.class,
                    () -> (ApplicationListener<VoidRailDealerRegisteredEvent>) events::add)
            .run((context) -> {
                ServiceRouter router = context.getBean(ServiceRouter.class);
                // start-up waited for the dealer's registration, so its event is on its way or there
                await().atMost(Duration.ofSeconds(5)).until(() -> events.size() == 2);
                assertThat(events.get(0)).isInstanceOfSatisfying(VoidRailRouterStartedEvent.class, (started) -> {
                    assertThat(started.getRouter()).isSameAs(router);
                    assertThat(started.getPort()).isEqualTo(router.port()).isPositive();
                });
                assertThat(events.get(1)).isInstanceOfSatisfying(VoidRailDealerRegisteredEvent.class,
                        (registered) -> assertThat(registered.getGroup()).isEqualTo("EchoService"));
                String address = router.address();
                context.close();
                assertThat(events).last().isInstanceOfSatisfying(VoidRailRouterStoppedEvent.class,
                        (stopped) -> assertThat(stopped.getAddress()).isEqualTo(address));
            });
    }

    @Test
    void aDealerWhoseRouterStopsHasLostItAndRegistersAgainWhenItIsBack() {
        List<VoidRailDealerLostEvent> lost = new CopyOnWriteArrayList<>();
        List<VoidRailDealerRegisteredEvent> registered = new CopyOnWriteArrayList<>();
        ServiceRouter first = ServiceRouter.builder().address("tcp://127.0.0.1:0").build().start();
        String address = first.address();
        this.runner.withPropertyValues("voidrail.router-address=" + address, "voidrail.dealer.heartbeat-interval=100ms")
            .withBean("lost", ApplicationListener.class, () -> (ApplicationListener<VoidRailDealerLostEvent>) lost::add)
            .withBean("registered", ApplicationListener.class,
                    () -> (ApplicationListener<VoidRailDealerRegisteredEvent>) registered::add)
            .run((context) -> {
                await().atMost(Duration.ofSeconds(10)).until(() -> registered.size() == 1);
                first.close(); // tells its dealers router_shutdown
                await().atMost(Duration.ofSeconds(10)).until(() -> lost.size() == 1);
                assertThat(lost.get(0).getState()).isEqualTo(RegistrationState.REGISTERING);
                try (ServiceRouter again = ServiceRouter.builder().address(address).build().start()) {
                    await().atMost(Duration.ofSeconds(10)).until(() -> registered.size() == 2);
                }
                // the dealer hears router_shutdown on its own thread: wait for it before the context stops the dealer
                await().atMost(Duration.ofSeconds(10)).until(() -> lost.size() == 2);
                context.close();
                assertThat(lost).hasSize(2); // the second router stopped while the dealer still served
            });
    }

}
