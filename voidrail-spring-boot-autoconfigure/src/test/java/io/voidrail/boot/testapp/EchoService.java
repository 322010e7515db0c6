package io.voidrail.boot.testapp;

import java.util.stream.IntStream;
import java.util.stream.Stream;

import io.voidrail.annotation.ServiceMethod;
import io.voidrail.annotation.VoidRailService;

@VoidRailService("EchoService")
public class EchoService {

    @ServiceMethod
    public String echo(String message) {
        return message;
    }

    @ServiceMethod(description = "Add two numbers")
    public int add(int a, int b) {
        return a + b;
    }

    @ServiceMethod
    public Stream<Integer> numbers(int start, int end) {
        return IntStream.range(start, end).boxed();
    }

    @ServiceMethod
    public String fail(String message) {
        throw new IllegalStateException(message);
    }

    /** Holds a dealer slot for a while, so that calls queue behind it. */
    @ServiceMethod
    public String slow(long millis) throws InterruptedException {
        Thread.sleep(millis);
        return "slept";
    }

}
