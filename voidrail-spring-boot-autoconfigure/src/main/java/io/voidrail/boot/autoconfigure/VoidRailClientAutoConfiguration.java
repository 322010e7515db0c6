package io.voidrail.boot.autoconfigure;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import io.voidrail.boot.autoconfigure.internal.CoreBuilders;
import io.voidrail.boot.autoconfigure.internal.ManagedVoidRailClient;
import io.voidrail.boot.autoconfigure.internal.ReactorCallAdapter;
import io.voidrail.boot.autoconfigure.internal.ServiceScanRegistrar;
import io.voidrail.boot.autoconfigure.internal.VoidRailSetupException;
import io.voidrail.client.CallAdapter;
import io.voidrail.client.VoidRailClient;
import io.voidrail.codec.JsonCodec;
import io.voidrail.event.CallListener;
import io.voidrail.router.ServiceRouter;
import reactor.core.publisher.Flux;
import tools.jackson.databind.json.JsonMapper;

/**
 * Auto-configuration of the VoidRail client side: the {@link VoidRailClient} bean, the {@link JsonCodec} and
 * {@link VoidRailConnectionDetails} that dealers share, and typed-client beans of the {@code @VoidRailService}
 * interfaces in the application's packages (the scan also registers the {@code @VoidRailService} classes that
 * {@link VoidRailDealerAutoConfiguration} serves).
 */
@AutoConfiguration(after = VoidRailRouterAutoConfiguration.class,
        afterName = "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration")
@EnableConfigurationProperties(VoidRailProperties.class)
@Import(ServiceScanRegistrar.class)
public final class VoidRailClientAutoConfiguration {

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
    VoidRailConnectionDetails voidRailConnectionDetails(VoidRailProperties properties,
            ObjectProvider<ServiceRouter> localRouter) {
        return new PropertiesVoidRailConnectionDetails(properties, localRouter);
    }

    /** Built when it starts (or is first used): the in-process router's port may be known only then. */
    @Bean
    @ConditionalOnMissingBean(VoidRailClient.class)
    VoidRailClient voidRailClient(VoidRailProperties properties, VoidRailConnectionDetails connection,
            JsonCodec codec, ObjectProvider<CallListener> listeners, ObjectProvider<CallAdapter> callAdapters,
            ObjectProvider<VoidRailClientCustomizer> customizers) {
        return new ManagedVoidRailClient(() -> {
            var builder = CoreBuilders.client(properties, connection.getRouterAddress(), connection.getApiKey(), codec,
                    CoreBuilders.listener(listeners.orderedStream().toList()), callAdapters.orderedStream().toList());
            customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
            return builder.build();
        });
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(Flux.class)
    static class ReactorConfiguration {

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
