package io.voidrail.boot.autoconfigure.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.annotation.AnnotationAttributes;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.type.AnnotationMetadata;
import org.springframework.util.ClassUtils;

import io.voidrail.boot.autoconfigure.ImportVoidRailClients;

/** Registers the typed clients an {@link ImportVoidRailClients} annotation names. */
public final class ImportVoidRailClientsRegistrar
        implements ImportBeanDefinitionRegistrar {

    private final Environment environment;

    private final ResourceLoader resourceLoader;

    /** Spring passes these to an import registrar's constructor. */
    ImportVoidRailClientsRegistrar(Environment environment, ResourceLoader resourceLoader) {
        this.environment = environment;
        this.resourceLoader = resourceLoader;
    }

    @Override
    public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
        AnnotationAttributes attributes = AnnotationAttributes
            .fromMap(metadata.getAnnotationAttributes(ImportVoidRailClients.class.getName()));
        if (attributes == null) {
            return;
        }
        VoidRailBeanRegistrations registrations = new VoidRailBeanRegistrations(registry, this.environment,
                this.resourceLoader);
        Class<?>[] types = attributes.getClassArray("value");
        List<String> packages = new ArrayList<>(Arrays.asList(attributes.getStringArray("basePackages")));
        for (Class<?> type : attributes.getClassArray("basePackageClasses")) {
            packages.add(ClassUtils.getPackageName(type));
        }
        if (types.length == 0 && packages.isEmpty()) {
            packages.add(ClassUtils.getPackageName(metadata.getClassName()));
        }
        for (Class<?> type : types) {
            registrations.registerClient(type);
        }
        registrations.registerClients(packages);
    }

}
