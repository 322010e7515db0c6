package io.voidrail.boot.micrometer;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.voidrail.VoidRailException;
import io.voidrail.boot.autoconfigure.VoidRailClientAutoConfiguration;
import io.voidrail.boot.autoconfigure.VoidRailDealerAutoConfiguration;
import io.voidrail.boot.autoconfigure.VoidRailRouterAutoConfiguration;
import io.voidrail.boot.autoconfigure.actuate.VoidRailMetricsAutoConfiguration;
import io.voidrail.boot.autoconfigure.actuate.VoidRailObservationAutoConfiguration;
import io.voidrail.boot.autoconfigure.internal.ManagedVoidRailClient;
import io.voidrail.boot.testapp.EchoService;
import io.voidrail.client.ClientDealer;
import io.voidrail.client.VoidRailClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/** Meters as Spring Boot's metrics record them: timers from observations, gauges from the router. */
class VoidRailMetricsTests {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class, MetricsAutoConfiguration.class,
                CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
                VoidRailRouterAutoConfiguration.class, VoidRailClientAutoConfiguration.class,
                VoidRailDealerAutoConfiguration.class, VoidRailObservationAutoConfiguration.class,
                VoidRailMetricsAutoConfiguration.class))
        .withPropertyValues("voidrail.router.enabled=true", "voidrail.router.bind-address=tcp://127.0.0.1:0")
        .withBean(EchoService.class);

    @Test
    void callsAndExecutionsAreTimedByMethodAndOutcome() {
        this.runner.run((context) -> {
            VoidRailClient client = context.getBean(VoidRailClient.class);
            client.invoke("EchoService.echo", String.class, "one");
            client.invoke("EchoService.echo", String.class, "two");
            assertThatExceptionOfType(VoidRailException.class)
                .isThrownBy(() -> client.invoke("EchoService.fail", String.class, "boom"));
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(timer(registry, "voidrail.client.calls", "EchoService.echo", "SUCCESS").count())
                    .isEqualTo(2);
                assertThat(timer(registry, "voidrail.client.calls", "EchoService.fail", "EXECUTION_ERROR").count())
                    .isEqualTo(1);
                assertThat(timer(registry, "voidrail.dealer.executions", "EchoService.echo", "SUCCESS").count())
                    .isEqualTo(2);
                assertThat(timer(registry, "voidrail.dealer.executions", "EchoService.fail", "EXECUTION_ERROR")
                    .count()).isEqualTo(1);
            });
        });
    }

    @Test
    void gaugesFollowTheRoutersQueuesDealersAndCallsInFlight() {
        this.runner.run((context) -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            VoidRailClient client = context.getBean(VoidRailClient.class);
            // Micrometer holds gauge state weakly by default: the gauges must still read after a collection
            System.gc();
            assertThat(gauge(registry, "voidrail.router.dealers", "state", "active")).isEqualTo(1);
            assertThat(gauge(registry, "voidrail.router.dealers", "state", "inactive")).isZero();
            // one slot: the first call runs, the next two wait in the method's queue
            List<CompletableFuture<String>> calls = List.of(client.invokeAsync("EchoService.slow", String.class, 400),
                    client.invokeAsync("EchoService.slow", String.class, 400),
                    client.invokeAsync("EchoService.slow", String.class, 400));
            await().atMost(WAIT).untilAsserted(() -> {
                // as a scrape does, read the router's figures first: that also brings in rows for new methods
                assertThat(registry.get("voidrail.router.calls.queued").gauge().value()).isEqualTo(2);
                assertThat(registry.get("voidrail.router.calls.in.flight").gauge().value()).isEqualTo(1);
                assertThat(gauge(registry, "voidrail.router.queue.length", "method", "EchoService.slow")).isEqualTo(2);
                assertThat(registry.get("voidrail.dealer.calls.in.flight").gauge().value()).isEqualTo(1);
            });
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get();
            await().atMost(WAIT).untilAsserted(() -> {
                assertThat(registry.get("voidrail.router.calls.queued").gauge().value()).isZero();
                assertThat(gauge(registry, "voidrail.router.queue.length", "method", "EchoService.slow")).isZero();
                assertThat(registry.get("voidrail.router.requests").functionCounter().count()).isGreaterThanOrEqualTo(3);
            });
        });
    }

    @Test
    void callsThatWaitedInTheRoutersQueueRecordTheirWait() {
        this.runner.run((context) -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            VoidRailClient client = context.getBean(VoidRailClient.class);
            // the router announces call_progress in router_info: calls made once the client has read it are timed
            ClientDealer core = ((ManagedVoidRailClient) client).delegate();
            core.connect();
            await().atMost(WAIT).until(core::routerSupportsCancel);
            // one slot: the first call runs at once, the others wait in the router's queue while it runs
            List<CompletableFuture<String>> calls = List.of(client.invokeAsync("EchoService.slow", String.class, 300),
                    client.invokeAsync("EchoService.slow", String.class, 300),
                    client.invokeAsync("EchoService.slow", String.class, 300));
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get();
            Timer queued = registry.get(QueueTimeCallListener.CLIENT_QUEUED).tag("method", "EchoService.slow").timer();
            assertThat(queued.count()).as("every call the router dispatched").isEqualTo(3);
            // the last call waits for (most of) two runs; it would not only if the client paused 250 ms between sends
            assertThat(queued.max(TimeUnit.MILLISECONDS)).isGreaterThanOrEqualTo(50);
        });
    }

    private static Timer timer(MeterRegistry registry, String name, String method, String outcome) {
        return registry.get(name).tag("method", method).tag("outcome", outcome).timer();
    }

    /** The gauge's value; NaN until it exists (per-method rows appear once the router reports the method). */
    private static double gauge(MeterRegistry registry, String name, String tag, String value) {
        Gauge gauge = registry.find(name).tag(tag, value).gauge();
        return (gauge != null) ? gauge.value() : Double.NaN;
    }

}
