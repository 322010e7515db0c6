package io.voidrail.boot.autoconfigure.actuate;

import io.micrometer.observation.ObservationRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

import io.voidrail.boot.micrometer.ObservationCallListener;

/**
 * Auto-configuration of Micrometer Observations around client calls and dealer executions: timers with Spring
 * Boot's metrics, spans that cross from client to dealer with its tracing.
 */
@AutoConfiguration(
        afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass(ObservationRegistry.class)
@ConditionalOnBean(ObservationRegistry.class)
public final class VoidRailObservationAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ObservationCallListener voidRailObservationCallListener(ObservationRegistry registry) {
        return new ObservationCallListener(registry);
    }

}
