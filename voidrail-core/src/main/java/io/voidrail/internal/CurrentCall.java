package io.voidrail.internal;

import org.jspecify.annotations.Nullable;

import io.voidrail.service.CallContext;

/** Binds a {@link CallContext} to the worker thread running its method. Not API. */
public final class CurrentCall {

    private static final ThreadLocal<@Nullable CallContext> CURRENT = new ThreadLocal<>();

    private CurrentCall() {
    }

    public static @Nullable CallContext get() {
        return CURRENT.get();
    }

    /** Binds {@code context} until the returned scope closes; scopes nest. */
    public static Scope bind(CallContext context) {
        CallContext previous = CURRENT.get();
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
