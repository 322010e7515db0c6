package io.voidrail.samples.app;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.core.env.Environment;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.client.RestTestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.DOUBLE;
import static org.assertj.core.api.InstanceOfAssertFactories.LIST;
import static org.assertj.core.api.InstanceOfAssertFactories.MAP;

/** The sample as a user meets it: over HTTP, on a free web port and a free router port. */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "voidrail.router.bind-address=tcp://127.0.0.1:0")
@AutoConfigureRestTestClient
@ExtendWith(OutputCaptureExtension.class)
class SampleApplicationTests {

    private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
    };

    private final RestTestClient rest;

    private final Environment environment;

    @Autowired
    SampleApplicationTests(RestTestClient rest, Environment environment) {
        this.rest = rest;
        this.environment = environment;
    }

    @Test
    void aFailedCallIsAProblemDetail() {
        this.rest.get().uri("/fail?message=boom").exchange().expectStatus().isEqualTo(500)
            .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
            .expectBody(JSON)
            .value((problem) -> assertThat(problem).containsEntry("code", "EXECUTION_ERROR")
                .containsEntry("status", 500)
                .containsEntry("instance", "/fail")
                .containsEntry("detail", "The service failed while handling the request."));
    }

    @Test
    void springMvcWaitsForSlowAnswersLongerThanTheirVoidRailTimeout() {
        Duration asyncTimeout = this.environment.getProperty("spring.mvc.async.request-timeout", Duration.class);
        assertThat(asyncTimeout).isGreaterThan(EchoController.SLOW_TIMEOUT);
    }

    @Test
    void startupShowsCallsInTheLog(CapturedOutput output) {
        assertThat(output).contains("EchoService.echo(\"hello VoidRail\") -> hello VoidRail",
                "EchoService.add(5, 3) -> 8", "EchoService.stream(0, 5) -> [0, 1, 2, 3, 4]",
                "EchoService.slow(0.2) -> Slept[seconds=0.2", "EchoClient.echoAsync(\"no waiting\") -> no waiting");
    }

    @Test
    void echoGoesThroughTheBus() {
        this.rest.get().uri("/echo?message=over the bus").exchange().expectStatus().isOk().expectBody(JSON)
            .value((body) -> assertThat(body).containsEntry("echo", "over the bus"));
    }

    @Test
    void addUsesTheTypedClient() {
        this.rest.get().uri("/add?a=2&b=40").exchange().expectStatus().isOk().expectBody(JSON)
            .value((body) -> assertThat(body).containsEntry("sum", 42));
    }

    @Test
    void streamArrivesInOrder() {
        this.rest.get().uri("/stream?start=3&end=7").exchange().expectStatus().isOk()
            .expectBody(new ParameterizedTypeReference<List<Integer>>() {
            })
            .value((numbers) -> assertThat(numbers).containsExactly(3, 4, 5, 6));
    }

    @Test
    void aSlowMethodRunsOnAWorkerThreadOnceOneOfItsCallsWasSlow() {
        for (int i = 0; i < 2; i++) {
            // the first call may run on the dealer's I/O thread (quick calls do), which hands its loop on after 20 ms
            String expected = i == 0 ? "voidrail-" : "voidrail-worker";
            this.rest.get().uri("/slow?seconds=0.1").exchange().expectStatus().isOk().expectBody(JSON)
                .value((body) -> {
                    assertThat(body).containsEntry("seconds", 0.1);
                    assertThat((String) body.get("worker")).startsWith(expected);
                });
        }
    }

    @Test
    void actuatorShowsTheRouterItsDealerAndTheClient() {
        this.rest.get().uri("/echo?message=counted").exchange().expectStatus().isOk();
        this.rest.get().uri("/actuator/voidrail").exchange().expectStatus().isOk().expectBody(JSON).value((body) -> {
            assertThat(body.get("router")).asInstanceOf(MAP)
                .containsEntry("local", true)
                .containsEntry("running", true)
                .containsEntry("mode", "fifo");
            assertThat(body.get("queues")).asInstanceOf(MAP).containsKey("EchoService.echo");
            assertThat(body.get("services")).asInstanceOf(LIST).singleElement().asInstanceOf(MAP)
                .containsEntry("group", "EchoService")
                .containsEntry("state", "REGISTERED");
            assertThat(body.get("client")).asInstanceOf(MAP).containsEntry("connected", true);
        });
        this.rest.get().uri("/actuator/voidrail/router").exchange().expectStatus().isOk().expectBody(JSON)
            .value((router) -> assertThat(router).containsEntry("running", true));
        this.rest.get().uri("/actuator/voidrail/nothing").exchange().expectStatus().isNotFound();
    }

    @Test
    void callsAreTimedByMethodAndOutcome() {
        this.rest.get().uri("/add?a=1&b=1").exchange().expectStatus().isOk();
        this.rest.get().uri("/actuator/metrics/voidrail.client.calls?tag=method:EchoService.add&tag=outcome:SUCCESS")
            .exchange().expectStatus().isOk().expectBody(JSON)
            .value((timer) -> assertThat(timer.get("measurements")).asInstanceOf(LIST)
                .first().asInstanceOf(MAP)
                .containsEntry("statistic", "COUNT")
                .extractingByKey("value").asInstanceOf(DOUBLE)
                .isGreaterThanOrEqualTo(1.0));
        this.rest.get().uri("/actuator/metrics/voidrail.router.dealers?tag=state:active").exchange().expectStatus()
            .isOk().expectBody(JSON)
            .value((gauge) -> assertThat(gauge.get("measurements")).asInstanceOf(LIST).first().asInstanceOf(MAP)
                .containsEntry("value", 1.0));
    }

    @Test
    void healthIsUpWithVoidRailDetails() {
        this.rest.get().uri("/actuator/health").exchange().expectStatus().isOk().expectBody(JSON).value((health) -> {
            assertThat(health).containsEntry("status", "UP");
            assertThat(health.get("components")).asInstanceOf(MAP).extractingByKey("voidrail").asInstanceOf(MAP)
                .containsEntry("status", "UP")
                .extractingByKey("details").asInstanceOf(MAP)
                .containsEntry("dealers", Map.of("EchoService", "REGISTERED"));
        });
    }

}
