package io.voidrail.boot.autoconfigure;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.LazyInitializationExcludeFilter;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.ConfigurableEnvironment;

import io.voidrail.boot.autoconfigure.internal.CoreBuilders;
import io.voidrail.boot.autoconfigure.internal.DealerLifecycle;
import io.voidrail.boot.autoconfigure.internal.ManagedVoidRailClient;
import io.voidrail.boot.autoconfigure.internal.ReactorCallAdapter;
import io.voidrail.boot.autoconfigure.internal.ReactorReturnValueAdapter;
import io.voidrail.boot.autoconfigure.internal.RouterAddressResolver;
import io.voidrail.boot.autoconfigure.internal.RouterLifecycle;
import io.voidrail.boot.autoconfigure.internal.ServiceBeanPostProcessor;
import io.voidrail.boot.autoconfigure.internal.ServiceScanRegistrar;
import io.voidrail.boot.autoconfigure.internal.VoidRailSetupException;
import io.voidrail.client.CallAdapter;
import io.voidrail.client.VoidRailClient;
import io.voidrail.codec.JsonCodec;
import io.voidrail.event.CallListener;
import io.voidrail.router.ServiceRouter;
import io.voidrail.service.ReturnValueAdapter;
import reactor.core.publisher.Flux;
import tools.jackson.databind.json.JsonMapper;

/**
 * Auto-configuration of VoidRail: a {@link VoidRailClient} bean, typed clients of {@code @VoidRailService}
 * interfaces, dealers for {@code @VoidRailService} beans and, with {@code voidrail.router.enabled=true}, a router.
 */
@AutoConfiguration(afterName = "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration")
@EnableConfigurationProperties(VoidRailProperties.class)
@Import(ServiceScanRegistrar.class)
public final class VoidRailAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    JsonCodec voidRailJsonCodec(VoidRailProperties properties, ObjectProvider<JsonMapper> applicationMapper) {
        if (!properties.getJson().isUseApplicationMapper()) {
            return JsonCodec.defaults();
        }
        JsonMapper mapper = applicationMapper.getIfUnique();
        if (mapper == null) {
            throw new VoidRailSetupException("voidrail.json.use-application-mapper is true, but the application has "
                    + "no single JsonMapper bean to use.", "Add spring-boot-jackson (or a JsonMapper bean), or set "
                            + "voidrail.json.use-application-mapper to false.", null);
        }
        return new JsonCodec(mapper);
    }

    @Bean
    @ConditionalOnMissingBean
    CoreBuilders voidRailCoreBuilders(VoidRailProperties properties, ObjectProvider<JsonCodec> codec,
            ObjectProvider<CallListener> listeners, ObjectProvider<ReturnValueAdapter> returnValueAdapters,
            ObjectProvider<CallAdapter> callAdapters) {
        return new CoreBuilders(properties, codec, listeners, returnValueAdapters, callAdapters);
    }

    @Bean
    @ConditionalOnMissingBean
    RouterAddressResolver voidRailRouterAddressResolver(VoidRailProperties properties,
            ObjectProvider<ServiceRouter> localRouter) {
        return new RouterAddressResolver(properties.getRouterAddress(), VoidRailProperties.DEFAULT_ADDRESS,
                localRouter);
    }

    @Bean
    @ConditionalOnMissingBean(VoidRailClient.class)
    VoidRailClient voidRailClient(CoreBuilders builders, RouterAddressResolver routerAddress,
            ObjectProvider<VoidRailClientCustomizer> customizers) {
        return new ManagedVoidRailClient(() -> builders.client(routerAddress.resolve(), customizers).build());
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBooleanProperty("voidrail.router.enabled")
    static class RouterConfiguration {

        @Bean
        @ConditionalOnMissingBean
        ServiceRouter voidRailRouter(CoreBuilders builders, ObjectProvider<VoidRailRouterCustomizer> customizers) {
            return builders.router(customizers).build();
        }

        @Bean
        @ConditionalOnMissingBean
        RouterLifecycle voidRailRouterLifecycle(ServiceRouter router, VoidRailProperties properties,
                ConfigurableEnvironment environment) {
            return new RouterLifecycle(router, properties.getRouter().getShutdownTimeout(), environment);
        }

    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnBooleanProperty(name = "voidrail.dealer.enabled", matchIfMissing = true)
    static class DealerConfiguration {

        @Bean
        @ConditionalOnMissingBean
        static ServiceBeanPostProcessor voidRailServiceBeanPostProcessor() {
            return new ServiceBeanPostProcessor();
        }

        /** Service beans must exist for their dealers to serve them, lazy initialization or not. */
        @Bean
        static LazyInitializationExcludeFilter voidRailServiceLazyInitializationExcludeFilter() {
            return (beanName, definition, beanType) -> beanType != null && ServiceBeanPostProcessor.isService(beanType);
        }

        @Bean
        @ConditionalOnMissingBean
        DealerLifecycle voidRailDealers(ServiceBeanPostProcessor services, CoreBuilders builders,
                RouterAddressResolver routerAddress, ObjectProvider<ReturnValueAdapter> returnValueAdapters,
                ObjectProvider<VoidRailDealerCustomizer> customizers) {
            return new DealerLifecycle(services, () -> returnValueAdapters.orderedStream().toList(),
                    (group) -> builders.dealer(group, routerAddress.resolve(), customizers),
                    routerAddress.isLocalRouter());
        }

    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(Flux.class)
    static class ReactorConfiguration {

        @Bean
        @ConditionalOnMissingBean(name = "voidRailMonoReturnValueAdapter")
        ReturnValueAdapter voidRailMonoReturnValueAdapter() {
            return ReactorReturnValueAdapter.MONO;
        }

        @Bean
        @ConditionalOnMissingBean(name = "voidRailFluxReturnValueAdapter")
        ReturnValueAdapter voidRailFluxReturnValueAdapter() {
            return ReactorReturnValueAdapter.FLUX;
        }

        @Bean
        @ConditionalOnMissingBean(name = "voidRailMonoCallAdapter")
        CallAdapter voidRailMonoCallAdapter() {
            return ReactorCallAdapter.MONO;
        }

        @Bean
        @ConditionalOnMissingBean(name = "voidRailFluxCallAdapter")
        CallAdapter voidRailFluxCallAdapter() {
            return ReactorCallAdapter.FLUX;
        }

    }

}
