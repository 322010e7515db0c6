package io.voidrail.samples.app;

import java.time.Duration;

import reactor.core.publisher.Flux;

import io.voidrail.annotation.ServiceMethod;
import io.voidrail.annotation.VoidRailService;

/** The service on the bus, as {@code EchoService.echo}, {@code EchoService.add} and so on. */
@VoidRailService("EchoService")
public class EchoService {

    @ServiceMethod(description = "Return the message unchanged", params = "message: any text")
    public String echo(String message) {
        return message;
    }

    @ServiceMethod(description = "Add two numbers", params = { "a: first number", "b: second number" })
    public int add(int a, int b) {
        return a + b;
    }

    @ServiceMethod(description = "The numbers from start (inclusive) to end (exclusive), one by one")
    public Flux<Integer> stream(int start, int end) {
        return Flux.range(start, Math.max(0, end - start)).delayElements(Duration.ofMillis(20));
    }

    @ServiceMethod(description = "Fail with the given message, to see how errors look", params = "message: the error")
    public String fail(String message) {
        throw new IllegalStateException(message);
    }

    @ServiceMethod(description = "Work for a while: a stand-in for a heavy computation", params = "seconds: how long")
    public Slept slow(double seconds) throws InterruptedException {
        Thread.sleep((long) (seconds * 1000));
        return new Slept(seconds, Thread.currentThread().getName());
    }

}
