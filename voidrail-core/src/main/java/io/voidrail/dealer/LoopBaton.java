package io.voidrail.dealer;

/**
 * Which thread serves a dealer's socket. The loop's thread may run a quick call itself (no hand-off to a worker and
 * back: two thread wake-ups less per call); if that call runs long, the {@link InlineWatchdog} gives the loop to a
 * new thread, so that heartbeats, cancels and registration keep flowing, and the thread that ran the call leaves
 * when the call ends. The socket is touched only by the {@linkplain #owned() owner}; the hand-over happens under this
 * object's lock, which is also what makes the loop's state visible to the next owner.
 */
final class LoopBaton {

    private final String name;
    private Thread owner;
    /** Number of the call the owner runs on its own thread, 0 when none; guarded by this. */
    private long inlineCall;
    /**
     * Calls run on the owner's thread so far, also the last one's number: the watchdog sleeps while it stays the
     * same. Written under the lock, read without it.
     */
    private volatile long inlineCalls;

    /** The calling thread owns the loop to begin with. */
    LoopBaton() {
        this.owner = Thread.currentThread();
        this.name = owner.getName();
    }

    /** The name every owner's thread has (the first one's). */
    String threadName() {
        return name;
    }

    /** Whether the calling thread serves the socket. */
    synchronized boolean owned() {
        return owner == Thread.currentThread();
    }

    /** Owner: it is about to run a call itself; returns the call's number. */
    synchronized long beginInline() {
        long call = inlineCalls + 1;
        inlineCall = call;
        inlineCalls = call; // a volatile write, before the caller reads whether the watchdog sleeps
        return call;
    }

    /** The thread that ran call {@code call}: whether it still owns the loop (no one took over meanwhile). */
    synchronized boolean endInline(long call) {
        if (inlineCall != call) {
            return false;
        }
        inlineCall = 0;
        return true;
    }

    /** The call the owner runs on its own thread now, 0 when none. */
    synchronized long inlineCall() {
        return inlineCall;
    }

    long inlineCalls() {
        return inlineCalls;
    }

    /** Watchdog: if call {@code call} still runs on the owner's thread, the loop is {@code successor}'s from now on. */
    synchronized boolean handOver(long call, Thread successor) {
        if (call == 0 || inlineCall != call) {
            return false;
        }
        inlineCall = 0;
        owner = successor;
        return true;
    }
}
