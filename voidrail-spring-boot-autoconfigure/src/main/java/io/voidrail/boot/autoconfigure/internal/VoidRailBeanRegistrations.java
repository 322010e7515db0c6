package io.voidrail.boot.autoconfigure.internal;

import java.util.Collection;

import org.springframework.beans.factory.annotation.AnnotatedBeanDefinition;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.annotation.AnnotationBeanNameGenerator;
import org.springframework.context.annotation.ClassPathBeanDefinitionScanner;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.ResolvableType;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.type.MethodMetadata;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.util.ClassUtils;

import io.voidrail.annotation.VoidRailService;

/**
 * Registers {@code @VoidRailService} classes as beans and {@code @VoidRailService} interfaces as typed-client
 * beans. Core's annotation carries no {@code @Component} (core knows nothing of Spring), so this is the component
 * scan for it, over the packages given; a class or interface that already has a bean definition is left alone.
 */
final class VoidRailBeanRegistrations {

    private final BeanDefinitionRegistry registry;

    private final Environment environment;

    private final ResourceLoader resourceLoader;

    VoidRailBeanRegistrations(BeanDefinitionRegistry registry, Environment environment, ResourceLoader resourceLoader) {
        this.registry = registry;
        this.environment = environment;
        this.resourceLoader = resourceLoader;
    }

    /** Service classes, registered as component scanning would (names, {@code @Lazy}, {@code @Primary}...). */
    void registerServices(Collection<String> packages) {
        ClassPathBeanDefinitionScanner scanner = new ClassPathBeanDefinitionScanner(this.registry, false,
                this.environment, this.resourceLoader);
        scanner.addIncludeFilter(new AnnotationTypeFilter(VoidRailService.class));
        scanner.addExcludeFilter((reader, factory) -> isDefined(reader.getClassMetadata().getClassName()));
        scanner.scan(packages.toArray(String[]::new));
    }

    /** Typed-client interfaces. */
    void registerClients(Collection<String> packages) {
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false,
                this.environment) {

            @Override
            protected boolean isCandidateComponent(AnnotatedBeanDefinition definition) {
                return definition.getMetadata().isInterface() && definition.getMetadata().isIndependent();
            }

        };
        scanner.setResourceLoader(this.resourceLoader);
        scanner.addIncludeFilter(new AnnotationTypeFilter(VoidRailService.class, false, false));
        for (String basePackage : packages) {
            for (BeanDefinition candidate : scanner.findCandidateComponents(basePackage)) {
                String className = candidate.getBeanClassName();
                if (className != null) {
                    registerClient(ClassUtils.resolveClassName(className, this.resourceLoader.getClassLoader()));
                }
            }
        }
    }

    /** One typed client; the {@code VoidRailClient} bean is looked up when the client is created. */
    void registerClient(Class<?> serviceInterface) {
        if (!serviceInterface.isInterface()) {
            throw new IllegalArgumentException(serviceInterface.getName() + " is not an interface: typed VoidRail "
                    + "clients are made from interfaces annotated @VoidRailService");
        }
        if (isDefined(serviceInterface.getName())) {
            return;
        }
        RootBeanDefinition definition = typedClient(serviceInterface);
        String name = AnnotationBeanNameGenerator.INSTANCE.generateBeanName(definition, this.registry);
        this.registry.registerBeanDefinition(this.registry.containsBeanDefinition(name) ? serviceInterface.getName()
                : name, definition);
    }

    /** A factory bean with the interface as its argument and generic type: no instance supplier, so AOT can write it. */
    private static RootBeanDefinition typedClient(Class<?> serviceInterface) {
        RootBeanDefinition definition = new RootBeanDefinition(VoidRailClientFactoryBean.class);
        definition.setTargetType(ResolvableType.forClassWithGenerics(VoidRailClientFactoryBean.class, serviceInterface));
        definition.getConstructorArgumentValues().addIndexedArgumentValue(0, serviceInterface);
        definition.setDescription("VoidRail typed client for " + serviceInterface.getName());
        return definition;
    }

    /**
     * Whether some bean definition already names this class: as its class, its factory method's type, or the
     * interface of a typed client.
     */
    private boolean isDefined(String className) {
        for (String name : this.registry.getBeanDefinitionNames()) {
            BeanDefinition definition = this.registry.getBeanDefinition(name);
            if (className.equals(definition.getBeanClassName())) {
                return true;
            }
            if (VoidRailClientFactoryBean.class.getName().equals(definition.getBeanClassName())) {
                Class<?> client = definition.getResolvableType().getGeneric(0).resolve();
                if (client != null && className.equals(client.getName())) {
                    return true;
                }
            }
            if (definition instanceof AnnotatedBeanDefinition annotated) {
                MethodMetadata factoryMethod = annotated.getFactoryMethodMetadata();
                if (factoryMethod != null && className.equals(factoryMethod.getReturnTypeName())) {
                    return true;
                }
            }
        }
        return false;
    }

}
