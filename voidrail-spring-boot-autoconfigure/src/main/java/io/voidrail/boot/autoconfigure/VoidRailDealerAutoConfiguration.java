package io.voidrail.boot.autoconfigure;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.LazyInitializationExcludeFilter;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Role;

import io.voidrail.boot.autoconfigure.internal.CoreBuilders;
import io.voidrail.boot.autoconfigure.internal.DealerLifecycle;
import io.voidrail.boot.autoconfigure.internal.OnVoidRailServicesCondition;
import io.voidrail.boot.autoconfigure.internal.ReactorReturnValueAdapter;
import io.voidrail.boot.autoconfigure.internal.ServiceBeanPostProcessor;
import io.voidrail.codec.JsonCodec;
import io.voidrail.event.CallListener;
import io.voidrail.service.ReturnValueAdapter;
import reactor.core.publisher.Flux;

/**
 * Auto-configuration of the dealers that serve this application's {@code @VoidRailService} beans, one per service
 * group, when there are such beans (found by the scan of {@link VoidRailClientAutoConfiguration} or declared by the
 * application with their class as the bean type) and {@code voidrail.dealer.enabled} is not false.
 */
@AutoConfiguration(after = { VoidRailRouterAutoConfiguration.class, VoidRailClientAutoConfiguration.class })
@ConditionalOnBooleanProperty(name = "voidrail.dealer.enabled", matchIfMissing = true)
@Conditional(OnVoidRailServicesCondition.class)
public final class VoidRailDealerAutoConfiguration {

    /** Finds the service beans as they are initialized; internal, not meant to be replaced. */
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static ServiceBeanPostProcessor voidRailServiceBeanPostProcessor() {
        return new ServiceBeanPostProcessor();
    }

    /** Service beans must exist for their dealers to serve them, lazy initialization or not. */
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static LazyInitializationExcludeFilter voidRailServiceLazyInitializationExcludeFilter() {
        return (beanName, definition, beanType) -> beanType != null && ServiceBeanPostProcessor.isService(beanType);
    }

    /** Runs the dealers from context start to stop; internal, customize dealers with VoidRailDealerCustomizer. */
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    DealerLifecycle voidRailDealers(ServiceBeanPostProcessor services, VoidRailProperties properties,
            VoidRailConnectionDetails connection, JsonCodec codec, ObjectProvider<CallListener> listeners,
            ObjectProvider<ReturnValueAdapter> returnValueAdapters, ObjectProvider<VoidRailDealerCustomizer> customizers,
            ApplicationEventPublisher events) {
        return new DealerLifecycle(services, () -> returnValueAdapters.orderedStream().toList(), (group) -> {
            var builder = CoreBuilders.dealer(properties, connection.getRouterAddress(), connection.getApiKey(), codec,
                    CoreBuilders.listener(listeners.orderedStream().toList()),
                    returnValueAdapters.orderedStream().toList());
            customizers.orderedStream().forEach((customizer) -> customizer.customize(group, builder));
            return builder;
        }, connection instanceof PropertiesVoidRailConnectionDetails local && local.usesLocalRouter(), events);
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

    }

}
