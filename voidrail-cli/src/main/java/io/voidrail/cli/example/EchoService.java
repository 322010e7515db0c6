package io.voidrail.cli.example;

import java.time.Duration;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import io.voidrail.annotation.ServiceMethod;
import io.voidrail.annotation.VoidRailService;

/**
 * A service shipped in the CLI jar so that a new bus can be tried at once:
 * {@code voidrail dealer --class io.voidrail.cli.example.EchoService --instances 2}. The same methods as
 * the Python EchoService, plus {@code work} to see which process served a call.
 */
@VoidRailService("EchoService")
public class EchoService {

    @ServiceMethod(description = "Return the message unchanged", params = "message: any text")
    public String echo(String message) {
        return message;
    }

    @ServiceMethod(description = "Add two numbers", params = { "a: first number", "b: second number" })
    public long add(long a, long b) {
        return a + b;
    }

    @ServiceMethod(description = "Count from start to end (exclusive), one item at a time",
            params = { "start: first number", "end: where to stop" })
    public Stream<Integer> stream(int start, int end) {
        return IntStream.range(start, end).boxed();
    }

    @ServiceMethod(description = "Work for some seconds, then say which dealer process did it",
            params = "seconds: how long to work")
    public Work work(double seconds) throws InterruptedException {
        Thread.sleep(Duration.ofMillis(Math.round(seconds * 1000)).toMillis()); // the work being simulated
        return new Work(ProcessHandle.current().pid(), seconds);
    }

    @ServiceMethod(description = "Fail with the given message, to see how errors look", params = "message: the error text")
    public String fail(String message) {
        throw new IllegalStateException(message);
    }

    /** What {@link #work} reports. */
    public record Work(long pid, double seconds) {
    }
}
