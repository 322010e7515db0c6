package io.voidrail.service;

import java.lang.reflect.GenericArrayType;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.lang.reflect.WildcardType;
import java.util.StringJoiner;

import tools.jackson.databind.JavaType;
import tools.jackson.databind.type.TypeBindings;

/** Renders Java types the way a person writes them: {@code int}, {@code String}, {@code List<Point>}. */
final class TypeNames {

    private TypeNames() {
    }

    /** A type as written, with the type variables of the declaring class replaced by what the service binds. */
    static String render(Type type, TypeBindings bindings) {
        if (type instanceof Class<?> c) {
            return simpleName(c);
        }
        if (type instanceof ParameterizedType p) {
            StringJoiner args = new StringJoiner(", ", "<", ">");
            for (Type arg : p.getActualTypeArguments()) {
                args.add(render(arg, bindings));
            }
            return render(p.getRawType(), bindings) + args;
        }
        if (type instanceof GenericArrayType a) {
            return render(a.getGenericComponentType(), bindings) + "[]";
        }
        if (type instanceof WildcardType w) {
            if (w.getLowerBounds().length > 0) {
                return "? super " + render(w.getLowerBounds()[0], bindings);
            }
            Type upper = w.getUpperBounds().length > 0 ? w.getUpperBounds()[0] : Object.class;
            return upper == Object.class ? "?" : "? extends " + render(upper, bindings);
        }
        if (type instanceof TypeVariable<?> v && v.getGenericDeclaration() instanceof Class<?>) {
            JavaType bound = bindings.findBoundType(v.getName());
            if (bound != null) {
                return render(bound);
            }
        }
        return type.getTypeName();
    }

    /** A resolved Jackson type as written. */
    static String render(JavaType type) {
        if (type.isArrayType()) {
            return render(type.getContentType()) + "[]";
        }
        String name = simpleName(type.getRawClass());
        if (type.getBindings().isEmpty()) {
            return name;
        }
        StringJoiner args = new StringJoiner(", ", "<", ">");
        for (JavaType arg : type.getBindings().getTypeParameters()) {
            args.add(render(arg));
        }
        return name + args;
    }

    /** {@code Class.method(int, String)}: names a Java method in messages. */
    static String signature(Method method) {
        StringJoiner params = new StringJoiner(", ", "(", ")");
        for (Class<?> type : method.getParameterTypes()) {
            params.add(simpleName(type));
        }
        return simpleName(method.getDeclaringClass()) + "." + method.getName() + params;
    }

    static String simpleName(Class<?> type) {
        if (type.isArray()) {
            return simpleName(type.getComponentType()) + "[]";
        }
        String simple = type.getSimpleName();
        return simple.isEmpty() ? type.getName() : simple;
    }
}
