package io.voidrail.boot.autoconfigure.internal;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.FactoryBean;

import io.voidrail.client.CallAdapter;
import io.voidrail.client.ServiceInterface;
import io.voidrail.client.VoidRailClient;

/**
 * A typed-client bean: the proxy the {@link VoidRailClient} bean makes of a {@code @VoidRailService} interface. A
 * bean definition of a class with its interface as the one constructor argument, so that AOT can write it as code.
 * The interface is checked when the bean is made: a method that cannot be mapped fails start-up, naming it.
 */
public final class VoidRailClientFactoryBean<T> implements FactoryBean<T>, BeanFactoryAware {

    private final Class<T> serviceInterface;

    private @Nullable BeanFactory beanFactory;

    public VoidRailClientFactoryBean(Class<T> serviceInterface) {
        this.serviceInterface = serviceInterface;
    }

    @Override
    public void setBeanFactory(BeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    @Override
    public T getObject() {
        BeanFactory factory = this.beanFactory;
        if (factory == null) {
            throw new IllegalStateException("No BeanFactory to find the VoidRailClient in");
        }
        List<CallAdapter> adapters = factory.getBeanProvider(CallAdapter.class).orderedStream().toList();
        try {
            ServiceInterface.of(this.serviceInterface, adapters);
        }
        catch (IllegalArgumentException ex) {
            throw new VoidRailSetupException(ex.getMessage(), "Fix the method of " + this.serviceInterface.getSimpleName()
                    + " as described above.", ex);
        }
        return factory.getBean(VoidRailClient.class).proxy(this.serviceInterface);
    }

    @Override
    public Class<T> getObjectType() {
        return this.serviceInterface;
    }

    /** The interface a typed-client bean definition makes a client of. */
    public Class<T> serviceInterface() {
        return this.serviceInterface;
    }

}
