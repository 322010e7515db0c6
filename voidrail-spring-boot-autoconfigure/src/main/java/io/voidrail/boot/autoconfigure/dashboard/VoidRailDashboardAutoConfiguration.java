package io.voidrail.boot.autoconfigure.dashboard;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.server.RequestPredicates;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerRequest;
import org.springframework.web.reactive.function.server.ServerResponse;

import io.voidrail.boot.autoconfigure.VoidRailClientAutoConfiguration;
import io.voidrail.boot.autoconfigure.VoidRailRouterAutoConfiguration;
import io.voidrail.boot.autoconfigure.VoidRailProperties;
import io.voidrail.client.VoidRailClient;
import io.voidrail.dashboard.Dashboard;
import io.voidrail.router.ServiceRouter;

/**
 * Auto-configuration of the VoidRail dashboard: with {@code voidrail.dashboard.enabled=true} in a servlet or
 * reactive web application, the page is served at {@code voidrail.dashboard.path} (default {@code /voidrail}) under
 * the context path, through the application's own server and filters (so Spring Security protects it like any
 * other page). It shows the in-process router when there is one, else the router the client connects to.
 */
@AutoConfiguration(after = { VoidRailRouterAutoConfiguration.class, VoidRailClientAutoConfiguration.class })
@ConditionalOnClass(Dashboard.class)
@ConditionalOnBooleanProperty("voidrail.dashboard.enabled")
@ConditionalOnWebApplication
public final class VoidRailDashboardAutoConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    Dashboard voidRailDashboard(ObjectProvider<ServiceRouter> router, VoidRailClient client,
            VoidRailProperties properties) {
        ServiceRouter local = router.getIfUnique();
        Dashboard.Builder builder = (local != null) ? Dashboard.forRouter(local) : Dashboard.forClient(client);
        return builder.refreshInterval(properties.getDashboard().getRefreshInterval()).build();
    }

    @Bean
    DashboardSampler voidRailDashboardSampler(Dashboard dashboard) {
        return new DashboardSampler(dashboard);
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = Type.SERVLET)
    @ConditionalOnClass(name = "jakarta.servlet.http.HttpServlet")
    static final class ServletDashboardConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "voidRailDashboardServlet")
        ServletRegistrationBean<DashboardServlet> voidRailDashboardServlet(Dashboard dashboard,
                VoidRailProperties properties) {
            String path = properties.getDashboard().getPath();
            ServletRegistrationBean<DashboardServlet> registration = new ServletRegistrationBean<>(
                    new DashboardServlet(dashboard), path + "/*");
            registration.setName("voidRailDashboard");
            return registration;
        }

    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnWebApplication(type = Type.REACTIVE)
    @ConditionalOnClass({ RouterFunction.class, Mono.class })
    static final class ReactiveDashboardConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "voidRailDashboardRoutes")
        RouterFunction<ServerResponse> voidRailDashboardRoutes(Dashboard dashboard, VoidRailProperties properties) {
            String path = properties.getDashboard().getPath();
            return RouterFunctions.route(RequestPredicates.path(path).or(RequestPredicates.path(path + "/**")),
                    (request) -> respond(dashboard, path, request));
        }

        /** Off the event loop: reading the router may wait on its I/O thread or, remote, on the network. */
        private static Mono<ServerResponse> respond(Dashboard dashboard, String path, ServerRequest request) {
            String within = request.requestPath().pathWithinApplication().value();
            String full = request.requestPath().value();
            return Mono.fromCallable(() -> dashboard.respond(request.method().name(), within.substring(path.length()),
                    full))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMap((answer) -> {
                    ServerResponse.BodyBuilder response = ServerResponse.status(answer.status())
                        .headers((headers) -> answer.headers().forEach(headers::set));
                    if (answer.contentType() != null) {
                        response.contentType(MediaType.parseMediaType(answer.contentType()));
                    }
                    return (answer.body().length == 0) ? response.build() : response.bodyValue(answer.body());
                });
        }

    }

}
