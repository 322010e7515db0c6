package io.voidrail.client;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

import io.voidrail.annotation.ServiceMethod;
import io.voidrail.annotation.VoidRailService;

/**
 * What a typed-client interface calls: for each abstract method, the public method name and how the answer comes
 * back. Made (and so checked) when a typed client is created, so that a method that cannot be mapped fails then,
 * naming the method, instead of at its first call.
 *
 * <p>The public name is {@code <group>.<name>}: the group from {@code @VoidRailService} (default: the interface's
 * simple name), the name from {@code @ServiceMethod(name = ...)}, else the Java method name, where a method that
 * returns without waiting ({@code CompletableFuture}, {@code CompletionStage}, {@code Flow.Publisher}, a type of a
 * {@link CallAdapter} such as Reactor's {@code Mono}) drops the conventional {@code Async} suffix:
 * {@code CompletableFuture<String> echoAsync(String)} calls {@code EchoService.echo}.
 */
public final class ServiceInterface {

    private static final String ASYNC = "Async";

    private final Class<?> type;
    private final String group;
    private final Map<Method, Route> routes;

    private ServiceInterface(Class<?> type, String group, Map<Method, Route> routes) {
        this.type = type;
        this.group = group;
        this.routes = routes;
    }

    /**
     * Reads and checks an interface.
     *
     * @param adapters the call adapters of the client that will serve it (they add return types)
     * @throws IllegalArgumentException naming the type or method when the interface cannot be a typed client
     */
    public static ServiceInterface of(Class<?> type, List<CallAdapter> adapters) {
        if (!type.isInterface()) {
            throw new IllegalArgumentException(type.getName() + " is not an interface: typed VoidRail clients "
                    + "are made from interfaces annotated @VoidRailService");
        }
        VoidRailService service = type.getAnnotation(VoidRailService.class);
        String group = service != null && !service.value().isEmpty() ? service.value() : type.getSimpleName();
        Map<Method, Route> routes = new LinkedHashMap<>();
        for (Method method : type.getMethods()) {
            if (!method.isDefault() && !Modifier.isStatic(method.getModifiers())) {
                routes.put(method, Route.of(group, method, adapters));
            }
        }
        return new ServiceInterface(type, group, routes);
    }

    public Class<?> type() {
        return type;
    }

    public String group() {
        return group;
    }

    /** The interface methods that make calls (not default or static ones). */
    public Set<Method> methods() {
        return routes.keySet();
    }

    /** The public method a call of this interface method reaches, e.g. {@code EchoService.echo}. */
    public String publicName(Method method) {
        return route(method).publicName();
    }

    Route route(Method method) {
        Route route = routes.get(method);
        if (route == null) {
            throw new IllegalArgumentException(method + " is not a call method of " + type.getName());
        }
        return route;
    }

    enum Shape {
        VALUE, VOID, FUTURE, STREAM, PUBLISHER, ADAPTED;

        /** Whether the method returns before the answer is there, so that the {@code Async} suffix is dropped. */
        boolean returnsAtOnce() {
            return this == FUTURE || this == PUBLISHER || this == ADAPTED;
        }
    }

    record Route(String publicName, Shape shape, Type valueType, @Nullable CallAdapter adapter) {

        static Route of(String group, Method method, List<CallAdapter> adapters) {
            Route shaped = shaped(method, adapters);
            ServiceMethod annotation = method.getAnnotation(ServiceMethod.class);
            String name = method.getName();
            if (annotation != null && !annotation.name().isEmpty()) {
                name = annotation.name();
            }
            else if (name.endsWith(ASYNC) && name.length() > ASYNC.length()) {
                if (!shaped.shape().returnsAtOnce()) {
                    throw unmappable(method, "is named like an asynchronous method but returns "
                            + method.getGenericReturnType().getTypeName() + ": return CompletableFuture<"
                            + boxed(method.getGenericReturnType()) + "> to call " + group + "."
                            + name.substring(0, name.length() - ASYNC.length())
                            + " without waiting, or name the remote method with @ServiceMethod(name = \"" + name + "\")");
                }
                name = name.substring(0, name.length() - ASYNC.length());
            }
            return new Route(group + "." + name, shaped.shape(), shaped.valueType(), shaped.adapter());
        }

        private static Route shaped(Method method, List<CallAdapter> adapters) {
            Class<?> raw = method.getReturnType();
            Type generic = method.getGenericReturnType();
            if (mentionsTypeVariable(generic)) {
                throw unmappable(method, "returns " + generic.getTypeName()
                        + ", a type variable: a typed client needs the concrete result type to read the answer");
            }
            for (CallAdapter adapter : adapters) {
                if (adapter.supports(raw)) {
                    return new Route("", Shape.ADAPTED, typeArgument(generic), adapter);
                }
            }
            if (raw == void.class || raw == Void.class) {
                return new Route("", Shape.VOID, Object.class, null);
            }
            if (raw == CompletableFuture.class || raw == CompletionStage.class) {
                return new Route("", Shape.FUTURE, typeArgument(generic), null);
            }
            if (raw == Stream.class) {
                return new Route("", Shape.STREAM, typeArgument(generic), null);
            }
            if (raw == Flow.Publisher.class) {
                return new Route("", Shape.PUBLISHER, typeArgument(generic), null);
            }
            if (Future.class.isAssignableFrom(raw) || raw == Iterator.class) {
                throw unmappable(method, "returns " + raw.getName() + ", which a typed client cannot produce: return "
                        + "a value, CompletableFuture, CompletionStage, Stream or Flow.Publisher");
            }
            return new Route("", Shape.VALUE, generic, null);
        }

        private static boolean mentionsTypeVariable(Type type) {
            if (type instanceof TypeVariable<?>) {
                return true;
            }
            return type instanceof ParameterizedType parameterized
                    && Arrays.stream(parameterized.getActualTypeArguments()).anyMatch(Route::mentionsTypeVariable);
        }

        private static Type typeArgument(Type generic) {
            return generic instanceof ParameterizedType parameterized ? parameterized.getActualTypeArguments()[0]
                    : Object.class;
        }

        private static String boxed(Type type) {
            if (type instanceof Class<?> raw && raw.isPrimitive()) {
                return raw == int.class ? "Integer" : raw == char.class ? "Character"
                        : Character.toUpperCase(raw.getName().charAt(0)) + raw.getName().substring(1);
            }
            return type instanceof Class<?> raw ? raw.getSimpleName() : type.getTypeName();
        }

        private static IllegalArgumentException unmappable(Method method, String problem) {
            String parameters = Arrays.stream(method.getParameterTypes()).map(Class::getSimpleName)
                    .collect(Collectors.joining(", "));
            return new IllegalArgumentException("Typed VoidRail client method " + method.getDeclaringClass().getName()
                    + "." + method.getName() + "(" + parameters + ") " + problem);
        }
    }
}
