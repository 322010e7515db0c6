package io.voidrail.boot.autoconfigure;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.voidrail.boot.autoconfigure.actuate.VoidRailEndpointAutoConfiguration;
import io.voidrail.boot.autoconfigure.actuate.VoidRailHealthContributorAutoConfiguration;
import io.voidrail.boot.autoconfigure.actuate.VoidRailMetricsAutoConfiguration;
import io.voidrail.boot.autoconfigure.actuate.VoidRailObservationAutoConfiguration;
import io.voidrail.boot.testapp.EchoClient;
import io.voidrail.boot.testapp.TestApplication;
import io.voidrail.client.VoidRailClient;

import static org.assertj.core.api.Assertions.assertThat;

/** Actuator, health and Micrometer are optional: without them, VoidRail works and adds nothing of theirs. */
class OptionalDependenciesTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(VoidRailRouterAutoConfiguration.class, VoidRailClientAutoConfiguration.class,
                VoidRailDealerAutoConfiguration.class,
                VoidRailEndpointAutoConfiguration.class, VoidRailHealthContributorAutoConfiguration.class,
                VoidRailMetricsAutoConfiguration.class, VoidRailObservationAutoConfiguration.class))
        .withPropertyValues("voidrail.router.enabled=true", "voidrail.router.bind-address=tcp://127.0.0.1:0",
                "management.endpoints.web.exposure.include=*")
        .withUserConfiguration(TestApplication.class);

    @Test
    void startsWithoutActuatorHealthAndMicrometer() {
        this.runner
            .withClassLoader(new FilteredClassLoader(Endpoint.class, Health.class, MeterRegistry.class,
                    ObservationRegistry.class))
            .run((context) -> {
                assertThat(context).hasNotFailed()
                    .doesNotHaveBean("voidRailEndpoint")
                    .doesNotHaveBean("voidrailHealthIndicator")
                    .doesNotHaveBean("voidRailMeterBinder")
                    .doesNotHaveBean("voidRailObservationCallListener");
                assertThat(context.getBean(EchoClient.class).echo("bare")).isEqualTo("bare");
                assertThat(context.getBean(VoidRailClient.class).invoke("EchoService.add", Integer.class, 1, 2))
                    .isEqualTo(3);
            });
    }

    @Test
    void withThemEachIntegrationIsThere() {
        this.runner.withBean(ObservationRegistry.class, ObservationRegistry::create)
            .run((context) -> assertThat(context).hasBean("voidRailEndpoint")
                .hasBean("voidrailHealthIndicator")
                .hasBean("voidRailObservationCallListener"));
    }

}
