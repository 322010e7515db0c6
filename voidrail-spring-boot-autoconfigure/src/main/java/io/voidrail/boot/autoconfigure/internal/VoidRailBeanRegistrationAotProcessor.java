package io.voidrail.boot.autoconfigure.internal;

import java.lang.reflect.Method;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.BindingReflectionHintsRegistrar;
import org.springframework.aot.hint.ExecutableMode;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.beans.factory.aot.BeanRegistrationAotContribution;
import org.springframework.beans.factory.aot.BeanRegistrationAotProcessor;
import org.springframework.beans.factory.support.RegisteredBean;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

import io.voidrail.annotation.ServiceMethod;

/**
 * Runtime hints for what VoidRail does by reflection: the JDK proxy of each typed-client interface (and its
 * methods, read to route calls), the {@code @ServiceMethod} methods that dealers invoke, and JSON binding of their
 * parameter and result types.
 */
final class VoidRailBeanRegistrationAotProcessor implements BeanRegistrationAotProcessor {

    private final BindingReflectionHintsRegistrar bindings = new BindingReflectionHintsRegistrar();

    @Override
    public @Nullable BeanRegistrationAotContribution processAheadOfTime(RegisteredBean bean) {
        Class<?> beanClass = bean.getBeanClass();
        if (beanClass == VoidRailClientFactoryBean.class) {
            Class<?> serviceInterface = bean.getBeanType().as(VoidRailClientFactoryBean.class).getGeneric(0).resolve();
            return (serviceInterface != null)
                    ? (context, code) -> typedClient(context.getRuntimeHints(), serviceInterface) : null;
        }
        Class<?> userClass = ClassUtils.getUserClass(beanClass);
        if (ServiceBeanPostProcessor.isService(userClass)) {
            return (context, code) -> service(context.getRuntimeHints(), userClass);
        }
        return null;
    }

    void typedClient(RuntimeHints hints, Class<?> serviceInterface) {
        hints.proxies().registerJdkProxy(serviceInterface);
        hints.reflection().registerType(serviceInterface, MemberCategory.INVOKE_PUBLIC_METHODS);
        for (Method method : serviceInterface.getMethods()) {
            bindTypesOf(hints, method);
        }
    }

    void service(RuntimeHints hints, Class<?> serviceClass) {
        hints.reflection().registerType(serviceClass, MemberCategory.INVOKE_PUBLIC_METHODS,
                MemberCategory.INVOKE_DECLARED_METHODS);
        ReflectionUtils.doWithMethods(serviceClass, (method) -> {
            hints.reflection().registerMethod(method, ExecutableMode.INVOKE);
            bindTypesOf(hints, method);
        }, (method) -> AnnotatedElementUtils.hasAnnotation(method, ServiceMethod.class));
    }

    private void bindTypesOf(RuntimeHints hints, Method method) {
        List<Type> types = new ArrayList<>(List.of(method.getGenericParameterTypes()));
        types.add(method.getGenericReturnType());
        this.bindings.registerReflectionHints(hints.reflection(), types.toArray(Type[]::new));
    }

}
