package io.voidrail.boot.micrometer;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import brave.Span.Kind;
import brave.Tracing;
import brave.handler.MutableSpan;
import brave.handler.SpanHandler;
import brave.propagation.ThreadLocalCurrentTraceContext;
import brave.propagation.TraceContext;
import io.micrometer.observation.ObservationHandler.FirstMatchingCompositeObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.brave.bridge.BraveCurrentTraceContext;
import io.micrometer.tracing.brave.bridge.BravePropagator;
import io.micrometer.tracing.brave.bridge.BraveTracer;
import io.micrometer.tracing.handler.DefaultTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingReceiverTracingObservationHandler;
import io.micrometer.tracing.handler.PropagatingSenderTracingObservationHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.voidrail.annotation.ServiceMethod;
import io.voidrail.annotation.VoidRailService;
import io.voidrail.boot.autoconfigure.VoidRailClientAutoConfiguration;
import io.voidrail.boot.autoconfigure.VoidRailDealerAutoConfiguration;
import io.voidrail.boot.autoconfigure.VoidRailRouterAutoConfiguration;
import io.voidrail.boot.autoconfigure.actuate.VoidRailObservationAutoConfiguration;
import io.voidrail.client.VoidRailClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** With Micrometer Tracing (Brave here), the client's span and the dealer's span belong to one trace. */
class TracePropagationTests {

    private final List<MutableSpan> spans = new CopyOnWriteArrayList<>();

    private final Tracing tracing = Tracing.newBuilder()
        .currentTraceContext(ThreadLocalCurrentTraceContext.create())
        .addSpanHandler(new SpanHandler() {

            @Override
            public boolean end(TraceContext context, MutableSpan span, Cause cause) {
                TracePropagationTests.this.spans.add(span);
                return true;
            }

        })
        .build();

    private final Tracer tracer = new BraveTracer(this.tracing.tracer(),
            new BraveCurrentTraceContext(this.tracing.currentTraceContext()));

    @AfterEach
    void closeTracing() {
        this.tracing.close();
    }

    @Test
    void oneTraceSpansClientAndDealer() {
        BravePropagator propagator = new BravePropagator(this.tracing);
        ObservationRegistry registry = ObservationRegistry.create();
        registry.observationConfig()
            .observationHandler(new FirstMatchingCompositeObservationHandler(
                    new PropagatingSenderTracingObservationHandler<>(this.tracer, propagator),
                    new PropagatingReceiverTracingObservationHandler<>(this.tracer, propagator),
                    new DefaultTracingObservationHandler(this.tracer)));
        new ApplicationContextRunner()
            .withConfiguration(
                    AutoConfigurations.of(VoidRailRouterAutoConfiguration.class, VoidRailClientAutoConfiguration.class,
                VoidRailDealerAutoConfiguration.class, VoidRailObservationAutoConfiguration.class))
            .withPropertyValues("voidrail.router.enabled=true", "voidrail.router.bind-address=tcp://127.0.0.1:0")
            .withBean(ObservationRegistry.class, () -> registry)
            .withBean(TracedService.class, () -> new TracedService(this.tracer))
            .run((context) -> {
                String seenByService = context.getBean(VoidRailClient.class).invoke("Traced.current", String.class);
                await().atMost(Duration.ofSeconds(10)).until(() -> this.spans.size() == 2);
                MutableSpan client = span(Kind.CLIENT);
                MutableSpan server = span(Kind.SERVER);
                assertThat(client.name()).isEqualTo("Traced.current");
                assertThat(server.traceId()).isEqualTo(client.traceId());
                assertThat(server.parentId()).isEqualTo(client.id());
                // the dealer's span is current while the service method runs
                assertThat(seenByService).isEqualTo(server.traceId() + "/" + server.id());
            });
    }

    private MutableSpan span(Kind kind) {
        return this.spans.stream().filter((span) -> span.kind() == kind).findFirst().orElseThrow();
    }

    @VoidRailService("Traced")
    public static class TracedService {

        private final Tracer tracer;

        TracedService(Tracer tracer) {
            this.tracer = tracer;
        }

        @ServiceMethod
        public String current() {
            Span span = this.tracer.currentSpan();
            return (span != null) ? span.context().traceId() + "/" + span.context().spanId() : "none";
        }

    }

}
