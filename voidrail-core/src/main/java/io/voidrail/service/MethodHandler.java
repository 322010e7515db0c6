package io.voidrail.service;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.stream.BaseStream;

import org.jspecify.annotations.Nullable;

import io.voidrail.annotation.ServiceMethod;
import io.voidrail.codec.JsonCodec;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JavaType;
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

    private static final int MAX_VALUE_TEXT = 80;

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
    private final List<Param> parameters;
    private final boolean parameterNamesPresent;
    private final @Nullable ReturnValueAdapter declaredAdapter;
    private final List<ReturnValueAdapter> adapters;

    private MethodHandler(String group, String name, @Nullable String description, Map<String, String> params,
            Map<String, String> metadata, boolean streaming, boolean idempotent, Method method, Method invocable,
            Object target, List<Param> parameters, boolean parameterNamesPresent,
            @Nullable ReturnValueAdapter declaredAdapter, List<ReturnValueAdapter> adapters) {
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
        this.parameters = parameters;
        this.parameterNamesPresent = parameterNamesPresent;
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
        if (!allNamesPresent(named)) {
            named = method.getParameters();
        }
        boolean namesPresent = allNamesPresent(named);
        Type[] genericTypes = method.getGenericParameterTypes();
        List<Param> parameters = new ArrayList<>(genericTypes.length);
        for (int i = 0; i < genericTypes.length; i++) {
            JavaType type = types.resolveMemberType(genericTypes[i], bindings);
            parameters.add(Param.of(named[i].getName(), type, TypeNames.render(genericTypes[i], bindings)));
        }

        Map<String, String> params = new LinkedHashMap<>();
        Map<String, String> declared = parseParams(annotation.params(), parameters, namesPresent, where);
        for (Param param : parameters) {
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
                List.copyOf(parameters), namesPresent, declaredAdapter, adapters);
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
        Object[] values = bind(args, kwargs, codec);
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

    private Object[] bind(@Nullable JsonNode args, @Nullable JsonNode kwargs, JsonCodec codec) {
        int count = parameters.size();
        Object[] values = new Object[count];
        boolean[] bound = new boolean[count];

        if (args != null && !args.isNull() && !args.isMissingNode()) {
            if (!args.isArray()) {
                throw new ArgumentBindingException("Positional arguments of " + publicName
                        + " must be a JSON array, got " + valueText(args), null);
            }
            if (args.size() > count) {
                throw new ArgumentBindingException("Too many arguments for " + publicName + ": expected " + count
                        + ", got " + args.size(), null);
            }
            for (int i = 0; i < args.size(); i++) {
                values[i] = convert(parameters.get(i), args.get(i), codec);
                bound[i] = true;
            }
        }

        if (kwargs != null && !kwargs.isNull() && !kwargs.isMissingNode()) {
            if (!kwargs.isObject()) {
                throw new ArgumentBindingException("Keyword arguments of " + publicName
                        + " must be a JSON object, got " + valueText(kwargs), null);
            }
            for (Map.Entry<String, JsonNode> entry : kwargs.properties()) {
                String key = entry.getKey();
                int index = indexOf(key);
                if (index < 0) {
                    throw new ArgumentBindingException(parameterNamesPresent
                            ? "Unknown keyword argument '" + key + "' for " + publicName
                            : "Cannot bind keyword argument '" + key + "' for " + publicName + ": the parameter names"
                                    + " of " + TypeNames.signature(method) + " are not known (compile with -parameters)",
                            key);
                }
                if (bound[index]) {
                    throw new ArgumentBindingException(
                            "Multiple values for parameter '" + key + "' of " + publicName, key);
                }
                values[index] = convert(parameters.get(index), entry.getValue(), codec);
                bound[index] = true;
            }
        }

        for (int i = 0; i < count; i++) {
            if (!bound[i]) {
                Param param = parameters.get(i);
                if (param.emptyValue() == null) {
                    throw new ArgumentBindingException(
                            "Missing argument for parameter '" + param.name() + "' of " + publicName, param.name());
                }
                values[i] = param.emptyValue();
            }
        }
        return values;
    }

    private int indexOf(String key) {
        if (parameterNamesPresent) {
            for (int i = 0; i < parameters.size(); i++) {
                if (parameters.get(i).name().equals(key)) {
                    return i;
                }
            }
        }
        return -1;
    }

    private @Nullable Object convert(Param param, JsonNode node, JsonCodec codec) {
        Class<?> raw = param.type().getRawClass();
        if (node.isNull() || node.isMissingNode()) {
            if (raw.isPrimitive()) {
                throw invalid(param, node, null);
            }
            if (param.emptyValue() != null) {
                return param.emptyValue();
            }
            return raw.isInstance(node) ? node : null;
        }
        if (!accepts(param.scalar(), node)) {
            throw invalid(param, node, null);
        }
        try {
            return codec.fromTree(node, param.type());
        }
        catch (RuntimeException ex) {
            throw invalid(param, node, ex);
        }
    }

    private ArgumentBindingException invalid(Param param, JsonNode node, @Nullable RuntimeException cause) {
        StringBuilder message = new StringBuilder("Invalid value for parameter '").append(param.name())
                .append("' of ").append(publicName).append(": expected ").append(param.typeName())
                .append(" but got ").append(valueText(node));
        if (cause != null) {
            String detail = cause instanceof JacksonException jackson ? jackson.getOriginalMessage()
                    : cause.getMessage();
            if (detail != null && !detail.isBlank()) {
                int eol = detail.indexOf('\n');
                message.append(" (").append((eol < 0 ? detail : detail.substring(0, eol)).strip()).append(')');
            }
        }
        return new ArgumentBindingException(message.toString(), param.name(), cause);
    }

    private static String valueText(JsonNode node) {
        String text = node.toString();
        return text.length() <= MAX_VALUE_TEXT ? text : text.substring(0, MAX_VALUE_TEXT) + "...";
    }

    /**
     * Whether a JSON value has the right JSON type for a scalar parameter. Jackson alone would turn {@code "5"}
     * into 5 and {@code 5} into {@code "5"}; a call with such arguments is a bad request.
     */
    private static boolean accepts(Class<?> type, JsonNode node) {
        if (type == int.class || type == Integer.class || type == OptionalInt.class) {
            return node.isIntegralNumber() && node.canConvertToInt();
        }
        if (type == long.class || type == Long.class || type == OptionalLong.class) {
            return node.isIntegralNumber() && node.canConvertToLong();
        }
        if (type == short.class || type == Short.class) {
            return node.isIntegralNumber() && node.canConvertToShort();
        }
        if (type == byte.class || type == Byte.class) {
            return node.isIntegralNumber() && node.canConvertToInt()
                    && node.intValue() >= Byte.MIN_VALUE && node.intValue() <= Byte.MAX_VALUE;
        }
        if (type == BigInteger.class) {
            return node.isIntegralNumber();
        }
        if (type == double.class || type == Double.class || type == float.class || type == Float.class
                || type == OptionalDouble.class || type == BigDecimal.class || type == Number.class) {
            return node.isNumber();
        }
        if (type == boolean.class || type == Boolean.class) {
            return node.isBoolean();
        }
        if (type == char.class || type == Character.class) {
            return node.isString() && node.asString().length() == 1;
        }
        if (type == String.class || type == CharSequence.class || type.isEnum()) {
            return node.isString();
        }
        return true;
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

    private static boolean allNamesPresent(Parameter[] parameters) {
        for (Parameter parameter : parameters) {
            if (!parameter.isNamePresent()) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, String> parseParams(String[] entries, List<Param> parameters, boolean namesPresent,
            String where) {
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
                        + parameters.stream().map(Param::name).toList()
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

    /**
     * A parameter as bound from JSON.
     *
     * @param name        its name ({@code argN} without {@code -parameters})
     * @param type        its type, with the type variables of the service class resolved
     * @param typeName    its type as written in the source, for descriptions and messages
     * @param scalar      the class whose JSON type is checked strictly when it is a scalar (the raw type, or the
     *                    content type of an {@code Optional})
     * @param emptyValue  what an absent argument means ({@code Optional.empty()}), or {@code null} when it is
     *                    required
     */
    private record Param(String name, JavaType type, String typeName, Class<?> scalar,
            @Nullable Object emptyValue) {

        static Param of(String name, JavaType type, String typeName) {
            Class<?> raw = type.getRawClass();
            Object empty = raw == Optional.class ? Optional.empty()
                    : raw == OptionalInt.class ? OptionalInt.empty()
                    : raw == OptionalLong.class ? OptionalLong.empty()
                    : raw == OptionalDouble.class ? OptionalDouble.empty() : null;
            Class<?> scalar = raw == Optional.class && type.getReferencedType() != null
                    ? type.getReferencedType().getRawClass() : raw;
            return new Param(name, type, typeName, scalar, empty);
        }
    }
}
