package io.voidrail.samples.split;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.test.web.servlet.client.RestTestClient;

import io.voidrail.samples.split.front.FrontApplication;
import io.voidrail.samples.split.worker.WorkerApplication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.LIST;
import static org.assertj.core.api.InstanceOfAssertFactories.MAP;
import static org.awaitility.Awaitility.await;

/** Both applications of the split deployment, started as their main methods do, talking over a real router. */
class SplitDeploymentTests {

    private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
    };

    @Test
    void theFrontHandsItsWorkToTheWorker() {
        try (ConfigurableApplicationContext front = new SpringApplicationBuilder(FrontApplication.class)
            .properties("spring.config.name=front")
            .run("--server.port=0", "--voidrail.router.bind-address=tcp://127.0.0.1:0")) {
            String routerPort = front.getEnvironment().getRequiredProperty("local.voidrail.router.port");
            RestTestClient rest = RestTestClient.bindToServer()
                .baseUrl("http://localhost:" + front.getEnvironment().getRequiredProperty("local.server.port"))
                .build();
            assertThat(routerDealers(rest)).isEmpty();

            try (ConfigurableApplicationContext worker = new SpringApplicationBuilder(WorkerApplication.class)
                .properties("spring.config.name=worker")
                .run("--voidrail.router-address=tcp://127.0.0.1:" + routerPort)) {
                rest.get().uri("/add?a=20&b=22").exchange().expectStatus().isOk().expectBody(JSON)
                    .value((body) -> assertThat(body).containsEntry("sum", 42));
                rest.get().uri("/echo?message=split").exchange().expectStatus().isOk().expectBody(JSON)
                    .value((body) -> assertThat(body).containsEntry("echo", "split").containsKey("servedBy"));
                // the front serves nothing itself: the dealer its router lists is the worker's
                rest.get().uri("/actuator/voidrail").exchange().expectStatus().isOk().expectBody(JSON)
                    .value((body) -> assertThat(body.get("services")).asInstanceOf(LIST).isEmpty());
                assertThat(routerDealers(rest)).singleElement().asInstanceOf(MAP)
                    .containsEntry("group", "EchoService")
                    .containsEntry("state", "active");
                assertThat(worker.getBean("voidrailHealthIndicator", HealthIndicator.class).health().getStatus())
                    .isEqualTo(Status.UP);
            }

            // a worker that stops says so, and the router stops sending it work
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(routerDealers(rest))
                .allSatisfy((dealer) -> assertThat(dealer).asInstanceOf(MAP).doesNotContainEntry("state", "active")));
        }
    }

    private static List<?> routerDealers(RestTestClient rest) {
        Map<String, Object> router = rest.get().uri("/actuator/voidrail/router").exchange().expectStatus().isOk()
            .expectBody(JSON).returnResult().getResponseBody();
        return (List<?>) router.get("dealers");
    }

}
