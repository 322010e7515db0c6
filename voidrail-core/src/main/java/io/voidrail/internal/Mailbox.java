package io.voidrail.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.Selector;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * How other threads talk to an I/O thread: a lock-free queue, plus the I/O thread's own NIO selector, which
 * {@link PollLoop} sleeps in and which {@link #post} wakes. Sockets never leave their thread; only commands cross.
 *
 * <p>A post wakes the selector only while the I/O thread sleeps in it ({@code sleeping}), so posts to a busy loop
 * cost no system call. No wake-up is lost: the loop sets {@code sleeping} before it looks at the queue a last time, a
 * poster adds to the queue before it reads {@code sleeping}, so at least one of them sees the other (and a selector's
 * wake-up is kept for its next select). Unlike a pipe, a selector's wake-up does not break when the posting thread
 * has its interrupt flag set (a cancelled call's worker has it).
 */
public final class Mailbox<T> implements AutoCloseable {

    private final Queue<T> queue = new ConcurrentLinkedQueue<>();
    private final Selector selector;
    private volatile boolean sleeping;

    public Mailbox() {
        try {
            selector = Selector.open();
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot open the I/O thread's selector", ex);
        }
    }

    /** Any thread: enqueue, and wake the I/O thread if it sleeps. */
    public void post(T command) {
        queue.add(command);
        if (sleeping) {
            selector.wakeup();
        }
    }

    /** I/O thread: the selector its sockets' descriptors are registered with. */
    Selector selector() {
        return selector;
    }

    /**
     * I/O thread: sleeps until a registered descriptor is ready, a command is posted or {@code timeoutMillis} (at
     * least 1) passed; returns at once when commands wait.
     *
     * @return whether a descriptor woke it
     */
    boolean await(long timeoutMillis) {
        sleeping = true;
        int ready = 0;
        try {
            if (queue.isEmpty()) {
                ready = selector.select(Math.max(1, timeoutMillis));
            }
        }
        catch (IOException ex) {
            throw new UncheckedIOException("The I/O thread's selector failed", ex);
        }
        finally {
            sleeping = false;
        }
        // readiness is read from the sockets themselves (ZMQ_EVENTS); the selected set only has to be emptied
        selector.selectedKeys().clear();
        return ready > 0;
    }

    /** I/O thread: deregisters the descriptors whose keys were cancelled (a selector does it on its next select). */
    void forgetCancelled() {
        try {
            selector.selectNow();
            selector.selectedKeys().clear();
        }
        catch (IOException | ClosedSelectorException ex) {
            // closed: nothing is registered any more
        }
    }

    /** I/O thread: run every queued command, including those posted while draining (also the ones left at stop). */
    public void drain(Consumer<? super T> handler) {
        T command;
        while ((command = queue.poll()) != null) {
            handler.accept(command);
        }
    }

    /** I/O thread: whether commands wait. */
    public boolean hasPending() {
        return !queue.isEmpty();
    }

    @Override
    public void close() {
        try {
            selector.close();
        }
        catch (IOException ex) {
            // nothing to do
        }
    }
}
