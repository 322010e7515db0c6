package io.voidrail.it;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import io.voidrail.annotation.ServiceMethod;
import io.voidrail.annotation.VoidRailService;

/** A worker that says who it is, so tests can see which dealer got which call. */
@VoidRailService("WorkerService")
public class WorkerService {

    private final String name;
    private final List<Integer> seen = new CopyOnWriteArrayList<>();
    private final AtomicInteger calls = new AtomicInteger();

    public WorkerService(String name) {
        this.name = name;
    }

    /** Works for {@code seconds} (simulated heavy work) and answers with this worker's name. */
    @ServiceMethod
    public String work(double seconds) throws InterruptedException {
        calls.incrementAndGet();
        Thread.sleep((long) (seconds * 1000));
        return name;
    }

    /** Records the order in which calls arrive. */
    @ServiceMethod
    public int record(int index) {
        seen.add(index);
        return index;
    }

    public List<Integer> seen() {
        return seen;
    }

    public int calls() {
        return calls.get();
    }
}
