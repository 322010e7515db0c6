package io.voidrail.client;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Typed clients: a JDK proxy of an interface annotated {@code @VoidRailService("Group")} whose methods
 * call {@code Group.<name>} with positional arguments ({@link ServiceInterface} says which method and how the
 * answer comes back). Return types: a value, {@code CompletableFuture} / {@code CompletionStage},
 * {@code Stream}, {@code Flow.Publisher}, or what a {@link CallAdapter} supports.
 */
final class TypedClient implements InvocationHandler {

    private final ClientDealer client;
    private final ServiceInterface service;

    private TypedClient(ClientDealer client, ServiceInterface service) {
        this.client = client;
        this.service = service;
    }

    @SuppressWarnings("unchecked")
    static <T> T create(ClientDealer client, Class<T> serviceInterface, List<CallAdapter> adapters) {
        ServiceInterface service = ServiceInterface.of(serviceInterface, adapters);
        return (T) Proxy.newProxyInstance(serviceInterface.getClassLoader(), new Class<?>[] { serviceInterface },
                new TypedClient(client, service));
    }

    @Override
    public @Nullable Object invoke(Object proxy, Method method, @Nullable Object @Nullable [] args) throws Throwable {
        if (method.getDeclaringClass() == Object.class) {
            return switch (method.getName()) {
                case "equals" -> proxy == (args == null ? null : args[0]);
                case "hashCode" -> System.identityHashCode(proxy);
                case "toString" -> "VoidRail client for " + service.type().getName() + " via " + client.routerAddress();
                default -> throw new UnsupportedOperationException(method.toString());
            };
        }
        if (method.isDefault()) {
            return InvocationHandler.invokeDefault(proxy, method, args);
        }
        ServiceInterface.Route route = service.route(method);
        CallSpec call = client.call(route.publicName()).args(args == null ? new Object[0] : args);
        return switch (route.shape()) {
            case ADAPTED -> route.adapter().adapt(call, route.valueType());
            case FUTURE -> call.invokeAsync(route.valueType());
            case STREAM -> call.stream(route.valueType());
            case PUBLISHER -> call.publisher(route.valueType());
            case VOID -> {
                call.invoke(Object.class);
                yield null;
            }
            case VALUE -> call.invoke(route.valueType());
        };
    }
}
