package io.voidrail.client;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Proxy;
import java.lang.reflect.Type;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

import io.voidrail.annotation.ServiceMethod;
import io.voidrail.annotation.VoidRailService;

/**
 * Typed clients: a JDK proxy of an interface annotated {@code @VoidRailService("Group")} whose methods
 * call {@code Group.<name>} with positional arguments. Return types: a value, {@code CompletableFuture}
 * / {@code CompletionStage}, {@code Stream} or {@code Flow.Publisher}.
 */
final class TypedClient implements InvocationHandler {

    private final ClientDealer client;
    private final Class<?> serviceInterface;
    private final Map<Method, Route> routes = new HashMap<>();
    private final List<CallAdapter> adapters;

    private TypedClient(ClientDealer client, Class<?> serviceInterface, List<CallAdapter> adapters) {
        this.adapters = adapters;
        this.client = client;
        this.serviceInterface = serviceInterface;
        VoidRailService service = serviceInterface.getAnnotation(VoidRailService.class);
        String group = service != null && !service.value().isEmpty() ? service.value() : serviceInterface.getSimpleName();
        for (Method method : serviceInterface.getMethods()) {
            if (method.isDefault() || java.lang.reflect.Modifier.isStatic(method.getModifiers())) {
                continue;
            }
            ServiceMethod annotation = method.getAnnotation(ServiceMethod.class);
            String name = annotation != null && !annotation.name().isEmpty() ? annotation.name() : method.getName();
            routes.put(method, Route.of(group + "." + name, method, adapters));
        }
    }

    @SuppressWarnings("unchecked")
    static <T> T create(ClientDealer client, Class<T> serviceInterface, List<CallAdapter> adapters) {
        if (!serviceInterface.isInterface()) {
            throw new IllegalArgumentException(serviceInterface.getName() + " is not an interface: typed VoidRail clients "
                    + "are made from interfaces annotated @VoidRailService");
        }
        return (T) Proxy.newProxyInstance(serviceInterface.getClassLoader(), new Class<?>[] { serviceInterface },
                new TypedClient(client, serviceInterface, adapters));
    }

    @Override
    public @Nullable Object invoke(Object proxy, Method method, @Nullable Object @Nullable [] args) throws Throwable {
        if (method.getDeclaringClass() == Object.class) {
            return switch (method.getName()) {
                case "equals" -> proxy == (args == null ? null : args[0]);
                case "hashCode" -> System.identityHashCode(proxy);
                case "toString" -> "VoidRail client for " + serviceInterface.getName() + " via " + client.routerAddress();
                default -> throw new UnsupportedOperationException(method.toString());
            };
        }
        if (method.isDefault()) {
            return InvocationHandler.invokeDefault(proxy, method, args);
        }
        Route route = routes.get(method);
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

    private enum Shape {
        VALUE, VOID, FUTURE, STREAM, PUBLISHER, ADAPTED
    }

    private record Route(String publicName, Shape shape, Type valueType, @Nullable CallAdapter adapter) {

        Route(String publicName, Shape shape, Type valueType) {
            this(publicName, shape, valueType, null);
        }

        static Route of(String publicName, Method method, List<CallAdapter> adapters) {
            Class<?> raw = method.getReturnType();
            Type generic = method.getGenericReturnType();
            for (CallAdapter adapter : adapters) {
                if (adapter.supports(raw)) {
                    return new Route(publicName, Shape.ADAPTED, typeArgument(generic), adapter);
                }
            }
            if (raw == void.class || raw == Void.class) {
                return new Route(publicName, Shape.VOID, Object.class);
            }
            if (raw == CompletableFuture.class || raw == CompletionStage.class) {
                return new Route(publicName, Shape.FUTURE, typeArgument(generic));
            }
            if (raw == Stream.class) {
                return new Route(publicName, Shape.STREAM, typeArgument(generic));
            }
            if (raw == Flow.Publisher.class) {
                return new Route(publicName, Shape.PUBLISHER, typeArgument(generic));
            }
            return new Route(publicName, Shape.VALUE, generic);
        }

        private static Type typeArgument(Type generic) {
            return generic instanceof ParameterizedType parameterized ? parameterized.getActualTypeArguments()[0]
                    : Object.class;
        }
    }
}
