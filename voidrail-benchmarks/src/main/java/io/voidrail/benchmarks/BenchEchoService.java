package io.voidrail.benchmarks;

import java.util.stream.IntStream;
import java.util.stream.Stream;

import io.voidrail.annotation.ServiceMethod;
import io.voidrail.annotation.VoidRailService;

/** The service the VoidRail scenarios call: {@code EchoService.echo} returns its argument, no work;
 * {@code EchoService.count} streams numbers. */
@VoidRailService("EchoService")
public class BenchEchoService {

    public static final String ECHO = "EchoService.echo";
    public static final String COUNT = "EchoService.count";

    @ServiceMethod(description = "Returns its argument")
    public String echo(String message) {
        return message;
    }

    @ServiceMethod(description = "Streams 0, 1, ... n-1")
    public Stream<Integer> count(int n) {
        return IntStream.range(0, n).boxed();
    }
}
