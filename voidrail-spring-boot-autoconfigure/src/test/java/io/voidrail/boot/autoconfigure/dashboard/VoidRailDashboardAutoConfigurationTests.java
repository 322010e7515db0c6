package io.voidrail.boot.autoconfigure.dashboard;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.web.reactive.function.server.RouterFunction;

import io.voidrail.boot.autoconfigure.VoidRailClientAutoConfiguration;
import io.voidrail.boot.autoconfigure.VoidRailDealerAutoConfiguration;
import io.voidrail.boot.autoconfigure.VoidRailRouterAutoConfiguration;
import io.voidrail.dashboard.Dashboard;

import static org.assertj.core.api.Assertions.assertThat;

class VoidRailDashboardAutoConfigurationTests {

    private static final AutoConfigurations CONFIGURATIONS = AutoConfigurations.of(VoidRailRouterAutoConfiguration.class,
            VoidRailClientAutoConfiguration.class, VoidRailDealerAutoConfiguration.class,
            VoidRailDashboardAutoConfiguration.class);

    private static final String[] ROUTER = { "voidrail.router.enabled=true", "voidrail.router.bind-address=tcp://127.0.0.1:0",
            "voidrail.dealer.enabled=false" };

    private final WebApplicationContextRunner servlet = new WebApplicationContextRunner()
        .withConfiguration(CONFIGURATIONS)
        .withPropertyValues(ROUTER);

    @Test
    void offByDefault() {
        this.servlet.run((context) -> assertThat(context).doesNotHaveBean(Dashboard.class)
            .doesNotHaveBean("voidRailDashboardServlet"));
    }

    @Test
    void servletApplicationServesItAtThePath() {
        this.servlet.withPropertyValues("voidrail.dashboard.enabled=true").run((context) -> {
            assertThat(context).hasSingleBean(Dashboard.class);
            assertThat(context.getBean("voidRailDashboardServlet", ServletRegistrationBean.class).getUrlMappings())
                .containsExactly("/voidrail/*");
            assertThat(context.getBean(Dashboard.class).refreshInterval()).hasSeconds(2);
        });
        this.servlet.withPropertyValues("voidrail.dashboard.enabled=true", "voidrail.dashboard.path=/ops/bus/",
                "voidrail.dashboard.refresh-interval=500ms")
            .run((context) -> {
                assertThat(context.getBean("voidRailDashboardServlet", ServletRegistrationBean.class).getUrlMappings())
                    .containsExactly("/ops/bus/*");
                assertThat(context.getBean(Dashboard.class).refreshInterval()).hasMillis(500);
            });
    }

    @Test
    void reactiveApplicationServesItWithARouterFunction() {
        new ReactiveWebApplicationContextRunner().withConfiguration(CONFIGURATIONS)
            .withPropertyValues(ROUTER)
            .withPropertyValues("voidrail.dashboard.enabled=true")
            .run((context) -> {
                assertThat(context).hasSingleBean(Dashboard.class).hasBean("voidRailDashboardRoutes");
                assertThat(context.getBean("voidRailDashboardRoutes")).isInstanceOf(RouterFunction.class);
                assertThat(context).doesNotHaveBean("voidRailDashboardServlet");
            });
    }

    @Test
    void notInAnApplicationWithoutWebServerNorWithoutTheDashboardJar() {
        new ApplicationContextRunner().withConfiguration(CONFIGURATIONS)
            .withPropertyValues(ROUTER)
            .withPropertyValues("voidrail.dashboard.enabled=true")
            .run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(Dashboard.class));
        this.servlet.withPropertyValues("voidrail.dashboard.enabled=true")
            .withClassLoader(new FilteredClassLoader(Dashboard.class))
            .run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean("voidRailDashboardServlet"));
    }

    @Test
    void aPathThatIsNotOneFailsStartUpNamingTheProperty() {
        this.servlet.withPropertyValues("voidrail.dashboard.enabled=true", "voidrail.dashboard.path=voidrail")
            .run((context) -> assertThat(context).getFailure()
                .rootCause()
                .hasMessageContaining("must be a path such as /voidrail"));
    }

    @Test
    void withoutAnInProcessRouterItReadsTheClientsRouter() {
        // nothing listens on port 1: the page says the router does not answer, instead of failing
        new WebApplicationContextRunner().withConfiguration(CONFIGURATIONS)
            .withPropertyValues("voidrail.dealer.enabled=false", "voidrail.router-address=tcp://127.0.0.1:1",
                    "voidrail.dashboard.enabled=true")
            .run((context) -> {
                String json = new String(context.getBean(Dashboard.class).snapshotJson(), StandardCharsets.UTF_8);
                assertThat(json).contains("\"local\":false", "\"reachable\":false", "tcp://127.0.0.1:1");
            });
    }

}
