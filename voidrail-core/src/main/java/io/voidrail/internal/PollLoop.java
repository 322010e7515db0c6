package io.voidrail.internal;

import java.util.List;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * The loop every role's I/O thread runs (as in the ZeroMQ guide): one poller made outside the loop, the
 * next timer as the poll timeout, then socket input, mailbox commands and timers, until told to leave.
 */
public final class PollLoop {

    /** What a role does in its loop. */
    public interface Handler<T> {

        /** A socket has input: read everything waiting (on every socket of the loop) before returning. */
        void onInput();

        /** A second socket, if the role has one (the router's connection monitor), has input. */
        default void onSideInput() {
        }

        /** Runs one command posted to the mailbox. */
        void onCommand(T command);

        /**
         * Called after every poll, to fire timers and check for stop.
         *
         * @return the {@code System.nanoTime()} of the next wake-up, or {@link #LEAVE} to leave the loop
         */
        long afterPoll(long now);
    }

    /** Returned by {@link Handler#afterPoll} to leave the loop. */
    public static final long LEAVE = Long.MIN_VALUE;

    private PollLoop() {
    }

    /** Runs until the handler says {@link #LEAVE}; the socket stays open for the caller to close. */
    public static <T> void run(ZContext context, ZMQ.Socket socket, Mailbox<T> mailbox, Handler<T> handler) {
        run(context, List.of(socket), null, mailbox, handler);
    }

    /**
     * The same over several sockets (a client's connections to several routers), plus an optional side socket to
     * watch ({@link Handler#onSideInput}: the router's connection monitor).
     */
    public static <T> void run(ZContext context, List<ZMQ.Socket> sockets, ZMQ.@Nullable Socket side, Mailbox<T> mailbox,
            Handler<T> handler) {
        Consumer<T> commands = handler::onCommand;
        try (ZMQ.Poller poller = context.createPoller(sockets.size() + 2)) {
            for (ZMQ.Socket socket : sockets) {
                poller.register(socket, ZMQ.Poller.POLLIN);
            }
            int sideIndex = side == null ? -1 : poller.register(side, ZMQ.Poller.POLLIN);
            int mailboxIndex = mailbox.register(poller);
            long wakeUp = handler.afterPoll(System.nanoTime());
            while (wakeUp != LEAVE) {
                poller.poll(Math.max(1, (wakeUp - System.nanoTime()) / 1_000_000L));
                if (anyInput(poller, sockets.size())) {
                    handler.onInput();
                }
                if (sideIndex >= 0 && poller.pollin(sideIndex)) {
                    handler.onSideInput();
                }
                if (poller.pollin(mailboxIndex) || mailbox.hasPending()) {
                    mailbox.drain(commands);
                }
                wakeUp = handler.afterPoll(System.nanoTime());
            }
        }
    }

    private static boolean anyInput(ZMQ.Poller poller, int sockets) {
        for (int i = 0; i < sockets; i++) {
            if (poller.pollin(i)) {
                return true;
            }
        }
        return false;
    }
}
