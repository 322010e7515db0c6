package io.voidrail.dealer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.voidrail.annotation.ServiceMethod;
import io.voidrail.annotation.VoidRailService;
import io.voidrail.service.MethodHandler;
import io.voidrail.service.ServiceDefinition;

class QuickMethodsTests {

    private static final long LIMIT = 20_000_000L;

    @VoidRailService("Quick")
    static class Service {

        @ServiceMethod
        public String echo(String message) {
            return message;
        }

        @ServiceMethod
        public String other(String message) {
            return message;
        }

        @ServiceMethod
        public Stream<Integer> count(int n) {
            return Stream.of(n);
        }
    }

    private final QuickMethods quick = new QuickMethods(LIMIT);

    private static MethodHandler method(String name) {
        return ServiceDefinition.of(new Service()).methods().stream().filter(m -> m.name().equals(name)).findFirst()
                .orElseThrow();
    }

    @Test
    void unaryMethodsRunInlineStreamsNever() {
        assertThat(quick.runsInline(method("echo"))).isTrue();
        assertThat(quick.runsInline(method("count"))).isFalse();
        assertThat(quick.watched("echo")).isFalse();
    }

    @Test
    void aMethodThatOutlastedTheLimitRunsOnWorkersUntilItsCallsAreQuickInARow() {
        MethodHandler echo = method("echo");
        quick.outlasted("echo");
        assertThat(quick.runsInline(echo)).isFalse();
        assertThat(quick.runsInline(method("other"))).isTrue();
        assertThat(quick.watched("echo")).isTrue();
        for (int i = 1; i < QuickMethods.QUICK_AGAIN; i++) {
            quick.ranOnWorker("echo", LIMIT - 1);
        }
        assertThat(quick.runsInline(echo)).isFalse();
        quick.ranOnWorker("echo", LIMIT); // one slow call starts the count again
        for (int i = 1; i < QuickMethods.QUICK_AGAIN; i++) {
            quick.ranOnWorker("echo", 1_000);
        }
        assertThat(quick.runsInline(echo)).isFalse();
        quick.ranOnWorker("echo", 1_000);
        assertThat(quick.runsInline(echo)).isTrue();
        assertThat(quick.watched("echo")).isFalse();
    }

    @Test
    void outlastingAgainForgetsTheQuickCallsSoFar() {
        quick.outlasted("echo");
        for (int i = 1; i < QuickMethods.QUICK_AGAIN; i++) {
            quick.ranOnWorker("echo", 1_000);
        }
        quick.outlasted("echo");
        quick.ranOnWorker("echo", 1_000);
        assertThat(quick.runsInline(method("echo"))).isFalse();
    }
}
