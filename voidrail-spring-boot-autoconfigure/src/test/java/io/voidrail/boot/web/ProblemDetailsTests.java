package io.voidrail.boot.web;

import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.reactive.config.EnableWebFlux;
import org.springframework.web.servlet.config.annotation.EnableWebMvc;

import io.voidrail.VoidRailException;
import io.voidrail.boot.autoconfigure.VoidRailClientAutoConfiguration;
import io.voidrail.boot.autoconfigure.web.VoidRailProblemDetailsAutoConfiguration;
import io.voidrail.ErrorCode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.request;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/** A VoidRailException from a controller, over HTTP: Spring MVC through MockMvc, WebFlux through WebTestClient. */
class ProblemDetailsTests {

    private static final AutoConfigurations VOIDRAIL = AutoConfigurations.of(VoidRailClientAutoConfiguration.class,
            VoidRailProblemDetailsAutoConfiguration.class);

    private final WebApplicationContextRunner mvc = new WebApplicationContextRunner().withConfiguration(VOIDRAIL)
        .withUserConfiguration(MvcApplication.class);

    private final ReactiveWebApplicationContextRunner webFlux = new ReactiveWebApplicationContextRunner()
        .withConfiguration(VOIDRAIL)
        .withUserConfiguration(WebFluxApplication.class);

    @Test
    void mvcAnswersEachCodeWithItsStatusAndTheCodeAsAProperty() {
        this.mvc.run((context) -> {
            MockMvc http = MockMvcBuilders.webAppContextSetup(context).build();
            http.perform(get("/fail/DEADLINE_EXCEEDED"))
                .andExpect(status().isGatewayTimeout())
                .andExpect(header().string("Content-Type", MediaType.APPLICATION_PROBLEM_JSON_VALUE))
                .andExpect(jsonPath("$.status").value(504))
                .andExpect(jsonPath("$.title").value("Gateway Timeout"))
                .andExpect(jsonPath("$.code").value("DEADLINE_EXCEEDED"))
                .andExpect(jsonPath("$.detail").value("The service did not answer in time."))
                .andExpect(jsonPath("$.instance").value("/fail/DEADLINE_EXCEEDED"));
            http.perform(get("/fail/QUEUE_FULL"))
                .andExpect(status().isServiceUnavailable())
                .andExpect(header().string("Retry-After", "5"));
            http.perform(get("/fail/BAD_REQUEST")).andExpect(status().isBadRequest());
            http.perform(get("/fail/DEALER_LOST")).andExpect(status().isBadGateway());
            http.perform(get("/fail/UNAUTHENTICATED")).andExpect(status().isInternalServerError())
                .andExpect(header().doesNotExist("WWW-Authenticate"));
            // the secret internals of the remote service stay out of the response
            http.perform(get("/fail/EXECUTION_ERROR"))
                .andExpect(status().isInternalServerError())
                .andExpect(jsonPath("$.detail").value("The service failed while handling the request."));
        });
    }

    @Test
    void mvcMapsAFailedAsynchronousResultToo() {
        this.mvc.run((context) -> {
            MockMvc http = MockMvcBuilders.webAppContextSetup(context).build();
            MvcResult started = http.perform(get("/async")).andExpect(request().asyncStarted()).andReturn();
            http.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.asyncDispatch(started))
                .andExpect(status().isServiceUnavailable())
                .andExpect(jsonPath("$.code").value("UNAVAILABLE"))
                .andExpect(header().string("Retry-After", "5"));
        });
    }

    @Test
    void theMessageIsShownWhenAskedFor() {
        this.mvc.withPropertyValues("voidrail.web.problem-details.include-message=true",
                "voidrail.web.problem-details.retry-after=30s")
            .run((context) -> {
                MockMvc http = MockMvcBuilders.webAppContextSetup(context).build();
                http.perform(get("/fail/EXECUTION_ERROR"))
                    .andExpect(jsonPath("$.detail").value("EchoService.echo failed: secret internals"));
                http.perform(get("/fail/OVERLOADED")).andExpect(header().string("Retry-After", "30"));
            });
    }

    @Test
    void theApplicationsOwnHandlerWins() {
        this.mvc.withUserConfiguration(OwnAdvice.class).run((context) -> {
            MockMvc http = MockMvcBuilders.webAppContextSetup(context).build();
            http.perform(get("/fail/DEADLINE_EXCEEDED")).andExpect(status().isIAmATeapot());
        });
    }

    @Test
    void aMapperBeanCustomizesTheMapping() {
        this.mvc.withBean(VoidRailProblemDetailsMapper.class, () -> (ex) -> ErrorResponse.create(ex,
                HttpStatus.NOT_FOUND, "custom"))
            .run((context) -> {
                MockMvc http = MockMvcBuilders.webAppContextSetup(context).build();
                http.perform(get("/fail/NOT_FOUND")).andExpect(status().isNotFound())
                    .andExpect(jsonPath("$.detail").value("custom"));
            });
    }

    @Test
    void canBeSwitchedOff() {
        this.mvc.withPropertyValues("voidrail.web.problem-details.enabled=false")
            .run((context) -> assertThat(context).doesNotHaveBean(VoidRailExceptionHandler.class));
    }

    @Test
    void notInAnApplicationWithoutWeb() {
        new org.springframework.boot.test.context.runner.ApplicationContextRunner().withConfiguration(VOIDRAIL)
            .run((context) -> assertThat(context).doesNotHaveBean(VoidRailExceptionHandler.class)
                .hasBean("voidRailClient"));
    }

    @Test
    void webFluxAnswersWithTheSameProblemDetails() {
        this.webFlux.run((context) -> {
            WebTestClient http = WebTestClient.bindToApplicationContext(context).build();
            http.get().uri("/fail/OVERLOADED").exchange()
                .expectStatus().isEqualTo(HttpStatus.SERVICE_UNAVAILABLE)
                .expectHeader().valueEquals("Retry-After", "5")
                .expectHeader().contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .expectBody()
                .jsonPath("$.code").isEqualTo("OVERLOADED")
                .jsonPath("$.status").isEqualTo(503);
            http.get().uri("/mono").exchange().expectStatus().isEqualTo(HttpStatus.BAD_GATEWAY)
                .expectBody().jsonPath("$.code").isEqualTo("NOT_FOUND");
        });
    }

    @RestController
    static class FailingController {

        @GetMapping("/fail/{code}")
        String fail(@PathVariable ErrorCode code) {
            throw new VoidRailException("EchoService.echo failed: secret internals", code);
        }

        @GetMapping("/async")
        CompletableFuture<String> async() {
            return CompletableFuture.failedFuture(new VoidRailException("router gone", ErrorCode.UNAVAILABLE));
        }

        @GetMapping("/mono")
        Mono<String> mono() {
            return Mono.error(new VoidRailException("Method EchoService.nope not found", ErrorCode.NOT_FOUND));
        }

    }

    @Configuration(proxyBeanMethods = false)
    @EnableWebMvc
    static class MvcApplication {

        @Bean
        FailingController failingController() {
            return new FailingController();
        }

    }

    @Configuration(proxyBeanMethods = false)
    @EnableWebFlux
    static class WebFluxApplication {

        @Bean
        FailingController failingController() {
            return new FailingController();
        }

    }

    @RestControllerAdvice
    static class OwnAdvice {

        @ExceptionHandler(VoidRailException.class)
        ResponseEntity<String> mine(VoidRailException ex) {
            return ResponseEntity.status(HttpStatus.I_AM_A_TEAPOT).body("mine");
        }

    }

}
