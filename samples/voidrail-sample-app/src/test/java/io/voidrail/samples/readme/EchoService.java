package io.voidrail.samples.readme;

import java.util.stream.IntStream;
import java.util.stream.Stream;

import io.voidrail.annotation.ServiceMethod;
import io.voidrail.annotation.VoidRailService;

// README, "Core API"
@VoidRailService("EchoService")
public class EchoService {
    @ServiceMethod
    public String echo(String message) { return message; }

    @ServiceMethod(description = "Add two numbers", params = {"a: first number", "b: second number"})
    public int add(int a, int b) { return a + b; }

    @ServiceMethod                       // Stream, Flow.Publisher: sent item by item, then "end"
    public Stream<Integer> numbers(int start, int end) { return IntStream.range(start, end).boxed(); }
}
