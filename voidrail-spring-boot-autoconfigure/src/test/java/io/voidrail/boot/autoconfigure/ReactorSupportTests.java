package io.voidrail.boot.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.voidrail.VoidRailException;
import io.voidrail.annotation.ServiceMethod;
import io.voidrail.annotation.VoidRailService;
import io.voidrail.boot.testapp.EchoService;
import io.voidrail.client.CallAdapter;
import io.voidrail.client.VoidRailClient;
import io.voidrail.service.ReturnValueAdapter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/** Reactor on both ends of the bus: service methods returning Mono/Flux, typed clients declaring them. */
class ReactorSupportTests {

    private static final Duration BLOCK = Duration.ofSeconds(10);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(VoidRailRouterAutoConfiguration.class, VoidRailClientAutoConfiguration.class,
                VoidRailDealerAutoConfiguration.class))
        .withPropertyValues("voidrail.router.enabled=true", "voidrail.router.bind-address=tcp://127.0.0.1:0")
        .withBean(ReactiveService.class);

    @Test
    void monoAndFluxTravelBothWays() {
        this.runner.run((context) -> {
            ReactiveClient client = context.getBean(VoidRailClient.class).proxy(ReactiveClient.class);
            assertThat(client.upper("reactor").block(BLOCK)).isEqualTo("REACTOR");
            assertThat(client.range(3, 4).collectList().block(BLOCK)).containsExactly(3, 4, 5, 6);
            assertThatExceptionOfType(VoidRailException.class).isThrownBy(() -> client.failing().block(BLOCK))
                .withMessageContaining("refused");
        });
    }

    @Test
    void callsStartOnSubscriptionAndEachSubscriptionCallsAgain() {
        this.runner.run((context) -> {
            ReactiveService service = context.getBean(ReactiveService.class);
            Mono<String> mono = context.getBean(VoidRailClient.class).proxy(ReactiveClient.class).upper("twice");
            assertThat(service.uppers).isEmpty();
            assertThat(mono.block(BLOCK)).isEqualTo("TWICE");
            assertThat(mono.block(BLOCK)).isEqualTo("TWICE");
            assertThat(service.uppers).containsExactly("twice", "twice");
        });
    }

    @Test
    void demandIsHonouredAndCancellationReachesTheServiceFlux() {
        this.runner.run((context) -> {
            ReactiveService service = context.getBean(ReactiveService.class);
            Flux<Long> ticks = context.getBean(VoidRailClient.class).proxy(ReactiveClient.class).ticks();
            List<Long> received = new CopyOnWriteArrayList<>();
            BaseSubscriber<Long> subscriber = new BaseSubscriber<>() {

                @Override
                protected void hookOnSubscribe(Subscription subscription) {
                    request(2);
                }

                @Override
                protected void hookOnNext(Long value) {
                    received.add(value);
                }

            };
            ticks.subscribe(subscriber);
            // the service keeps ticking, but the subscriber asked for two
            await().during(Duration.ofMillis(300)).atMost(BLOCK).until(() -> received.size() == 2);
            subscriber.request(3);
            await().atMost(BLOCK).until(() -> received.size() == 5);
            assertThat(received).containsExactly(0L, 1L, 2L, 3L, 4L);
            subscriber.cancel();
            await().atMost(BLOCK).untilTrue(service.ticksCancelled);
        });
    }

    @Test
    void withoutReactorNothingReactiveIsRegistered() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(VoidRailRouterAutoConfiguration.class, VoidRailClientAutoConfiguration.class,
                VoidRailDealerAutoConfiguration.class))
            .withClassLoader(new FilteredClassLoader(Flux.class))
            .withPropertyValues("voidrail.router.enabled=true", "voidrail.router.bind-address=tcp://127.0.0.1:0")
            .withBean(EchoService.class)
            .run((context) -> {
                assertThat(context).doesNotHaveBean(ReturnValueAdapter.class).doesNotHaveBean(CallAdapter.class);
                assertThat(context.getBean(VoidRailClient.class).invoke("EchoService.echo", String.class, "plain"))
                    .isEqualTo("plain");
            });
    }

    @VoidRailService("Reactive")
    public static class ReactiveService {

        final List<String> uppers = new CopyOnWriteArrayList<>();

        final AtomicBoolean ticksCancelled = new AtomicBoolean();

        @ServiceMethod
        public Mono<String> upper(String text) {
            return Mono.fromSupplier(() -> {
                this.uppers.add(text);
                return text.toUpperCase();
            });
        }

        @ServiceMethod
        public Flux<Integer> range(int start, int count) {
            return Flux.range(start, count);
        }

        /**
         * Endless, until the caller cancels; a tick every 10 ms while there is demand. (Flux.interval would not do:
         * it ignores backpressure, and the caller's demand reaches the service through stream credits.)
         */
        @ServiceMethod
        public Flux<Long> ticks() {
            return Flux.<Long, Long>generate(() -> 0L, (next, sink) -> {
                sink.next(next);
                return next + 1;
            }).delayElements(Duration.ofMillis(10)).doOnCancel(() -> this.ticksCancelled.set(true));
        }

        @ServiceMethod
        public Mono<String> failing() {
            return Mono.error(new IllegalStateException("refused"));
        }

    }

    @VoidRailService("Reactive")
    public interface ReactiveClient {

        Mono<String> upper(String text);

        Flux<Integer> range(int start, int count);

        Flux<Long> ticks();

        Mono<String> failing();

    }

}
