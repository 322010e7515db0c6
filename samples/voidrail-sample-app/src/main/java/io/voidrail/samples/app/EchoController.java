package io.voidrail.samples.app;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import reactor.core.publisher.Mono;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.voidrail.client.VoidRailClient;

/** HTTP in front of the bus: each endpoint hands its work to {@code EchoService} through VoidRail. */
@RestController
public class EchoController {

    /**
     * How long {@code /slow} lets its VoidRail call take. Spring MVC waits for the CompletableFuture at most
     * {@code spring.mvc.async.request-timeout} (default: the servlet container's, 30 s for Tomcat) and then answers
     * 503 itself, so application.yml sets that above this.
     */
    public static final Duration SLOW_TIMEOUT = Duration.ofSeconds(60);

    private final VoidRailClient client;

    private final EchoClient echo;

    public EchoController(VoidRailClient client, EchoClient echo) {
        this.client = client;
        this.echo = echo;
    }

    /** By method name, with the generic client. */
    @GetMapping("/echo")
    public Map<String, String> echo(@RequestParam(defaultValue = "hello") String message) {
        return Map.of("echo", this.client.invoke("EchoService.echo", String.class, message));
    }

    /** With the typed client. */
    @GetMapping("/add")
    public Map<String, Integer> add(@RequestParam int a, @RequestParam int b) {
        return Map.of("sum", this.echo.add(a, b));
    }

    /** A stream, collected: the typed client's Flux. */
    @GetMapping("/stream")
    public Mono<List<Integer>> stream(@RequestParam(defaultValue = "0") int start,
            @RequestParam(defaultValue = "5") int end) {
        return this.echo.stream(start, end).collectList();
    }

    /** A slow call that does not hold a servlet thread while the dealer works. */
    @GetMapping("/slow")
    public CompletableFuture<Slept> slow(@RequestParam(defaultValue = "0.5") double seconds) {
        return this.client.call("EchoService.slow").arg(seconds).timeout(SLOW_TIMEOUT).invokeAsync(Slept.class);
    }

    /** A failing call: the VoidRailException becomes an RFC 9457 problem detail (here 500, code EXECUTION_ERROR). */
    @GetMapping("/fail")
    public String fail(@RequestParam(defaultValue = "boom") String message) {
        return this.client.invoke("EchoService.fail", String.class, message);
    }

}
