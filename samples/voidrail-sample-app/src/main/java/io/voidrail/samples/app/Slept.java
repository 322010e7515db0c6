package io.voidrail.samples.app;

/** What {@code EchoService.slow} answers: how long it worked, and on which worker thread. */
public record Slept(double seconds, String worker) {
}
