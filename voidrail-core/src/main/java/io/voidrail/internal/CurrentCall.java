package io.voidrail.internal;

import org.jspecify.annotations.Nullable;

/**
 * Binds the call a worker thread runs (a {@code io.voidrail.service.CallContext}) to that thread. Not API. Typed by
 * its readers, so that {@code internal} depends on no public package that depends on it (no package cycle).
 */
public final class CurrentCall {

    private static final ThreadLocal<@Nullable Object> CURRENT = new ThreadLocal<>();

    private CurrentCall() {
    }

    /** The bound call, if it is a {@code type}. */
    public static <T> @Nullable T get(Class<T> type) {
        Object current = CURRENT.get();
        return type.isInstance(current) ? type.cast(current) : null;
    }

    /** Binds {@code context} until the returned scope closes; scopes nest. */
    public static Scope bind(Object context) {
        Object previous = CURRENT.get();
        CURRENT.set(context);
        return () -> {
            if (previous == null) {
                CURRENT.remove();
            }
            else {
                CURRENT.set(previous);
            }
        };
    }

    /** Ends a binding. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
