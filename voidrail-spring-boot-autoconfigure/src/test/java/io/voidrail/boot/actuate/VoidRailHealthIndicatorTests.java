package io.voidrail.boot.actuate;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.voidrail.boot.autoconfigure.VoidRailClientAutoConfiguration;
import io.voidrail.boot.autoconfigure.VoidRailDealerAutoConfiguration;
import io.voidrail.boot.autoconfigure.VoidRailRouterAutoConfiguration;
import io.voidrail.boot.autoconfigure.VoidRailDealerCustomizer;
import io.voidrail.boot.autoconfigure.actuate.VoidRailHealthContributorAutoConfiguration;
import io.voidrail.boot.autoconfigure.internal.RouterLifecycle;
import io.voidrail.boot.testapp.EchoService;
import io.voidrail.router.ServiceRouter;
import io.voidrail.client.ConnectionState;
import io.voidrail.client.VoidRailClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.InstanceOfAssertFactories.MAP;
import static org.awaitility.Awaitility.await;

class VoidRailHealthIndicatorTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(
            AutoConfigurations.of(VoidRailRouterAutoConfiguration.class, VoidRailClientAutoConfiguration.class,
                VoidRailDealerAutoConfiguration.class, VoidRailHealthContributorAutoConfiguration.class));

    private final ApplicationContextRunner withRouter = this.runner
        .withPropertyValues("voidrail.router.enabled=true", "voidrail.router.bind-address=tcp://127.0.0.1:0")
        .withBean(EchoService.class);

    @Test
    void upWhenRouterRunsDealersAreRegisteredAndTheClientReachesTheRouter() {
        this.withRouter.run((context) -> {
            Health health = context.getBean("voidrailHealthIndicator", VoidRailHealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("dealers", Map.of("EchoService", "REGISTERED"))
                .containsKeys("router", "client");
            assertThat(health.getDetails().get("client")).asInstanceOf(MAP).containsEntry("routerReachable", true)
                .containsEntry("state", "READY");
        });
    }

    @Test
    void aDealerOfAnotherProcessThatWentAwayShowsAsInactiveWhileHealthStaysUp() {
        this.withRouter.withPropertyValues("voidrail.router.heartbeat-timeout=1s", "voidrail.dealer.heartbeat-interval=100ms")
            .run((context) -> {
                String ghost = GhostDealer.registerAndVanish(context.getBean(ServiceRouter.class).address());
                VoidRailHealthIndicator indicator = context.getBean(VoidRailHealthIndicator.class);
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                    Health health = indicator.health();
                    assertThat(health.getStatus()).isEqualTo(Status.UP);
                    assertThat(health.getDetails().get("router")).asInstanceOf(MAP)
                        .containsEntry("dealers", Map.of("active", 1L, "inactive", 1L))
                        .containsEntry("unavailableDealers", Map.of(ghost, "inactive"));
                });
            });
    }

    @Test
    void downAtOnceWhenTheClientsRouterIsUnavailable() {
        this.runner
            .withPropertyValues("voidrail.router-address=tcp://127.0.0.1:1", "voidrail.client.connect-timeout=200ms",
                    "voidrail.client.heartbeat-interval=100ms")
            .run((context) -> {
                VoidRailHealthIndicator indicator = context.getBean(VoidRailHealthIndicator.class);
                VoidRailClient client = context.getBean(VoidRailClient.class);
                await().atMost(Duration.ofSeconds(5))
                    .until(() -> client.connectionState() == ConnectionState.UNAVAILABLE);
                long start = System.nanoTime();
                Health health = indicator.health();
                assertThat(health.getStatus()).isEqualTo(Status.DOWN);
                assertThat(health.getDetails().get("client")).asInstanceOf(MAP).containsEntry("state", "UNAVAILABLE");
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(500));
            });
    }

    @Test
    void downWhenTheClientCannotReachItsRouter() {
        this.runner.withPropertyValues("voidrail.router-address=tcp://127.0.0.1:1", "voidrail.client.timeout=300ms")
            .run((context) -> {
                Health health = context.getBean(VoidRailHealthIndicator.class).health();
                assertThat(health.getStatus()).isEqualTo(Status.DOWN);
                assertThat(health.getDetails().get("client")).isEqualTo(Map.of("routerAddress", "tcp://127.0.0.1:1",
                        "routerReachable", false, "state", "CONNECTING"));
            });
    }

    @Test
    void downWhenADealerIsNotRegistered() {
        this.withRouter
            .withPropertyValues("voidrail.require-auth=true", "voidrail.dealer-api-keys=dealer-key",
                    "voidrail.client-api-keys=client-key", "voidrail.api-key=client-key")
            .run((context) -> {
                Health health = context.getBean(VoidRailHealthIndicator.class).health();
                assertThat(health.getStatus()).isEqualTo(Status.DOWN);
                assertThat(health.getDetails()).containsEntry("dealers", Map.of("EchoService", "REFUSED"));
            });
        this.withRouter.withPropertyValues("voidrail.require-auth=true", "voidrail.dealer-api-keys=dealer-key",
                "voidrail.client-api-keys=client-key", "voidrail.api-key=client-key")
            .withBean(VoidRailDealerCustomizer.class, () -> (group, builder) -> builder.apiKey("dealer-key"))
            .run((context) -> assertThat(context.getBean(VoidRailHealthIndicator.class).health().getStatus())
                .isEqualTo(Status.UP));
    }

    @Test
    void downWhenTheInProcessRouterIsNotRunning() {
        this.withRouter.withPropertyValues("voidrail.client.timeout=300ms").run((context) -> {
            context.getBean(RouterLifecycle.class).stop();
            Health health = context.getBean(VoidRailHealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.DOWN);
            assertThat(health.getDetails().get("router")).asInstanceOf(MAP).containsEntry("running", false);
        });
    }

    @Test
    void canBeSwitchedOff() {
        this.runner.withPropertyValues("management.health.voidrail.enabled=false")
            .run((context) -> assertThat(context).doesNotHaveBean(VoidRailHealthIndicator.class));
    }

}
