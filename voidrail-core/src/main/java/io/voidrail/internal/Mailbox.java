package io.voidrail.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.channels.SelectableChannel;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import org.zeromq.ZMQ;

/**
 * How other threads talk to an I/O thread: a lock-free queue plus a wake-up byte on a pipe that the
 * I/O thread's poller watches. Sockets never leave their thread; only commands cross.
 *
 * <p>The wake-up is written only when the I/O thread may be asleep ({@code armed}), so a burst of posts
 * costs one pipe write and the loop drains the whole burst in one go.
 */
public final class Mailbox<T> implements AutoCloseable {

    private final Queue<T> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean armed = new AtomicBoolean(true);
    private final Pipe pipe;
    private final ByteBuffer wakeByte = ByteBuffer.allocate(1);
    private final ByteBuffer drainBuffer = ByteBuffer.allocate(64);

    public Mailbox() {
        try {
            pipe = Pipe.open();
            pipe.source().configureBlocking(false);
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot open the I/O thread wake-up pipe", ex);
        }
    }

    /**
     * Any thread: enqueue and wake the I/O thread. A pipe is an interruptible channel that closes for good when a
     * thread with its interrupt flag set writes to it, so the flag (a cancelled call's worker has it) is put aside
     * for the write and restored afterwards.
     */
    public void post(T command) {
        queue.add(command);
        if (armed.compareAndSet(true, false)) {
            boolean interrupted = Thread.interrupted();
            synchronized (wakeByte) {
                try {
                    wakeByte.clear();
                    pipe.sink().write(wakeByte);
                }
                catch (IOException ex) {
                    // the pipe is closed: the loop has stopped and the command will not run
                }
                finally {
                    if (interrupted) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        }
    }

    /** I/O thread: register the wake-up channel with the loop's poller; returns its index. */
    public int register(ZMQ.Poller poller) {
        return poller.register((SelectableChannel) pipe.source(), ZMQ.Poller.POLLIN);
    }

    /** I/O thread: run every queued command, including those posted while draining. */
    public void drain(Consumer<? super T> handler) {
        try {
            while (pipe.source().read(drainBuffer.clear()) > 0) {
                // discard wake-up bytes
            }
        }
        catch (IOException ex) {
            // closed while stopping
        }
        // re-arm only after the wake-up bytes are gone: re-armed earlier, a post in between would write a byte
        // this read swallows, leaving the mailbox disarmed with nothing to wake the loop for later posts
        armed.set(true);
        T command;
        while ((command = queue.poll()) != null) {
            handler.accept(command);
        }
    }

    /**
     * I/O thread: whether commands wait. Loops drain when this is true even without a wake-up, so that a
     * lost wake-up can delay a command by one poll timeout at most, never strand it.
     */
    public boolean hasPending() {
        return !queue.isEmpty();
    }

    /** Commands left when the loop stops (for failing them cleanly). */
    public void drainRemaining(Consumer<? super T> handler) {
        T command;
        while ((command = queue.poll()) != null) {
            handler.accept(command);
        }
    }

    @Override
    public void close() {
        try {
            pipe.sink().close();
            pipe.source().close();
        }
        catch (IOException ex) {
            // nothing to do
        }
    }
}
