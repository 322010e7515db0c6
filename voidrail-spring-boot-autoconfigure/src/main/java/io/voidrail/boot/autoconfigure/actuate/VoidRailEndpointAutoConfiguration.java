package io.voidrail.boot.autoconfigure.actuate;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import io.voidrail.boot.actuate.VoidRailEndpoint;
import io.voidrail.boot.autoconfigure.VoidRailClientAutoConfiguration;
import io.voidrail.boot.autoconfigure.VoidRailDealerAutoConfiguration;
import io.voidrail.boot.autoconfigure.VoidRailRouterAutoConfiguration;
import io.voidrail.boot.autoconfigure.internal.DealerLifecycle;
import io.voidrail.boot.autoconfigure.internal.LocalViews;
import io.voidrail.client.VoidRailClient;
import io.voidrail.router.ServiceRouter;

/** Auto-configuration of the {@code voidrail} Actuator endpoint. */
@AutoConfiguration(after = { VoidRailRouterAutoConfiguration.class, VoidRailClientAutoConfiguration.class,
        VoidRailDealerAutoConfiguration.class })
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnAvailableEndpoint(VoidRailEndpoint.class)
public final class VoidRailEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    VoidRailEndpoint voidRailEndpoint(ObjectProvider<ServiceRouter> router, ObjectProvider<DealerLifecycle> dealers,
            VoidRailClient client) {
        return new VoidRailEndpoint(router.getIfAvailable(), LocalViews.dealers(dealers), client,
                LocalViews.routerAddress(client));
    }

}
