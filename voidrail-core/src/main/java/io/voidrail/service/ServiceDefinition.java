package io.voidrail.service;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import io.voidrail.annotation.ServiceMethod;
import io.voidrail.annotation.VoidRailService;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.type.TypeBindings;
import tools.jackson.databind.type.TypeFactory;

/**
 * The service methods of one object: every {@link ServiceMethod} method of its class, superclasses and
 * interfaces, under one group name. Built once when a dealer is configured; bad definitions fail here with
 * {@link ServiceDefinitionException}, not at the first call.
 *
 * <p>A method counts when it, or a method it overrides or implements, is annotated; the annotation of the most
 * specific method wins (the class before its superclasses, classes before interfaces).
 */
public final class ServiceDefinition {

    private static final TypeFactory TYPES = TypeFactory.createDefaultInstance();

    private final Object target;
    private final Class<?> userClass;
    private final String group;
    private final List<MethodHandler> methods;
    private final Map<String, MethodHandler> byName;

    private ServiceDefinition(Object target, Class<?> userClass, String group, List<MethodHandler> methods) {
        this.target = target;
        this.userClass = userClass;
        this.group = group;
        this.methods = methods;
        Map<String, MethodHandler> index = new LinkedHashMap<>();
        methods.forEach(handler -> index.put(handler.name(), handler));
        this.byName = index;
    }

    /** Scans {@code target}'s class. */
    public static ServiceDefinition of(Object target) {
        return of(target, target.getClass(), List.of());
    }

    /** Scans {@code userClass} (e.g. the class behind a Spring/CGLIB proxy) but invokes on {@code target}. */
    public static ServiceDefinition of(Object target, Class<?> userClass) {
        return of(target, userClass, List.of());
    }

    /**
     * Scans {@code userClass} and invokes on {@code target}, with adapters for more return types.
     *
     * <p>{@code target} is normally an instance of {@code userClass}; when it is not (a JDK proxy of the
     * interfaces of {@code userClass}), each method is invoked through the same public method of the target's
     * class.
     *
     * @throws ServiceDefinitionException when the class cannot be served as written
     */
    public static ServiceDefinition of(Object target, Class<?> userClass, List<ReturnValueAdapter> adapters) {
        String group = groupOf(userClass);
        List<ReturnValueAdapter> adapterList = List.copyOf(adapters);
        JavaType userType = TYPES.constructType(userClass);

        Map<Method, Found> found = new LinkedHashMap<>();
        for (Class<?> type : hierarchy(userClass)) {
            Method[] declared = type.getDeclaredMethods();
            Arrays.sort(declared, Comparator.comparing(Method::toGenericString));
            for (Method candidate : declared) {
                ServiceMethod annotation = candidate.getAnnotation(ServiceMethod.class);
                if (annotation == null || candidate.isBridge() || candidate.isSynthetic()) {
                    continue;
                }
                if (Modifier.isStatic(candidate.getModifiers())) {
                    throw new ServiceDefinitionException("@ServiceMethod " + TypeNames.signature(candidate)
                            + " is static; service methods are instance methods");
                }
                if (!Modifier.isPublic(candidate.getModifiers())) {
                    throw new ServiceDefinitionException(
                            "@ServiceMethod " + TypeNames.signature(candidate) + " must be public");
                }
                // most specific first: an annotation further up the hierarchy does not replace one found below
                found.putIfAbsent(implementation(userClass, candidate), new Found(annotation, candidate));
            }
        }
        if (found.isEmpty()) {
            throw new ServiceDefinitionException("No @ServiceMethod methods found on " + userClass.getName());
        }

        Map<String, MethodHandler> byName = new LinkedHashMap<>();
        for (Map.Entry<Method, Found> entry : found.entrySet()) {
            Method method = entry.getKey();
            Method invocable = invocable(target, method);
            JavaType declaring = userType.findSuperType(method.getDeclaringClass());
            TypeBindings bindings = declaring != null ? declaring.getBindings() : TypeBindings.emptyBindings();
            MethodHandler handler = MethodHandler.create(group, entry.getValue().annotation(),
                    entry.getValue().annotated(), method, invocable, target, bindings, TYPES, adapterList);
            MethodHandler previous = byName.putIfAbsent(handler.name(), handler);
            if (previous != null) {
                throw new ServiceDefinitionException("Duplicate service method name '" + handler.name() + "' in "
                        + group + ": " + TypeNames.signature(previous.method()) + " and "
                        + TypeNames.signature(handler.method())
                        + "; give one of them another @ServiceMethod(name = ...)");
            }
        }
        List<MethodHandler> methods = byName.values().stream()
                .sorted(Comparator.comparing(MethodHandler::name))
                .toList();
        return new ServiceDefinition(target, userClass, group, methods);
    }

