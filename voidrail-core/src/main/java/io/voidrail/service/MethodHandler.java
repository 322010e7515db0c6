package io.voidrail.service;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.stream.BaseStream;

import org.jspecify.annotations.Nullable;

import io.voidrail.annotation.ServiceMethod;
import io.voidrail.codec.JsonCodec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.type.TypeBindings;
import tools.jackson.databind.type.TypeFactory;

/**
 * One {@code @ServiceMethod} of a service object: its public description, and the way to call it with the JSON
 * {@code args} and {@code kwargs} of a call. Immutable; {@link #invoke} may run on many threads at once.
 */
public final class MethodHandler {

    private static final String IDEMPOTENT = "idempotent";

    private final String group;
    private final String name;
    private final String publicName;
    private final @Nullable String description;
    private final Map<String, String> params;
    private final Map<String, String> metadata;
    private final boolean streaming;
    private final boolean idempotent;
    private final Method method;
    private final Method invocable;
    private final Object target;
    private final ArgumentBinder binder;
    private final @Nullable ReturnValueAdapter declaredAdapter;
    private final List<ReturnValueAdapter> adapters;

    private MethodHandler(String group, String name, @Nullable String description, Map<String, String> params,
            Map<String, String> metadata, boolean streaming, boolean idempotent, Method method, Method invocable,
            Object target, ArgumentBinder binder, @Nullable ReturnValueAdapter declaredAdapter, List<ReturnValueAdapter> adapters) {
        this.group = group;
        this.name = name;
        this.publicName = group + "." + name;
        this.description = description;
        this.params = params;
        this.metadata = metadata;
        this.streaming = streaming;
        this.idempotent = idempotent;
        this.method = method;
        this.invocable = invocable;
        this.target = target;
        this.binder = binder;
        this.declaredAdapter = declaredAdapter;
        this.adapters = adapters;
    }

    /**
     * Builds the handler of one found method.
     *
     * @param annotated  the method carrying the annotation (the implementation itself or a method it overrides)
     * @param method     the implementation on the scanned class
     * @param invocable  what is invoked on {@code target}: {@code method}, or the same method of a proxy
     * @param bindings   the type variables of {@code method}'s declaring class as the scanned class binds them
     */
    static MethodHandler create(String group, ServiceMethod annotation, Method annotated, Method method,
            Method invocable, Object target, TypeBindings bindings, TypeFactory types,
            List<ReturnValueAdapter> adapters) {
        String where = TypeNames.signature(annotated);
        String name = annotation.name().isEmpty() ? method.getName() : annotation.name();
        if (name.isBlank() || !name.strip().equals(name)) {
            throw new ServiceDefinitionException(
                    "Invalid @ServiceMethod name '" + name + "' on " + where + ": it must not be blank or padded");
        }

        // parameter names come from the method that declares the contract, else from the implementation
        Parameter[] named = annotated.getParameters();
        if (!ArgumentBinder.allNamesPresent(named)) {
            named = method.getParameters();
        }
        ArgumentBinder binder = ArgumentBinder.of(group + "." + name, method, named, bindings, types);
        List<ArgumentBinder.Param> parameters = binder.parameters();

        Map<String, String> params = new LinkedHashMap<>();
        Map<String, String> declared = parseParams(annotation.params(), parameters, binder.parameterNamesPresent(),
                where);
        for (ArgumentBinder.Param param : parameters) {
            params.put(param.name(), declared.getOrDefault(param.name(), param.typeName()));
        }
        Map<String, String> metadata = parseMetadata(annotation.metadata(), where);

        Class<?> returnType = method.getReturnType() == void.class ? void.class
                : types.resolveMemberType(method.getGenericReturnType(), bindings).getRawClass();
        ReturnValueAdapter declaredAdapter = null;
        for (ReturnValueAdapter adapter : adapters) {
            if (returnType != void.class && adapter.supports(returnType)) {
                declaredAdapter = adapter;
                break;
            }
        }
        boolean streaming = declaredAdapter != null ? declaredAdapter.isStreaming(returnType)
                : BaseStream.class.isAssignableFrom(returnType) || Flow.Publisher.class.isAssignableFrom(returnType)
                        || (annotation.stream() && (Iterator.class.isAssignableFrom(returnType)
                                || Iterable.class.isAssignableFrom(returnType)));
        if (annotation.stream() && !streaming) {
            throw new ServiceDefinitionException("@ServiceMethod(stream = true) on " + where
                    + " needs a return type that can stream (Iterator, Iterable, Stream, Flow.Publisher), not "
                    + TypeNames.simpleName(returnType));
        }

        String description = annotation.description().isEmpty() ? null : annotation.description();
        return new MethodHandler(group, name, description, Collections.unmodifiableMap(params),
                Collections.unmodifiableMap(metadata), streaming, annotation.idempotent(), method, invocable, target,
                binder, declaredAdapter, adapters);
    }

