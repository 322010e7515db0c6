package io.voidrail.boot.autoconfigure.web;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.http.ProblemDetail;

import io.voidrail.boot.autoconfigure.VoidRailClientAutoConfiguration;
import io.voidrail.boot.autoconfigure.VoidRailProperties;
import io.voidrail.boot.web.DefaultVoidRailProblemDetailsMapper;
import io.voidrail.boot.web.VoidRailExceptionHandler;
import io.voidrail.boot.web.VoidRailProblemDetailsMapper;

/**
 * Auto-configuration of RFC 9457 problem details for VoidRail errors in Spring MVC and WebFlux applications;
 * {@code voidrail.web.problem-details.enabled=false} switches it off.
 */
@AutoConfiguration(after = VoidRailClientAutoConfiguration.class)
@ConditionalOnWebApplication
@ConditionalOnClass(ProblemDetail.class)
@ConditionalOnBooleanProperty(name = "voidrail.web.problem-details.enabled", matchIfMissing = true)
@EnableConfigurationProperties(VoidRailProperties.class)
public final class VoidRailProblemDetailsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    VoidRailProblemDetailsMapper voidRailProblemDetailsMapper(VoidRailProperties properties) {
        return new DefaultVoidRailProblemDetailsMapper(properties);
    }

    @Bean
    @ConditionalOnMissingBean
    VoidRailExceptionHandler voidRailExceptionHandler(VoidRailProblemDetailsMapper mapper) {
        return new VoidRailExceptionHandler(mapper);
    }

}
