package io.voidrail.dealer;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Gives a dealer's loop to a new thread when the call its thread runs itself lasts longer than {@link #LIMIT_NANOS}
 * ({@link LoopBaton}). One daemon thread for the JVM's dealers: it looks every {@link #PERIOD_NANOS} while any of
 * them runs calls on its loop's thread, and sleeps after a second without one, until the next such call wakes it
 * (one wake-up per busy spell, not one per call). {@link #tick} is the decision, given the time; the thread only
 * calls it.
 */
final class InlineWatchdog implements Runnable {

    /** How long a call may keep a loop's thread before the loop moves to another thread. */
    static final long LIMIT_NANOS = 20_000_000L;
    static final long PERIOD_NANOS = LIMIT_NANOS / 2;
    private static final int IDLE_TICKS = (int) (1_000_000_000L / PERIOD_NANOS);

    private static final InlineWatchdog SHARED = new InlineWatchdog(true);

    private final List<Watched> loops = new CopyOnWriteArrayList<>();
    private final boolean ownThread;
    private volatile boolean sleeping;
    private volatile Thread thread;

    /** {@code ownThread} false: nothing ticks but the caller of {@link #tick} (tests, with their own clock). */
    InlineWatchdog(boolean ownThread) {
        this.ownThread = ownThread;
    }

    /** The JVM's watchdog; its thread starts with the first loop it watches. */
    static InlineWatchdog shared() {
        return SHARED;
    }

    /** Watches a loop; {@code successor} makes the (unstarted) thread that serves it after a hand-over. */
    void watch(LoopBaton baton, Supplier<Thread> successor) {
        loops.add(new Watched(baton, successor));
        startThread();
        wakeUp();
    }

    void unwatch(LoopBaton baton) {
        loops.removeIf(watched -> watched.baton == baton);
    }

    /** A loop's thread began a call of its own: the watchdog looks again if it was asleep. */
    void callBegan() {
        if (sleeping) {
            wakeUp();
        }
    }

    /**
     * Hands over every loop whose thread has run the same call since at least {@link #LIMIT_NANOS} before
     * {@code now}, as first seen by an earlier tick.
     *
     * @return whether any loop ran a call on its own thread since the previous tick
     */
    boolean tick(long now) {
        boolean active = false;
        for (Watched watched : loops) {
            LoopBaton baton = watched.baton;
            long calls = baton.inlineCalls();
            long call = baton.inlineCall();
            active |= call != 0 || calls != watched.callsSeen;
            watched.callsSeen = calls;
            if (call == 0 || call != watched.callSeen) {
                watched.callSeen = call;
                watched.seenSince = now;
            }
            else if (now - watched.seenSince >= LIMIT_NANOS) {
                Thread successor = watched.successor.get();
                if (baton.handOver(call, successor)) {
                    successor.start();
                }
                watched.callSeen = 0;
            }
        }
        return active;
    }

    @Override
    public void run() {
        int idleTicks = 0;
        while (true) {
            idleTicks = tick(System.nanoTime()) ? 0 : idleTicks + 1;
            if (idleTicks < IDLE_TICKS) {
                LockSupport.parkNanos(this, PERIOD_NANOS);
                continue;
            }
            sleeping = true; // before looking a last time; a loop's thread counts its call before it reads this
            if (!tick(System.nanoTime())) {
                LockSupport.park(this);
            }
            sleeping = false;
            idleTicks = 0;
        }
    }

    private synchronized void startThread() {
        if (ownThread && thread == null) {
            Thread started = new Thread(this, "voidrail-dealer-watchdog");
            started.setDaemon(true);
            started.start();
            thread = started;
        }
    }

    private void wakeUp() {
        Thread current = thread;
        if (current != null) {
            LockSupport.unpark(current);
        }
    }

    /** A watched loop, with what the watchdog's thread saw of it at its last tick (only that thread uses these). */
    private static final class Watched {

        final LoopBaton baton;
        final Supplier<Thread> successor;
        long callsSeen;
        long callSeen;
        long seenSince;

        Watched(LoopBaton baton, Supplier<Thread> successor) {
            this.baton = baton;
            this.successor = successor;
        }
    }
}
