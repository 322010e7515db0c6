package io.voidrail.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.Pipe;
import java.nio.channels.SelectableChannel;
import java.nio.channels.Selector;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import zmq.Command;
import zmq.Ctx;
import zmq.ZError;
import zmq.util.Errno;

/**
 * A JeroMQ command mailbox that writes its wake-up byte only when its reader may be asleep, as libzmq's does.
 *
 * <p>JeroMQ 0.6.0's {@code zmq.Mailbox} writes a byte to its pipe for every command and reads one back for each: two
 * system calls per command even while the reader is busy taking commands. Every message that finds a pipe idle costs
 * one command (waking its reader), so at 64 calls in flight the loops and I/O threads spent most of their time in
 * those two calls (co-located router: 48 % of its thread). Here a sender writes the byte only when the reader last
 * found the queue empty ({@code sleeping}); a reader that is awake takes the command on its next look.
 *
 * <p>No wake-up is lost: the reader sets {@code sleeping} before each look at the queue that may be its last, a sender
 * adds to the queue before it reads {@code sleeping}, so one of them sees the other. Each of a loop's last looks
 * before it sleeps ({@link #resting}) counts as such, since a sender may have woken it during them. The bytes are
 * counted before they are written: the reader reads only when bytes are owed ({@code written} ahead of
 * {@code consumed}), so an empty look at the queue costs no system call, and a byte counted but not yet written keeps
 * the descriptor readable until the reader takes it. It takes over the queue and the pipe of the mailbox it replaces ({@link JeroMqSignals}), which
 * must not have been used yet.
 */
final class LazyMailbox extends zmq.Mailbox {

    private final Deque<Command> commands;
    private final Pipe.SourceChannel source;
    private final Pipe.SinkChannel sink;
    /** The replaced mailbox's own selector, on which only its source is registered: for blocking waits. */
    private final Selector selector;
    private final zmq.Mailbox replaced;
    private final Errno errno;
    private final AtomicBoolean sleeping = new AtomicBoolean(true);
    /**
     * Set while a {@link PollLoop} serves the socket and is busy: its empty looks at the queue are not sleep. Cleared
     * from its last looks before it sleeps ({@link #resting}) until it is awake again, and when it stops serving.
     */
    private volatile boolean loopBusy;
    private final AtomicLong written = new AtomicLong();
    /** Reader only (one thread at a time: the socket's, then the reaper's). */
    private volatile long consumed;
    private final ByteBuffer drain = ByteBuffer.allocateDirect(64);

    LazyMailbox(Ctx ctx, String name, int tid, zmq.Mailbox replaced, Deque<Command> commands,
            Pipe.SourceChannel source, Pipe.SinkChannel sink, Selector selector) throws IOException {
        super(ctx, name, tid);
        super.close(); // the pipe and selector the superclass made are not used: the replaced mailbox's are
        this.replaced = replaced;
        this.commands = commands;
        this.source = source;
        this.sink = sink;
        this.selector = selector;
        this.errno = ctx.errno();
    }

    @Override
    public SelectableChannel getFd() {
        return source;
    }

    @Override
    public void send(Command command) {
        commands.addLast(command);
        wake();
    }

    /** Writes a byte if the reader may be asleep. */
    private void wake() {
        if (sleeping.get() && sleeping.compareAndSet(true, false)) {
            written.incrementAndGet();
            writeByte();
        }
    }

    @Override
    public Command recv(long timeout) {
        Command command = commands.pollFirst();
        if (command != null) {
            return command;
        }
        long end = timeout > 0 ? System.nanoTime() + timeout * 1_000_000L : 0;
        while (true) {
            drainBytes();
            if (timeout != 0 || !loopBusy) {
                sleeping.set(true); // an empty queue is where JeroMQ's readers go to sleep
            }
            command = commands.pollFirst();
            if (command != null) {
                return command;
            }
            if (timeout == 0) {
                errno.set(ZError.EAGAIN);
                return null;
            }
            long left = timeout < 0 ? 0 : (end - System.nanoTime()) / 1_000_000L;
            if (timeout > 0 && left <= 0) {
                errno.set(ZError.EAGAIN);
                return null;
            }
            if (!await(left)) {
                errno.set(ZError.EINTR); // as JeroMQ: an interrupted wait ends it
                return null;
            }
        }
    }

    /**
     * A loop's thread serves the socket from now on ({@code true}), or no longer: while it does, an empty look at the
     * queue does not count as sleep (the loop looks at every socket after each message it handles), only
     * {@link #resting} does, so the loop's own sends and reads cost no wake-up bytes while it is busy. When it stops
     * the mailbox counts as asleep, for whoever reads it next (JeroMQ's reaper, once the socket is closed).
     */
    void servedByLoop(boolean served) {
        loopBusy = served;
        if (!served) {
            sleeping.set(true);
            if (!commands.isEmpty()) {
                wake(); // commands the busy loop left behind cost no byte: the next reader must still find them
            }
        }
    }

    /**
     * The serving loop is about to sleep ({@code true}): it looks at the queue once more after this, then waits for a
     * byte; each empty look from now on counts as sleep. Or it is awake again ({@code false}), having slept or found
     * something to do in its last look.
     */
    void resting(boolean resting) {
        loopBusy = !resting;
        if (resting) {
            sleeping.set(true);
        }
    }

    /** Blocks until the descriptor is readable or {@code millis} (0: no limit) passed; false when interrupted. */
    private boolean await(long millis) {
        if (Thread.interrupted()) {
            return false;
        }
        try {
            selector.select(millis);
            selector.selectedKeys().clear();
        }
        catch (IOException | java.nio.channels.ClosedSelectorException ex) {
            return false;
        }
        return !Thread.interrupted();
    }

    private void drainBytes() {
        long owed = written.get() - consumed;
        if (owed <= 0) {
            return;
        }
        drain.clear().limit((int) Math.min(owed, drain.capacity()));
        int read = uninterrupted(() -> source.read(drain));
        if (read > 0) {
            consumed += read;
        }
    }

    private void writeByte() {
        ByteBuffer one = ByteBuffer.allocate(1);
        while (one.hasRemaining()) {
            uninterrupted(() -> sink.write(one)); // 0 only while the pipe is full, which a byte per sleep never fills
        }
    }

    private interface Io {
        int run() throws IOException;
    }

    /** As JeroMQ's signaler: a set interrupt flag must not close the pipe (NIO closes a channel it interrupts). */
    private static int uninterrupted(Io io) {
        boolean interrupted = Thread.interrupted();
        try {
            return io.run();
        }
        catch (IOException ex) {
            interrupted |= ex instanceof ClosedByInterruptException;
            throw new ZError.IOException(ex);
        }
        finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public void close() throws IOException {
        replaced.close();
    }

    @Override
    public String toString() {
        return "LazyMailbox[" + replaced + "]";
    }
}
