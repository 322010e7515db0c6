package io.voidrail.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.voidrail.annotation.ServiceMethod;
import io.voidrail.annotation.VoidRailService;
import io.voidrail.client.ClientDealer;
import io.voidrail.client.ServiceInterface;
import io.voidrail.RouterMode;

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

    /** The conventional {@code Async} suffix of methods that return without waiting. */
    @VoidRailService("EchoService")
    public interface AsyncEchoApi {
        CompletableFuture<String> echoAsync(String message);

        CompletionStage<Integer> addAsync(int a, int b);

        @ServiceMethod(name = "echo")
        CompletableFuture<String> sayAsync(String message);
    }

    @VoidRailService("EchoService")
    public interface BlockingAsyncName {
        String echoAsync(String message);
    }

    @VoidRailService("EchoService")
    public interface PlainFuture {
        Future<String> echo(String message);
    }

    @VoidRailService("EchoService")
    public interface GenericResult {
        <T> T echo(String message);
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
    void asyncSuffixCallsTheMethodWithoutIt() throws Exception {
        try (Bus bus = Bus.start(RouterMode.FIFO)) {
            bus.dealer(new EchoService());
            AsyncEchoApi api = bus.client().proxy(AsyncEchoApi.class);
            assertThat(api.echoAsync("later")).succeedsWithin(java.time.Duration.ofSeconds(5)).isEqualTo("later");
            assertThat(api.addAsync(2, 3).toCompletableFuture().get(5, java.util.concurrent.TimeUnit.SECONDS))
                    .isEqualTo(5);
            assertThat(api.sayAsync("named")).succeedsWithin(java.time.Duration.ofSeconds(5)).isEqualTo("named");
            ServiceInterface service = ServiceInterface.of(AsyncEchoApi.class, List.of());
            assertThat(service.methods()).extracting(service::publicName)
                    .containsExactlyInAnyOrder("EchoService.echo", "EchoService.add", "EchoService.echo");
        }
    }

    @Test
    void methodsThatCannotBeMappedFailWhenTheProxyIsMadeNamingTheMethod() {
        try (Bus bus = Bus.start(RouterMode.FIFO)) {
            ClientDealer client = bus.client();
            assertThatIllegalArgumentException().isThrownBy(() -> client.proxy(BlockingAsyncName.class))
                    .withMessageContaining("BlockingAsyncName.echoAsync(String) is named like an asynchronous method "
                            + "but returns java.lang.String: return CompletableFuture<String> to call EchoService.echo")
                    .withMessageContaining("@ServiceMethod(name = \"echoAsync\")");
            assertThatIllegalArgumentException().isThrownBy(() -> client.proxy(PlainFuture.class))
                    .withMessageContaining("PlainFuture.echo(String) returns java.util.concurrent.Future");
            assertThatIllegalArgumentException().isThrownBy(() -> client.proxy(GenericResult.class))
                    .withMessageContaining("GenericResult.echo(String) returns T, a type variable");
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
