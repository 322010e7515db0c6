package io.voidrail.service;

import org.jspecify.annotations.Nullable;

/**
 * Teaches core about more return types, such as Reactor's {@code Flux} and {@code Mono} (added by the Spring
 * module when Reactor is present; core itself knows only the JDK's types).
 *
 * <p>An adapter is chosen when a {@link ServiceDefinition} is built, by the declared return type of each method;
 * it then gets every value that method returns, {@code null} included. When the declared type matches no adapter
 * (a method declared to return {@code Object}, say), a returned value that core does not know is offered to the
 * adapters that support its runtime class.
 */
public interface ReturnValueAdapter {

    /** Whether this adapter handles values of this (declared or runtime) type. */
    boolean supports(Class<?> returnType);

    /** Whether methods declaring this return type stream, that is answer item by item. */
    boolean isStreaming(Class<?> returnType);

    /** The returned value as one of the shapes the dealer knows; never {@code null}. */
    Invocation adapt(@Nullable Object returned);
}
