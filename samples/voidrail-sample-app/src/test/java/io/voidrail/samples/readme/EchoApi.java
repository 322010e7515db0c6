package io.voidrail.samples.readme;

import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import io.voidrail.annotation.VoidRailService;

// README, "Core API": the typed client of the core example
@VoidRailService("EchoService")
public interface EchoApi {
    String echo(String message);
    CompletableFuture<Integer> addAsync(int a, int b);      // calls EchoService.add without waiting
    Stream<Integer> numbers(int start, int end);
}
