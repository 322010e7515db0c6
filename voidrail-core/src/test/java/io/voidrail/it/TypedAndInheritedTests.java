package io.voidrail.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.voidrail.annotation.ServiceMethod;
import io.voidrail.annotation.VoidRailService;
import io.voidrail.client.ClientDealer;
import io.voidrail.router.RouterMode;

/** Typed proxies of annotated interfaces, and methods a service inherits. */
class TypedAndInheritedTests {

    @VoidRailService("EchoService")
    public interface EchoApi {
        String echo(String message);

        CompletableFuture<Integer> add(int a, int b);

        @ServiceMethod(name = "stream")
        Stream<Integer> numbers(int start, int end);

        EchoService.Slept slow(double seconds);

        default String shout(String message) {
            return echo(message).toUpperCase();
        }
    }

    public abstract static class BaseCalculator {
        @ServiceMethod(description = "Multiply")
        public long multiply(long a, long b) {
            return a * b;
        }
    }

    @VoidRailService("Calculator")
    public static class Calculator extends BaseCalculator {
        @ServiceMethod
        public List<Integer> range(int n) {
            return java.util.stream.IntStream.range(0, n).boxed().toList();
        }
    }

    @Test
    void typedProxyCallsByName() {
        try (Bus bus = Bus.start(RouterMode.FIFO)) {
            bus.dealer(new EchoService());
            EchoApi api = bus.client().proxy(EchoApi.class);
            assertThat(api.echo("typed")).isEqualTo("typed");
            assertThat(api.add(2, 3).join()).isEqualTo(5);
            try (Stream<Integer> numbers = api.numbers(1, 4)) {
                assertThat(numbers.toList()).containsExactly(1, 2, 3);
            }
            assertThat(api.slow(0.0)).isEqualTo(new EchoService.Slept(0.0));
            assertThat(api.shout("hey")).isEqualTo("HEY");
            assertThat(api.toString()).contains("EchoApi");
        }
    }

    @Test
    void inheritedMethodsAreServed() {
        try (Bus bus = Bus.start(RouterMode.FIFO)) {
            bus.dealer(new Calculator());
            ClientDealer client = bus.client();
            assertThat(client.discoverServices()).containsKeys("Calculator.multiply", "Calculator.range");
            assertThat(client.invoke("Calculator.multiply", Long.class, 6, 7)).isEqualTo(42L);
            assertThat(client.<List<Integer>>invoke("Calculator.range",
                    new tools.jackson.core.type.TypeReference<List<Integer>>() { }.getType(), 3)).containsExactly(0, 1, 2);
        }
    }
}