    /** The name inside the group: {@code @ServiceMethod.name}, else the Java method name. */
    public String name() {
        return name;
    }

    /** The service group this method belongs to. */
    public String group() {
        return group;
    }

    /** The name clients call: {@code group.name}. */
    public String publicName() {
        return publicName;
    }

    public @Nullable String description() {
        return description;
    }

    /**
     * Every parameter name, in declaration order, with its declared description, else its Java type as written
     * ({@code int}, {@code String}, {@code List<Point>}).
     */
    public Map<String, String> params() {
        return params;
    }

    /** The {@code key=value} metadata entries, in declaration order. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** Whether calls are answered item by item. */
    public boolean streaming() {
        return streaming;
    }

    public boolean idempotent() {
        return idempotent;
    }

    /** The Java method of the scanned class (its most specific implementation). */
    public Method method() {
        return method;
    }

    /**
     * The register entry of PROTOCOL.md section 3: {@code {"description": text|null, "params": {...}|null,
     * "stream": bool, "metadata": {...}}}, with {@code "idempotent": true} added to the metadata when set.
     */
    public ObjectNode describe(JsonCodec codec) {
        ObjectNode node = codec.object();
        node.put("description", description);
        if (params.isEmpty()) {
            node.putNull("params");
        }
        else {
            ObjectNode p = node.putObject("params");
            params.forEach(p::put);
        }
        node.put("stream", streaming);
        ObjectNode m = node.putObject("metadata");
        metadata.forEach(m::put);
        if (idempotent) {
            m.put(IDEMPOTENT, true);
        }
        return node;
    }

    /**
     * Binds the call's arguments, invokes the method and tells the shape of its result.
     *
     * <p>The shape follows the returned value: a {@code CompletionStage} is {@link Invocation.Async}, a
     * {@code java.util.stream} stream is {@link Invocation.Items}, a {@code Flow.Publisher} is
     * {@link Invocation.Published}, an {@code Iterator} or {@code Iterable} is {@link Invocation.Items} when the
     * method {@linkplain #streaming() streams}, a type known to a {@link ReturnValueAdapter} is what the adapter
     * makes of it, and anything else is an {@link Invocation.Value}, {@code null} included (even from a streaming
     * method, unless an adapter handles its return type).
     *
     * @param args    positional arguments: a JSON array, or {@code null}/JSON null for none
     * @param kwargs  keyword arguments by parameter name: a JSON object, or {@code null}/JSON null for none
     * @throws ArgumentBindingException when the arguments do not fit the parameters (the method did not run)
     * @throws ServiceMethodException   when the method threw, with what it threw as the cause
     */
    public Invocation invoke(@Nullable JsonNode args, @Nullable JsonNode kwargs, JsonCodec codec)
            throws ArgumentBindingException, ServiceMethodException {
        Object[] values = binder.bind(args, kwargs, codec);
        Object returned;
        try {
            returned = invocable.invoke(target, values);
        }
        catch (InvocationTargetException ex) {
            Throwable cause = ex.getCause();
            throw new ServiceMethodException(cause != null ? cause : ex);
        }
        catch (ExceptionInInitializerError ex) {
            Throwable cause = ex.getCause();
            throw new ServiceMethodException(cause != null ? cause : ex);
        }
        catch (IllegalAccessException ex) {
            throw new ServiceMethodException("Cannot invoke " + publicName + ": " + ex.getMessage(), ex);
        }
        catch (IllegalArgumentException ex) {
            throw new ArgumentBindingException(
                    "Arguments do not match the parameters of " + publicName + ": " + ex.getMessage(), null, ex);
        }
        try {
            return classify(returned);
        }
        catch (ServiceMethodException ex) {
            throw ex;
        }
        catch (Throwable ex) {
            throw new ServiceMethodException(ex);
        }
    }

