package io.voidrail.samples.app;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import io.voidrail.annotation.VoidRailService;

/**
 * A typed client of {@link EchoService}: the starter makes it a bean whose methods call {@code EchoService.*} over
 * the bus, wherever the service runs.
 */
@VoidRailService("EchoService")
public interface EchoClient {

    String echo(String message);

    int add(int a, int b);

    Flux<Integer> stream(int start, int end);

    Mono<Slept> slow(double seconds);

}
