package io.voidrail.python;

import java.util.concurrent.atomic.AtomicInteger;

import io.voidrail.annotation.ServiceMethod;
import io.voidrail.annotation.VoidRailService;

/** The Java half of a mixed fleet: the sample Python worker's {@code slow}, served from Java under the same group. */
@VoidRailService("TensorService")
public class JavaTensorService {

    public static final String WORKER = "java";

    private final AtomicInteger calls = new AtomicInteger();

    @ServiceMethod
    public Slept slow(double seconds, Integer tag) throws InterruptedException {
        calls.incrementAndGet();
        double started = System.currentTimeMillis() / 1000.0;
        Thread.sleep((long) (seconds * 1000)); // the work being simulated
        return new Slept(seconds, WORKER, tag, started);
    }

    public int calls() {
        return calls.get();
    }

    /** What {@code TensorService.slow} answers, from Python ({@code worker} is its identity) or Java. */
    public record Slept(double slept, String worker, Integer tag, double started) {
    }
}
