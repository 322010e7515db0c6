package io.voidrail.samples.app;

/** What {@code EchoService.slow} answers: how long it worked, and on which thread (worker or dealer I/O thread). */
public record Slept(double seconds, String worker) {
}
