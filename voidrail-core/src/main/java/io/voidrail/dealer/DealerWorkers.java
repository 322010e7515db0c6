package io.voidrail.dealer;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.voidrail.internal.protocol.MessageType;

/**
 * The worker pool of one dealer, shared by its connections to every router, and the limit of calls it runs at once
 * across them. With one router the router keeps to the dealer's slots (FIFO) or max_concurrent (LOAD_BALANCE) and
 * there is no further limit. With several, at most {@code slots} calls run at once in total: when they are all
 * taken the dealer tells every router it is busy ({@code overload}), and {@code resume} when one frees; a call that
 * arrives meanwhile (both routers dispatched at the same moment) waits here, first come first served.
 */
final class DealerWorkers {

    private final ThreadPoolExecutor pool;
    private final int limit;
    private final ArrayDeque<CallExecution> queued = new ArrayDeque<>();
    private final List<DealerLoop> loops = new CopyOnWriteArrayList<>();
    private final QuickMethods quickMethods = new QuickMethods(InlineWatchdog.LIMIT_NANOS);
    private int running;

    DealerWorkers(String identity, DealerSettings settings) {
        AtomicInteger threadNumber = new AtomicInteger();
        // threads as calls need them: a one-slot FIFO dealer keeps one thread, a busy LOAD_BALANCE dealer up to
        // max_concurrent; a call beyond that is refused (OVERLOADED), never queued behind the others
        this.pool = new ThreadPoolExecutor(Math.min(settings.slots(), settings.poolSize()), settings.poolSize(),
                60, TimeUnit.SECONDS, new SynchronousQueue<>(), runnable -> {
                    Thread thread = new Thread(runnable, "voidrail-worker-" + identity + "-" + threadNumber.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                });
        this.pool.allowCoreThreadTimeOut(true);
        this.limit = settings.routerAddresses().size() > 1 ? settings.slots() : Integer.MAX_VALUE;
    }

    void attach(DealerLoop loop) {
        loops.add(loop);
    }

    QuickMethods quickMethods() {
        return quickMethods;
    }

    /** A loop's thread runs the call itself (one router: no shared limit to keep). */
    void runHere(CallExecution call) {
        synchronized (this) {
            running++;
        }
        call.run();
    }

    /** I/O thread: runs the call, or queues it while the shared limit is reached. */
    void submit(CallExecution call) {
        synchronized (this) {
            if (running >= limit) {
                queued.add(call);
                return;
            }
            running++;
            if (running == limit) {
                announce(MessageType.OVERLOAD);
            }
        }
        execute(call);
    }

    /** Any thread: the call sent its terminal message; its place goes to the next queued call. */
    void release(CallExecution call) {
        CallExecution next;
        synchronized (this) {
            if (queued.remove(call)) {
                return; // ended (cancelled, expired) before it ran
            }
            next = queued.poll();
            if (next == null) {
                if (running-- == limit) {
                    announce(MessageType.RESUME);
                }
                return;
            }
        }
        execute(next);
    }

    /** Runs a call; with every thread taken it is refused with OVERLOADED, which releases its place again. */
    void execute(CallExecution call) {
        try {
            pool.execute(call.streaming() ? call : () -> {
                long start = System.nanoTime();
                call.run();
                quickMethods.ranOnWorker(call.methodName(), System.nanoTime() - start);
            });
        }
        catch (RejectedExecutionException ex) {
            call.refuse("is at capacity (" + pool.getMaximumPoolSize() + " calls)");
        }
    }

    /** Whether every shared place is taken (a router the dealer registers with now hears {@code overload}). */
    synchronized boolean full() {
        return running >= limit;
    }

    private void announce(MessageType type) {
        loops.forEach(loop -> loop.post(l -> l.announce(type)));
    }

    void shutdown() {
        pool.shutdownNow();
    }
}