    /** The service group: the {@link VoidRailService} value, else the simple name of the scanned class. */
    public String group() {
        return group;
    }

    /** The methods, sorted by name. */
    public List<MethodHandler> methods() {
        return methods;
    }

    /** The method with this short name (without the group), or {@code null}. */
    public @Nullable MethodHandler find(String name) {
        return byName.get(name);
    }

    /** The object methods are invoked on. */
    public Object target() {
        return target;
    }

    /** The scanned class. */
    public Class<?> userClass() {
        return userClass;
    }

    @Override
    public String toString() {
        return "ServiceDefinition[" + group + ": " + byName.keySet() + "]";
    }

    /**
     * The {@code VoidRailService} value of the class or a superclass, else the only value found on its interfaces
     * (a service implementing an annotated client interface serves that interface's group), else the simple name.
     */
    private static String groupOf(Class<?> userClass) {
        VoidRailService annotation = userClass.getAnnotation(VoidRailService.class);
        String group = annotation != null ? annotation.value() : "";
        if (group.isEmpty()) {
            Set<String> fromInterfaces = new LinkedHashSet<>();
            for (Class<?> type : hierarchy(userClass)) {
                VoidRailService onInterface = type.isInterface() ? type.getAnnotation(VoidRailService.class) : null;
                if (onInterface != null && !onInterface.value().isEmpty()) {
                    fromInterfaces.add(onInterface.value());
                }
            }
            if (fromInterfaces.size() == 1) {
                group = fromInterfaces.iterator().next();
            }
        }
        if (group.isEmpty()) {
            group = userClass.getSimpleName();
        }
        if (group.isBlank()) {
            throw new ServiceDefinitionException("No service group for " + userClass.getName()
                    + ": annotate it with @VoidRailService(\"GroupName\")");
        }
        return group;
    }

    /** The class, its superclasses (without {@code Object}), then all their interfaces, most specific first. */
    private static Set<Class<?>> hierarchy(Class<?> userClass) {
        Set<Class<?>> types = new LinkedHashSet<>();
        for (Class<?> c = userClass; c != null && c != Object.class; c = c.getSuperclass()) {
            types.add(c);
        }
        Deque<Class<?>> pending = new ArrayDeque<>(types);
        Set<Class<?>> interfaces = new LinkedHashSet<>();
        while (!pending.isEmpty()) {
            for (Class<?> extended : pending.poll().getInterfaces()) {
                if (interfaces.add(extended)) {
                    pending.add(extended);
                }
            }
        }
        types.addAll(interfaces);
        return types;
    }

    /** The most specific implementation on {@code userClass} of an annotated method found in its hierarchy. */
    private static Method implementation(Class<?> userClass, Method annotated) {
        Method method;
        try {
            method = userClass.getMethod(annotated.getName(), annotated.getParameterTypes());
        }
        catch (NoSuchMethodException ex) {
            return annotated;
        }
        return method.isBridge() ? bridged(method) : method;
    }

    /** The method a compiler-generated bridge calls (a generic method implemented with concrete types). */
    private static Method bridged(Method bridge) {
        for (Method candidate : bridge.getDeclaringClass().getDeclaredMethods()) {
            if (!candidate.isBridge() && !candidate.isSynthetic() && candidate.getName().equals(bridge.getName())
                    && candidate.getParameterCount() == bridge.getParameterCount()
                    && bridge.getReturnType().isAssignableFrom(candidate.getReturnType())
                    && assignable(bridge.getParameterTypes(), candidate.getParameterTypes())) {
                return candidate;
            }
        }
        return bridge;
    }

    private static boolean assignable(Class<?>[] to, Class<?>[] from) {
        for (int i = 0; i < to.length; i++) {
            if (!to[i].isAssignableFrom(from[i])) {
                return false;
            }
        }
        return true;
    }

    /** What to invoke on the target, made accessible when the class is not public. */
    private static Method invocable(Object target, Method method) {
        Method invocable = method;
        if (!method.getDeclaringClass().isInstance(target)) {
            try {
                invocable = target.getClass().getMethod(method.getName(), method.getParameterTypes());
            }
            catch (NoSuchMethodException ex) {
                throw new ServiceDefinitionException("Cannot invoke " + TypeNames.signature(method) + " on a "
                        + target.getClass().getName() + ": the target has no such public method", ex);
            }
        }
        if (!invocable.canAccess(target)) {
            boolean accessible;
            try {
                accessible = invocable.trySetAccessible();
            }
            catch (SecurityException ex) {
                accessible = false;
            }
            if (!accessible) {
                throw new ServiceDefinitionException("Cannot invoke " + TypeNames.signature(invocable)
                        + ": it is not accessible to VoidRail; make its class public or open its package");
            }
        }
        return invocable;
    }

    private record Found(ServiceMethod annotation, Method annotated) {
    }
}