    private Invocation classify(@Nullable Object value) {
        if (declaredAdapter != null) {
            return Objects.requireNonNull(declaredAdapter.adapt(value),
                    () -> declaredAdapter.getClass().getName() + " returned no invocation");
        }
        if (value == null) {
            return new Invocation.Value(null);
        }
        if (value instanceof CompletionStage<?> stage) {
            return new Invocation.Async(stage);
        }
        if (value instanceof BaseStream<?, ?> stream) {
            return Invocation.Items.guarded(stream.iterator(), stream::close);
        }
        if (value instanceof Flow.Publisher<?> publisher) {
            return new Invocation.Published(publisher);
        }
        if (streaming && value instanceof Iterator<?> iterator) {
            return Invocation.Items.guarded(iterator, closerOf(iterator));
        }
        if (streaming && value instanceof Iterable<?> iterable) {
            return Invocation.Items.guarded(iterable.iterator(), closerOf(iterable));
        }
        for (ReturnValueAdapter adapter : adapters) {
            if (adapter.supports(value.getClass())) {
                return Objects.requireNonNull(adapter.adapt(value),
                        () -> adapter.getClass().getName() + " returned no invocation");
            }
        }
        return new Invocation.Value(value);
    }

    private static AutoCloseable closerOf(Object source) {
        return source instanceof AutoCloseable closeable ? closeable : () -> {
        };
    }

    private static Map<String, String> parseParams(String[] entries, List<ArgumentBinder.Param> parameters,
            boolean namesPresent, String where) {
        Map<String, String> declared = new LinkedHashMap<>();
        for (String entry : entries) {
            int colon = entry.indexOf(':');
            String key = colon < 0 ? "" : entry.substring(0, colon).strip();
            String text = colon < 0 ? "" : entry.substring(colon + 1).strip();
            if (key.isEmpty() || text.isEmpty()) {
                throw new ServiceDefinitionException("Malformed params entry '" + entry + "' on " + where
                        + ": expected \"name: description\"");
            }
            if (parameters.stream().noneMatch(p -> p.name().equals(key))) {
                throw new ServiceDefinitionException("The params entry '" + entry + "' on " + where
                        + " names no parameter; the parameters are "
                        + parameters.stream().map(ArgumentBinder.Param::name).toList()
                        + (namesPresent ? "" : " (compiled without -parameters, so their names are not known)"));
            }
            if (declared.put(key, text) != null) {
                throw new ServiceDefinitionException(
                        "Parameter '" + key + "' is described twice in the params of " + where);
            }
        }
        return declared;
    }

    private static Map<String, String> parseMetadata(String[] entries, String where) {
        Map<String, String> metadata = new LinkedHashMap<>();
        for (String entry : entries) {
            int eq = entry.indexOf('=');
            String key = eq < 0 ? "" : entry.substring(0, eq).strip();
            if (key.isEmpty()) {
                throw new ServiceDefinitionException(
                        "Malformed metadata entry '" + entry + "' on " + where + ": expected \"key=value\"");
            }
            if (key.equals(IDEMPOTENT)) {
                throw new ServiceDefinitionException("The metadata key '" + IDEMPOTENT + "' on " + where
                        + " is reserved: use @ServiceMethod(idempotent = true)");
            }
            if (metadata.put(key, entry.substring(eq + 1).strip()) != null) {
                throw new ServiceDefinitionException("Metadata key '" + key + "' appears twice on " + where);
            }
        }
        return metadata;
    }

    @Override
    public String toString() {
        return publicName + " -> " + TypeNames.signature(method);
    }
}
