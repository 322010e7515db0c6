package io.voidrail.boot.autoconfigure.internal;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.ConfigurationCondition;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.ClassUtils;

/**
 * Matches when a bean definition's type is a {@code @VoidRailService} class (not a typed-client interface): one the
 * service scan registered, or one the application declares. Evaluated when beans are registered, after the scan.
 */
public final class OnVoidRailServicesCondition extends SpringBootCondition implements ConfigurationCondition {

    @Override
    public ConfigurationPhase getConfigurationPhase() {
        return ConfigurationPhase.REGISTER_BEAN;
    }

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();
        if (beanFactory != null) {
            for (String name : beanFactory.getBeanDefinitionNames()) {
                Class<?> type = beanFactory.getType(name, false);
                if (type != null && ServiceBeanPostProcessor.isService(ClassUtils.getUserClass(type))) {
                    return ConditionOutcome.match("@VoidRailService bean '" + name + "' (" + type.getName() + ")");
                }
            }
        }
        return ConditionOutcome.noMatch("no bean's type is a @VoidRailService class");
    }

}
