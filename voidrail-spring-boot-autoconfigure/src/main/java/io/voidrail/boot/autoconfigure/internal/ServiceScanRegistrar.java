package io.voidrail.boot.autoconfigure.internal;

import java.util.List;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Scans the application's packages (those of {@code @SpringBootApplication}, as Spring Data does for repositories)
 * for {@code @VoidRailService} classes, unless {@code voidrail.dealer.enabled=false}, and interfaces.
 */
public final class ServiceScanRegistrar
        implements ImportBeanDefinitionRegistrar {

    private final BeanFactory beanFactory;

    private final Environment environment;

    private final ResourceLoader resourceLoader;

    /** Spring passes these to an import registrar's constructor. */
    ServiceScanRegistrar(BeanFactory beanFactory, Environment environment, ResourceLoader resourceLoader) {
        this.beanFactory = beanFactory;
        this.environment = environment;
        this.resourceLoader = resourceLoader;
    }

    @Override
    public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
        if (!AutoConfigurationPackages.has(this.beanFactory)) {
            return;
        }
        List<String> packages = AutoConfigurationPackages.get(this.beanFactory);
        VoidRailBeanRegistrations registrations = new VoidRailBeanRegistrations(registry, this.environment,
                this.resourceLoader);
        boolean dealers = Binder.get(this.environment).bind("voidrail.dealer.enabled", Boolean.class).orElse(true);
        if (dealers) {
            registrations.registerServices(packages);
        }
        registrations.registerClients(packages);
    }

}
