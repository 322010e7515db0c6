package io.voidrail.boot.autoconfigure.internal;

import java.util.List;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.autoconfigure.AutoConfigurationPackages;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.ResourceLoaderAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Scans the application's packages (those of {@code @SpringBootApplication}, as Spring Data does for repositories)
 * for {@code @VoidRailService} classes, unless {@code voidrail.dealer.enabled=false}, and interfaces.
 */
public final class ServiceScanRegistrar
        implements ImportBeanDefinitionRegistrar, BeanFactoryAware, EnvironmentAware, ResourceLoaderAware {

    private BeanFactory beanFactory;

    private Environment environment;

    private ResourceLoader resourceLoader;

    @Override
    public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
        if (!AutoConfigurationPackages.has(this.beanFactory)) {
            return;
        }
        List<String> packages = AutoConfigurationPackages.get(this.beanFactory);
        VoidRailBeanRegistrations registrations = new VoidRailBeanRegistrations(registry, this.beanFactory,
                this.environment, this.resourceLoader);
        boolean dealers = Binder.get(this.environment).bind("voidrail.dealer.enabled", Boolean.class).orElse(true);
        if (dealers) {
            registrations.registerServices(packages);
        }
        registrations.registerClients(packages);
    }

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void setResourceLoader(ResourceLoader resourceLoader) {
        this.resourceLoader = resourceLoader;
    }

}
