package io.voidrail.boot.autoconfigure.internal;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

import io.voidrail.client.CallSpec;
import io.voidrail.client.ClientDealer;
import io.voidrail.client.ConnectionState;
import io.voidrail.status.MethodInfo;
import io.voidrail.status.RouterStatus;
import io.voidrail.client.VoidRailClient;

/**
 * The {@link VoidRailClient} bean. The {@link ClientDealer} behind it is built when first needed (at the latest
 * when the context starts), because the in-process router may bind a port chosen only then. Typed clients made
 * by {@link #proxy(Class)} bind to it on their first call, so they can be injected anywhere.
 */
public final class ManagedVoidRailClient implements VoidRailClient, SmartLifecycle {

    private final Supplier<ClientDealer> factory;

    private final Object lock = new Object();

    private volatile @Nullable ClientDealer delegate;

    private volatile boolean running;

    public ManagedVoidRailClient(Supplier<ClientDealer> factory) {
        this.factory = factory;
    }

    /** The client, built now if it was not yet. */
    public ClientDealer delegate() {
        ClientDealer current = this.delegate;
        if (current == null) {
            synchronized (this.lock) {
                current = this.delegate;
                if (current == null) {
                    current = this.factory.get();
                    this.delegate = current;
                }
            }
        }
        return current;
    }

    /** The client if it has been built, without building it. */
    public @Nullable ClientDealer currentDelegate() {
        return this.delegate;
    }

    @Override
    public CallSpec call(String method) {
        return delegate().call(method);
    }

    @Override
    public Map<String, MethodInfo> discoverServices() {
        return delegate().discoverServices();
    }

    @Override
    public Map<String, RouterStatus.Dealer> discoverClusters() {
        return delegate().discoverClusters();
    }

    @Override
    public RouterStatus getRouterInfo() {
        return delegate().getRouterInfo();
    }

    @Override
    public Map<String, RouterStatus.Queue> getQueueStatus() {
        return delegate().getQueueStatus();
    }

    @Override
    public String routerAddress() {
        return delegate().routerAddress();
    }

    @Override
    public boolean ping(Duration timeout) {
        return delegate().ping(timeout);
    }

    @Override
    public <T> T proxy(Class<T> serviceInterface) {
        if (!serviceInterface.isInterface()) {
            throw new IllegalArgumentException(serviceInterface.getName() + " is not an interface: typed VoidRail "
                    + "clients are made from interfaces annotated @VoidRailService");
        }
        Object proxy = Proxy.newProxyInstance(serviceInterface.getClassLoader(), new Class<?>[] { serviceInterface },
                new LazyTypedClient(serviceInterface));
        return serviceInterface.cast(proxy);
    }

    @Override
    public void connect() {
        delegate().connect();
    }

    /** {@link ConnectionState#IDLE} until the client is built (the context starts). */
    @Override
    public ConnectionState connectionState() {
        ClientDealer current = this.delegate;
        return (current != null) ? current.connectionState() : ConnectionState.IDLE;
    }

    @Override
    public void close() {
        ClientDealer current = this.delegate;
        if (current != null) {
            current.close();
        }
    }

    @Override
    public void start() {
        connect();
        this.running = true;
    }

    /** Closes the client for good; a restarted context builds a new one (a closed core client stays closed). */
    @Override
    public void stop() {
        this.running = false;
        ClientDealer current;
        synchronized (this.lock) {
            current = this.delegate;
            this.delegate = null;
        }
        if (current != null) {
            current.close();
        }
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    @Override
    public int getPhase() {
        return VoidRailPhases.CLIENT;
    }

    @Override
    public String toString() {
        ClientDealer current = this.delegate;
        return (current != null) ? current.toString() : "VoidRailClient[not started]";
    }

    /** Hands each call to core's typed client, made on the first call. */
    private final class LazyTypedClient implements InvocationHandler {

        private final Class<?> serviceInterface;

        /** Core's typed client and the client it was made from (a restarted context has a new one). */
        private volatile @Nullable Bound bound;

        LazyTypedClient(Class<?> serviceInterface) {
            this.serviceInterface = serviceInterface;
        }

        @Override
        public @Nullable Object invoke(Object proxy, Method method, @Nullable Object @Nullable [] args)
                throws Throwable {
            if (method.getDeclaringClass() == Object.class) {
                return switch (method.getName()) {
                    case "equals" -> args != null && proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    default -> "VoidRail client for " + this.serviceInterface.getName();
                };
            }
            ClientDealer client = delegate();
            Bound current = this.bound;
            if (current == null || current.client() != client) {
                current = new Bound(client, client.proxy(this.serviceInterface));
                this.bound = current;
            }
            // core's handler directly: no reflective call that a non-public interface would refuse
            return Proxy.getInvocationHandler(current.proxy()).invoke(current.proxy(), method, args);
        }

    }

    private record Bound(ClientDealer client, Object proxy) {
    }

}
