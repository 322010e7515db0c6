package io.voidrail.boot.testapp;

import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import io.voidrail.annotation.VoidRailService;

/** The typed client of {@link EchoService}. */
@VoidRailService("EchoService")
public interface EchoClient {

    String echo(String message);

    int add(int a, int b);

    Stream<Integer> numbers(int start, int end);

    CompletableFuture<String> slow(long millis);

}
