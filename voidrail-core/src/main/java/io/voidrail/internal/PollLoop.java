package io.voidrail.internal;

import java.io.UncheckedIOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.zeromq.ZMQ;

/**
 * The loop every role's I/O thread runs: socket input, mailbox commands and timers, with the next timer as the
 * longest sleep, until told to leave.
 *
 * <p>Each socket's own {@code ZMQ_EVENTS} says whether it has input, checked before sleeping and after waking (as
 * ZeroMQ documents for its socket descriptor, which only says that something may have changed); the selector owned
 * by the {@link Mailbox} only puts the thread to sleep until a socket's descriptor or a post wakes it.
 *
 * <p>Before it sleeps the loop tells each socket's {@link LazyMailbox} so and looks at the sockets once more: only
 * commands sent after that write a wake-up byte, so the JeroMQ threads feeding a busy loop make no system call to
 * wake it.
 *
 * <p>A descriptor can stay readable with nothing to do: stock JeroMQ writes its wake-up byte, then counts it, and
 * {@code ZMQ_EVENTS} reads only counted bytes (the lazy mailbox counts first). A loop that sleeps again at once
 * would spin on that byte, and on two cores the spinning can keep the writer from counting it for a whole scheduler
 * tick (4 ms); {@code ZMQ.Poller} spins the same way (measured before this loop: 2.6 million wake-ups for 2,000 calls
 * with two calls in flight, 8 ms median latency). So after a wake-up that found nothing the loop yields before it
 * sleeps again, and after a few in a row it first pauses {@link #BACKOFF_NANOS}.
 */
public final class PollLoop {

    /** What a role does in its loop. */
    public interface Handler<T> {

        /** A socket has input: read everything waiting (on every socket of the loop) before returning. */
        void onInput();

        /**
         * Whether another thread serves the socket now (a dealer's thread that ran a long call itself, see
         * {@code LoopBaton}): the loop then returns at once and leaves the socket's registration to that thread.
         */
        default boolean handedOver() {
            return false;
        }

        /** A second socket, if the role has one (the router's connection monitor), has input. */
        default void onSideInput() {
        }

        /** Runs one command posted to the mailbox. */
        void onCommand(T command);

        /**
         * Called after every wake-up, to fire timers and check for stop.
         *
         * @return the {@code System.nanoTime()} of the next wake-up, or {@link #LEAVE} to leave the loop
         */
        long afterPoll(long now);
    }

    /** Returned by {@link Handler#afterPoll} to leave the loop. */
    public static final long LEAVE = Long.MIN_VALUE;

    /** Wake-ups in a row that found nothing before the loop backs off instead of yielding. */
    private static final int YIELDS = 4;
    private static final long BACKOFF_NANOS = 50_000L;

    private PollLoop() {
    }

    /** Runs until the handler says {@link #LEAVE}; the socket stays open for the caller to close. */
    public static <T> void run(ZMQ.Socket socket, Mailbox<T> mailbox, Handler<T> handler) {
        run(List.of(socket), null, mailbox, handler);
    }

    /**
     * The same over several sockets (a client's connections to several routers), plus an optional side socket to
     * watch ({@link Handler#onSideInput}: the router's connection monitor).
     */
    public static <T> void run(List<ZMQ.Socket> sockets, ZMQ.@Nullable Socket side, Mailbox<T> mailbox,
            Handler<T> handler) {
        Consumer<T> commands = handler::onCommand;
        List<SelectionKey> keys = new ArrayList<>(sockets.size() + 1);
        List<LazyMailbox> mailboxes = new ArrayList<>(sockets.size() + 1);
        boolean handedOver = false;
        try {
            for (ZMQ.Socket socket : sockets) {
                keys.add(register(socket, mailbox, mailboxes));
            }
            if (side != null) {
                keys.add(register(side, mailbox, mailboxes));
            }
            int idleWakeUps = 0;
            long wakeUp = handler.afterPoll(System.nanoTime());
            while (wakeUp != LEAVE) {
                boolean input = anyInput(sockets);
                boolean sideInput = side != null && hasInput(side);
                if (!input && !sideInput && !mailbox.hasPending()) {
                    long left = wakeUp - System.nanoTime();
                    if (left > 0) {
                        resting(mailboxes, true);
                        // a last look after saying so: a command sent before it finds the loop awake and writes no byte
                        input = anyInput(sockets);
                        sideInput = side != null && hasInput(side);
                        boolean idle = !input && !sideInput;
                        if (idle && idleWakeUps > YIELDS) {
                            LockSupport.parkNanos(BACKOFF_NANOS);
                        }
                        else if (idle && idleWakeUps > 0) {
                            Thread.yield();
                        }
                        boolean woken = idle && mailbox.await((left + 999_999L) / 1_000_000L);
                        resting(mailboxes, false);
                        if (idle) {
                            input = anyInput(sockets);
                            sideInput = side != null && hasInput(side);
                            idleWakeUps = woken && !input && !sideInput && !mailbox.hasPending() ? idleWakeUps + 1 : 0;
                        }
                    }
                }
                if (input) {
                    handler.onInput();
                    if (handler.handedOver()) {
                        handedOver = true;
                        return;
                    }
                }
                if (sideInput) {
                    handler.onSideInput();
                }
                mailbox.drain(commands);
                wakeUp = handler.afterPoll(System.nanoTime());
            }
        }
        finally {
            if (!handedOver) { // else the next thread serves the sockets already
                for (SelectionKey key : keys) {
                    key.cancel();
                }
                mailbox.forgetCancelled(); // the next run may register the same sockets again
                for (LazyMailbox lazy : mailboxes) {
                    lazy.servedByLoop(false);
                }
            }
        }
    }

    private static void resting(List<LazyMailbox> mailboxes, boolean resting) {
        for (int i = 0; i < mailboxes.size(); i++) {
            mailboxes.get(i).resting(resting);
        }
    }

    private static SelectionKey register(ZMQ.Socket socket, Mailbox<?> mailbox, List<LazyMailbox> mailboxes) {
        LazyMailbox lazy = JeroMqSignals.mailboxOf(socket);
        if (lazy != null) {
            lazy.servedByLoop(true);
            mailboxes.add(lazy);
        }
        try {
            return socket.getFD().register(mailbox.selector(), SelectionKey.OP_READ);
        }
        catch (ClosedChannelException ex) {
            throw new UncheckedIOException("The socket is closed", ex);
        }
    }

    private static boolean anyInput(List<ZMQ.Socket> sockets) {
        for (int i = 0; i < sockets.size(); i++) { // no iterator: this runs at every wake-up
            if (hasInput(sockets.get(i))) {
                return true;
            }
        }
        return false;
    }

    /** {@code ZMQ_EVENTS} also runs the socket's pending commands, which is what empties its descriptor. */
    public static boolean hasInput(ZMQ.Socket socket) {
        int events = socket.getEvents();
        return events > 0 && (events & ZMQ.Poller.POLLIN) != 0;
    }
}
