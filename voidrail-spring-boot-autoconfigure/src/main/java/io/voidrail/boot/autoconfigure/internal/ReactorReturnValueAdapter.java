package io.voidrail.boot.autoconfigure.internal;

import org.jspecify.annotations.Nullable;

import io.voidrail.service.Invocation;
import io.voidrail.service.ReturnValueAdapter;
import reactor.adapter.JdkFlowAdapter;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Lets service methods return Reactor types: a {@link Mono} is one result, a {@link Flux} a stream whose items go
 * out as the dealer requests them, so backpressure and cancellation reach the Flux.
 */
public enum ReactorReturnValueAdapter implements ReturnValueAdapter {

    MONO {
        @Override
        public boolean supports(Class<?> returnType) {
            return Mono.class.isAssignableFrom(returnType);
        }

        @Override
        public Invocation adapt(@Nullable Object returned) {
            return (returned != null) ? new Invocation.Async(((Mono<?>) returned).toFuture())
                    : new Invocation.Value(null);
        }
    },

    FLUX {
        @Override
        public boolean supports(Class<?> returnType) {
            return Flux.class.isAssignableFrom(returnType);
        }

        @Override
        public Invocation adapt(@Nullable Object returned) {
            Flux<?> flux = (returned != null) ? (Flux<?>) returned : Flux.empty();
            return new Invocation.Published(JdkFlowAdapter.publisherToFlowPublisher(flux));
        }
    };

    @Override
    public boolean isStreaming(Class<?> returnType) {
        return this == FLUX;
    }

}
