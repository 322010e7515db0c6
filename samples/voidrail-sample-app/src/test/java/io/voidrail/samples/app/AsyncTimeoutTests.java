package io.voidrail.samples.app;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureRestTestClient;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.web.servlet.client.RestTestClient;

/**
 * Why application.yml sets {@code spring.mvc.async.request-timeout}: Spring MVC answers 503 itself once an
 * asynchronous answer takes longer, whatever the VoidRail call's own timeout. Here with a short one, so that the cut
 * shows after a second instead of at the default 30 s.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "voidrail.router.bind-address=tcp://127.0.0.1:0", "spring.mvc.async.request-timeout=1s",
        "sample.startup-calls=false" })
@AutoConfigureRestTestClient
class AsyncTimeoutTests {

    @Autowired
    RestTestClient rest;

    @Test
    void anAnswerSlowerThanTheAsyncTimeoutIsCutBySpringMvc() {
        this.rest.get().uri("/echo?message=warm").exchange().expectStatus().isOk(); // connected, warmed up
        this.rest.get().uri("/slow?seconds=0").exchange().expectStatus().isOk();
        this.rest.get().uri("/slow?seconds=3").exchange().expectStatus().isEqualTo(503);
    }

}
