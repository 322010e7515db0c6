package io.voidrail.boot.actuate;

import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.voidrail.boot.actuate.VoidRailEndpoint.DealerDescriptor;
import io.voidrail.boot.actuate.VoidRailEndpoint.RouterDescriptor;
import io.voidrail.boot.actuate.VoidRailEndpoint.ServicesDescriptor;
import io.voidrail.boot.actuate.VoidRailEndpoint.VoidRailDescriptor;
import io.voidrail.boot.autoconfigure.VoidRailClientAutoConfiguration;
import io.voidrail.boot.autoconfigure.VoidRailDealerAutoConfiguration;
import io.voidrail.boot.autoconfigure.VoidRailRouterAutoConfiguration;
import io.voidrail.boot.autoconfigure.actuate.VoidRailEndpointAutoConfiguration;
import io.voidrail.boot.autoconfigure.internal.RouterLifecycle;
import io.voidrail.boot.testapp.EchoService;
import io.voidrail.client.VoidRailClient;
import io.voidrail.router.ServiceRouter;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class VoidRailEndpointTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(
                AutoConfigurations.of(VoidRailRouterAutoConfiguration.class, VoidRailClientAutoConfiguration.class,
                VoidRailDealerAutoConfiguration.class, VoidRailEndpointAutoConfiguration.class))
        .withPropertyValues("management.endpoints.web.exposure.include=voidrail");

    private final ApplicationContextRunner withRouter = this.runner
        .withPropertyValues("voidrail.router.enabled=true", "voidrail.router.bind-address=tcp://127.0.0.1:0")
        .withBean(EchoService.class);

    @Test
    void aDealerThatWentAwayIsReportedInactive() {
        this.withRouter.withPropertyValues("voidrail.router.heartbeat-timeout=1s", "voidrail.dealer.heartbeat-interval=100ms")
            .run((context) -> {
                String ghost = GhostDealer.registerAndVanish(context.getBean(ServiceRouter.class).address());
                VoidRailEndpoint endpoint = context.getBean(VoidRailEndpoint.class);
                await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(endpoint.voidrail().router().dealers())
                    .anySatisfy((dealer) -> {
                        assertThat(dealer.id()).isEqualTo(ghost);
                        assertThat(dealer.state()).isEqualTo("inactive");
                    })
                    .anySatisfy((dealer) -> assertThat(dealer.state()).isEqualTo("active")));
            });
    }

    @Test
    void reportsTheInProcessRouterItsQueuesTheDealersAndTheClient() {
        this.withRouter.run((context) -> {
            context.getBean(VoidRailClient.class).invoke("EchoService.echo", String.class, "counted");
            String address = context.getBean(ServiceRouter.class).address();
            VoidRailDescriptor report = context.getBean(VoidRailEndpoint.class).voidrail();
            RouterDescriptor router = report.router();
            assertThat(router.local()).isTrue();
            assertThat(router.running()).isTrue();
            assertThat(router.address()).isEqualTo(address);
            assertThat(router.mode()).isEqualTo("fifo");
            assertThat(router.totalRequests()).isGreaterThanOrEqualTo(1);
            assertThat(router.dealers()).singleElement().satisfies((dealer) -> {
                assertThat(dealer.group()).isEqualTo("EchoService");
                assertThat(dealer.state()).isEqualTo("active");
            });
            // a method's queue exists once it has been called
            assertThat(report.queues()).containsKey("EchoService.echo");
            assertThat(report.services()).singleElement().satisfies((dealer) -> {
                assertThat(dealer.group()).isEqualTo("EchoService");
                assertThat(dealer.state()).isEqualTo("REGISTERED");
                assertThat(dealer.methods()).contains("EchoService.echo", "EchoService.slow");
                assertThat(dealer.routerAddress()).isEqualTo(address);
            });
            assertThat(report.client().connected()).isTrue();
            assertThat(report.client().state()).isEqualTo("READY");
            assertThat(report.client().routerAddress()).isEqualTo(address);
            // what the web layer does with it
            assertThat(JsonMapper.builder().build().writeValueAsString(report)).contains("\"EchoService.echo\"",
                    "\"lastHeartbeat\"");
        });
    }

    @Test
    void selectorsReturnOnePart() {
        this.withRouter.run((context) -> {
            context.getBean(VoidRailClient.class).invoke("EchoService.echo", String.class, "queued");
            VoidRailEndpoint endpoint = context.getBean(VoidRailEndpoint.class);
            assertThat(endpoint.voidrailPart("router")).isInstanceOfSatisfying(RouterDescriptor.class,
                    (router) -> assertThat(router.running()).isTrue());
            assertThat(endpoint.voidrailPart("queues")).isInstanceOfSatisfying(Map.class,
                    (queues) -> assertThat(queues).containsKey("EchoService.echo"));
            assertThat(endpoint.voidrailPart("services")).isInstanceOfSatisfying(ServicesDescriptor.class,
                    (services) -> assertThat(services.services()).extracting(DealerDescriptor::group)
                        .containsExactly("EchoService"));
            assertThat(endpoint.voidrailPart("nothing")).isNull();
        });
    }

    @Test
    void aRouterInAnotherProcessIsAskedThroughTheClient() {
        this.withRouter.run((routerApp) -> {
            routerApp.getBean(VoidRailClient.class).invoke("EchoService.echo", String.class, "queued");
            String address = routerApp.getBean(ServiceRouter.class).address();
            this.runner.withPropertyValues("voidrail.router-address=" + address).run((context) -> {
                VoidRailDescriptor report = context.getBean(VoidRailEndpoint.class).voidrail();
                assertThat(report.router().local()).isFalse();
                assertThat(report.router().running()).isTrue();
                assertThat(report.router().mode()).isEqualTo("fifo");
                assertThat(report.router().dealers()).singleElement()
                    .satisfies((dealer) -> assertThat(dealer.group()).isEqualTo("EchoService"));
                assertThat(report.queues()).containsKey("EchoService.echo");
                assertThat(report.services()).isEmpty();
            });
        });
    }

    @Test
    void aClientThatHasNotHeardFromItsRouterIsNotConnected() {
        this.runner
            .withPropertyValues("voidrail.router-address=tcp://127.0.0.1:1", "voidrail.client.connect-timeout=200ms",
                    "voidrail.client.heartbeat-interval=100ms")
            .run((context) -> {
                VoidRailEndpoint endpoint = context.getBean(VoidRailEndpoint.class);
                assertThat(endpoint.voidrail().client().connected()).isFalse();
                org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                    .until(() -> "UNAVAILABLE".equals(endpoint.voidrail().client().state()));
                assertThat(endpoint.voidrail().client().connected()).isFalse();
                assertThat(endpoint.voidrail().router().running()).isFalse();
            });
    }

    @Test
    void aStoppedRouterIsReportedAsNotRunning() {
        this.withRouter.run((context) -> {
            context.getBean(RouterLifecycle.class).stop();
            RouterDescriptor router = context.getBean(VoidRailEndpoint.class).voidrail().router();
            assertThat(router.local()).isTrue();
            assertThat(router.running()).isFalse();
        });
    }

    @Test
    void endpointIsOnlyThereWhenExposed() {
        new ApplicationContextRunner()
            .withConfiguration(
                    AutoConfigurations.of(VoidRailRouterAutoConfiguration.class, VoidRailClientAutoConfiguration.class,
                VoidRailDealerAutoConfiguration.class, VoidRailEndpointAutoConfiguration.class))
            .run((context) -> assertThat(context).doesNotHaveBean(VoidRailEndpoint.class));
    }

}
