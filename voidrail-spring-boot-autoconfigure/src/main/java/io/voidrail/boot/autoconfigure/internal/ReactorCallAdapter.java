package io.voidrail.boot.autoconfigure.internal;

import java.lang.reflect.Type;

import io.voidrail.client.CallAdapter;
import io.voidrail.client.CallSpec;
import reactor.adapter.JdkFlowAdapter;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Lets typed-client methods declare Reactor types. Both are cold: each subscription makes one call. A
 * {@link Flux} wraps the call's {@code Flow.Publisher}, so demand and cancellation travel to the call.
 */
public enum ReactorCallAdapter implements CallAdapter {

    MONO {
        @Override
        public boolean supports(Class<?> returnType) {
            return returnType == Mono.class;
        }

        @Override
        public Object adapt(CallSpec call, Type valueType) {
            return Mono.fromFuture(() -> call.invokeAsync(valueType));
        }
    },

    FLUX {
        @Override
        public boolean supports(Class<?> returnType) {
            return returnType == Flux.class;
        }

        @Override
        public Object adapt(CallSpec call, Type valueType) {
            return Flux.defer(() -> JdkFlowAdapter.flowPublisherToFlux(call.publisher(valueType)));
        }
    }

}
