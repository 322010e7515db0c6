package io.voidrail.service;

import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;

import org.jspecify.annotations.Nullable;

import io.voidrail.codec.JsonCodec;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.type.TypeBindings;
import tools.jackson.databind.type.TypeFactory;

/**
 * Turns the JSON {@code args} and {@code kwargs} of a call into the Java arguments of one method: by position, then by
 * parameter name (when the names are known), each value converted to its parameter's type, {@code Optional}
 * parameters empty when absent. Every refusal is an {@link ArgumentBindingException} naming the parameter at fault.
 * Immutable; {@link #bind} may run on many threads at once.
 */
final class ArgumentBinder {

    private static final int MAX_VALUE_TEXT = 80;

    private final String publicName;
    private final Method method;
    private final List<Param> parameters;
    private final boolean parameterNamesPresent;

    private ArgumentBinder(String publicName, Method method, List<Param> parameters, boolean parameterNamesPresent) {
        this.publicName = publicName;
        this.method = method;
        this.parameters = parameters;
        this.parameterNamesPresent = parameterNamesPresent;
    }

    /**
     * The binder of {@code method}'s parameters.
     *
     * @param publicName  the name calls use, for messages
     * @param named       the parameters whose names count (those of the method declaring the contract, when present)
     * @param bindings    the type variables of {@code method}'s declaring class as the scanned class binds them
     */
    static ArgumentBinder of(String publicName, Method method, Parameter[] named, TypeBindings bindings,
            TypeFactory types) {
        boolean namesPresent = allNamesPresent(named);
        Type[] genericTypes = method.getGenericParameterTypes();
        List<Param> parameters = new ArrayList<>(genericTypes.length);
        for (int i = 0; i < genericTypes.length; i++) {
            JavaType type = types.resolveMemberType(genericTypes[i], bindings);
            parameters.add(Param.of(named[i].getName(), type, TypeNames.render(genericTypes[i], bindings)));
        }
        return new ArgumentBinder(publicName, method, List.copyOf(parameters), namesPresent);
    }

    static boolean allNamesPresent(Parameter[] parameters) {
        for (Parameter parameter : parameters) {
            if (!parameter.isNamePresent()) {
                return false;
            }
        }
        return true;
    }

    /** The parameters in declaration order. */
    List<Param> parameters() {
        return parameters;
    }

    /** Whether the parameter names are the source's (compiled with {@code -parameters}), so keywords can bind. */
    boolean parameterNamesPresent() {
        return parameterNamesPresent;
    }

    /**
     * The arguments to invoke the method with.
     *
     * @param args    positional arguments: a JSON array, or {@code null}/JSON null for none
     * @param kwargs  keyword arguments by parameter name: a JSON object, or {@code null}/JSON null for none
     * @throws ArgumentBindingException when the arguments do not fit the parameters
     */
    @Nullable Object[] bind(@Nullable JsonNode args, @Nullable JsonNode kwargs, JsonCodec codec) {
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
    record Param(String name, JavaType type, String typeName, Class<?> scalar,
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
