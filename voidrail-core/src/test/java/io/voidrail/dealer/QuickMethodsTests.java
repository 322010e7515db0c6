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
    }

    @Test
    void aMethodThatOutlastedTheLimitRunsOnWorkersUntilItsCallsAreQuickInARow() {
        MethodHandler echo = method("echo");
        quick.outlasted("echo");
        assertThat(quick.runsInline(echo)).isFalse();
        assertThat(quick.runsInline(method("other"))).isTrue();
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

    @Test
    void aMethodIsTinyOnceMostOfItsCallsWereShorterThanAHandOff() {
        MethodHandler echo = method("echo");
        assertThat(quick.tiny(echo)).isFalse(); // never ran: unknown
        for (int i = 1; i < QuickMethods.TINY_FROM; i++) {
            quick.ranOnWorker("echo", QuickMethods.TINY_NANOS - 1);
        }
        assertThat(quick.tiny(echo)).isFalse();
        quick.ranInline("echo", 1_000);
        assertThat(quick.tiny(echo)).isTrue();
        assertThat(quick.tiny(method("other"))).isFalse();
        quick.ranInline("echo", QuickMethods.TINY_NANOS); // one longer call (preempted, say) from the lowest tiny score
        assertThat(quick.tiny(echo)).isFalse();
        for (int i = 0; i < QuickMethods.TINY_SCORE; i++) {
            quick.ranInline("echo", 1_000);
        }
        quick.ranInline("echo", QuickMethods.TINY_NANOS); // from the top score, one longer call keeps it tiny
        assertThat(quick.tiny(echo)).isTrue();
        for (int i = 0; i < 10; i++) { // one longer call in four: no longer tiny
            quick.ranOnWorker("echo", 1_000);
            quick.ranOnWorker("echo", 1_000);
            quick.ranOnWorker("echo", 1_000);
            quick.ranOnWorker("echo", QuickMethods.TINY_NANOS);
        }
        assertThat(quick.tiny(echo)).isFalse();
    }

    @Test
    void aTinyMethodThatOutlastedTheLimitIsNoLongerTinyAndStreamsNeverAre() {
        for (int i = 0; i < QuickMethods.TINY_SCORE; i++) {
            quick.ranInline("echo", 1_000);
            quick.ranOnWorker("count", 1_000);
        }
        assertThat(quick.tiny(method("echo"))).isTrue();
        assertThat(quick.tiny(method("count"))).isFalse();
        quick.outlasted("echo");
        assertThat(quick.tiny(method("echo"))).isFalse();
    }
}
