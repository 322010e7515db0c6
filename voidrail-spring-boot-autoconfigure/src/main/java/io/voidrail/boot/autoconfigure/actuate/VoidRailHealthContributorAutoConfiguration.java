package io.voidrail.boot.autoconfigure.actuate;

import java.time.Duration;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.context.annotation.Bean;

import io.voidrail.boot.actuate.VoidRailHealthIndicator;
import io.voidrail.boot.autoconfigure.VoidRailClientAutoConfiguration;
import io.voidrail.boot.autoconfigure.VoidRailDealerAutoConfiguration;
import io.voidrail.boot.autoconfigure.VoidRailRouterAutoConfiguration;
import io.voidrail.boot.autoconfigure.VoidRailProperties;
import io.voidrail.boot.autoconfigure.internal.DealerLifecycle;
import io.voidrail.boot.autoconfigure.internal.LocalViews;
import io.voidrail.client.VoidRailClient;
import io.voidrail.router.ServiceRouter;

/** Auto-configuration of the {@code voidrail} health indicator. */
@AutoConfiguration(after = { VoidRailRouterAutoConfiguration.class, VoidRailClientAutoConfiguration.class,
        VoidRailDealerAutoConfiguration.class }, before = HealthContributorAutoConfiguration.class)
@ConditionalOnClass(Health.class)
@ConditionalOnEnabledHealthIndicator("voidrail")
public final class VoidRailHealthContributorAutoConfiguration {

    /** A health check answers fast even when calls may take the client's full timeout. */
    private static final Duration MAX_PING_TIMEOUT = Duration.ofSeconds(2);

    @Bean
    @ConditionalOnMissingBean(name = "voidrailHealthIndicator")
    VoidRailHealthIndicator voidrailHealthIndicator(ObjectProvider<ServiceRouter> router,
            ObjectProvider<DealerLifecycle> dealers, VoidRailClient client, VoidRailProperties properties) {
        Duration timeout = properties.getClient().getTimeout();
        return new VoidRailHealthIndicator(router.getIfAvailable(), LocalViews.dealers(dealers), client,
                LocalViews.routerAddress(client), (timeout.compareTo(MAX_PING_TIMEOUT) < 0) ? timeout : MAX_PING_TIMEOUT);
    }

}
