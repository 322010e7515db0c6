package io.voidrail.boot.autoconfigure;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.ConfigurableEnvironment;

import io.voidrail.boot.autoconfigure.internal.CoreBuilders;
import io.voidrail.boot.autoconfigure.internal.RouterLifecycle;
import io.voidrail.codec.JsonCodec;
import io.voidrail.router.ServiceRouter;

/**
 * Auto-configuration of the in-process router ({@code voidrail.router.enabled=true}): a {@link ServiceRouter} bean
 * bound to {@code voidrail.router.bind-address}, started before dealers, clients and the web server and stopped
 * after them.
 */
@AutoConfiguration(afterName = "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration")
@ConditionalOnBooleanProperty("voidrail.router.enabled")
@EnableConfigurationProperties(VoidRailProperties.class)
public final class VoidRailRouterAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ServiceRouter voidRailRouter(VoidRailProperties properties, ObjectProvider<JsonCodec> codec,
            ObjectProvider<VoidRailRouterCustomizer> customizers) {
        ServiceRouter.Builder builder = CoreBuilders.router(properties, codec.getIfAvailable(JsonCodec::defaults));
        customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
        return builder.build();
    }

    /** Starts and stops whichever router bean there is; internal, not meant to be replaced. */
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    RouterLifecycle voidRailRouterLifecycle(ServiceRouter router, VoidRailProperties properties,
            ConfigurableEnvironment environment, ApplicationEventPublisher events) {
        return new RouterLifecycle(router, properties.getRouter().getShutdownTimeout(), environment, events);
    }

}
