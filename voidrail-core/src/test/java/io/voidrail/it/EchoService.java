package io.voidrail.it;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.SubmissionPublisher;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import io.voidrail.annotation.ServiceMethod;
import io.voidrail.annotation.VoidRailService;

/** The reference suite's service: the same methods as the Python EchoService of the recorded vectors. */
@VoidRailService("EchoService")
public class EchoService {

    @ServiceMethod
    public String echo(String message) {
        return message;
    }

    @ServiceMethod(description = "Add two numbers", params = { "a: first number", "b: second number" })
    public int add(int a, int b) {
        return a + b;
    }

    @ServiceMethod
    public Stream<Integer> stream(int start, int end) {
        return IntStream.range(start, end).boxed();
    }

    @ServiceMethod(description = "Sleep without blocking, then report how long", params = "seconds: sleep time")
    public Slept slow(double seconds) throws InterruptedException {
        Thread.sleep(Duration.ofMillis((long) (seconds * 1000)).toMillis()); // the work being simulated
        return new Slept(seconds);
    }

    @ServiceMethod
    public String fail(String message) {
        throw new IllegalStateException(message);
    }

    @ServiceMethod
    public CompletionStage<String> echoAsync(String message) {
        return CompletableFuture.supplyAsync(() -> message.toUpperCase());
    }

    @ServiceMethod(stream = true)
    public Iterable<String> words(String text) {
        return List.of(text.split(" "));
    }

    @ServiceMethod
    public Flow.Publisher<Integer> countdown(int from) {
        SubmissionPublisher<Integer> publisher = new SubmissionPublisher<>();
        CompletableFuture.runAsync(() -> {
            // wait for the subscriber so no item is dropped
            while (publisher.getNumberOfSubscribers() == 0) {
                Thread.onSpinWait();
            }
            for (int i = from; i > 0; i--) {
                publisher.submit(i);
            }
            publisher.close();
        });
        return publisher;
    }

    /** Which dealer served a call: lets tests see dispatch. */
    @ServiceMethod
    public String whoami(double seconds) throws InterruptedException {
        Thread.sleep((long) (seconds * 1000));
        return Thread.currentThread().getName();
    }

    public record Slept(double slept) {
    }
}
