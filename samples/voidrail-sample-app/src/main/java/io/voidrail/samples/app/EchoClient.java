package io.voidrail.samples.app;

import java.util.concurrent.CompletableFuture;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import io.voidrail.annotation.VoidRailService;

/**
 * A typed client of {@link EchoService}: the starter makes it a bean whose methods call {@code EchoService.*} over
 * the bus, wherever the service runs. A method returning without waiting may carry the {@code Async} suffix:
 * {@code echoAsync} calls {@code EchoService.echo}.
 */
@VoidRailService("EchoService")
public interface EchoClient {

    String echo(String message);

    int add(int a, int b);

    Flux<Integer> stream(int start, int end);

    Mono<Slept> slow(double seconds);

    CompletableFuture<String> echoAsync(String message);   // calls EchoService.echo without waiting

}
