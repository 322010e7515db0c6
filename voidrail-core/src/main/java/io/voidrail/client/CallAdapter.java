package io.voidrail.client;

import java.lang.reflect.Type;

import org.jspecify.annotations.Nullable;

/**
 * Lets typed clients return more than values, futures, streams and publishers (the Spring module adds
 * Reactor's {@code Mono} and {@code Flux} through it), as Retrofit's call adapters do.
 */
public interface CallAdapter {

    /** Whether this adapter handles methods declaring {@code returnType}. */
    boolean supports(Class<?> returnType);

    /**
     * Runs (or prepares) the call and returns what the interface method returns.
     *
     * @param call      the configured call, not yet started
     * @param valueType the result or item type, e.g. {@code T} of {@code Mono<T>}
     */
    @Nullable Object adapt(CallSpec call, Type valueType);
}
