package io.voidrail.boot.autoconfigure.actuate;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import io.voidrail.boot.autoconfigure.VoidRailClientAutoConfiguration;
import io.voidrail.boot.autoconfigure.VoidRailDealerAutoConfiguration;
import io.voidrail.boot.autoconfigure.VoidRailRouterAutoConfiguration;
import io.voidrail.boot.autoconfigure.internal.DealerLifecycle;
import io.voidrail.boot.autoconfigure.internal.LocalViews;
import io.voidrail.boot.micrometer.QueueTimeCallListener;
import io.voidrail.boot.micrometer.VoidRailMeterBinder;
import io.voidrail.router.ServiceRouter;

/**
 * Auto-configuration of VoidRail's gauges, and of the timer of the time client calls wait in the router's queue
 * ({@link QueueTimeCallListener}). Timers of calls and executions come from
 * {@link VoidRailObservationAutoConfiguration}: Spring Boot turns each observation into a timer.
 */
@AutoConfiguration(after = { VoidRailRouterAutoConfiguration.class, VoidRailClientAutoConfiguration.class,
        VoidRailDealerAutoConfiguration.class },
        afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
                "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean(MeterRegistry.class)
public final class VoidRailMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    VoidRailMeterBinder voidRailMeterBinder(ObjectProvider<ServiceRouter> router,
            ObjectProvider<DealerLifecycle> dealers) {
        return new VoidRailMeterBinder(router.getIfAvailable(), LocalViews.dealers(dealers));
    }

    @Bean
    @ConditionalOnMissingBean
    QueueTimeCallListener voidRailQueueTimeCallListener(MeterRegistry registry) {
        return new QueueTimeCallListener(registry);
    }

}
