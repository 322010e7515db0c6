package io.voidrail.boot.autoconfigure.internal;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.util.ClassUtils;

import io.voidrail.annotation.VoidRailService;

/**
 * Finds the beans to serve, as Spring finds {@code @Scheduled} methods: every initialized bean whose class (behind
 * any AOP proxy) is annotated {@link VoidRailService}. It runs last, so it records the object other beans see
 * (the proxy, when there is one), and the class behind it for reading annotations.
 */
public final class ServiceBeanPostProcessor implements BeanPostProcessor, Ordered {

    private final Map<String, ServiceBean> services = new LinkedHashMap<>();

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        Class<?> userClass = ClassUtils.getUserClass(AopProxyUtils.ultimateTargetClass(bean));
        if (isService(userClass)) {
            synchronized (this.services) {
                this.services.put(beanName, new ServiceBean(beanName, bean, userClass));
            }
        }
        return bean;
    }

    /** A class whose instances are served: annotated (or inheriting the annotation), and not a typed client. */
    public static boolean isService(Class<?> type) {
        return !type.isInterface() && !Proxy.isProxyClass(type) && type.isAnnotationPresent(VoidRailService.class);
    }

    /** The beans found so far, in the order they were initialized. */
    public List<ServiceBean> services() {
        synchronized (this.services) {
            return new ArrayList<>(this.services.values());
        }
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    /** A bean to serve: the object to invoke and the class to read annotations from. */
    public record ServiceBean(String beanName, Object bean, Class<?> userClass) {
    }

}
