package io.voidrail.internal;

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

        /** The socket has input: read everything waiting before returning. */
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
        run(context, socket, null, mailbox, handler);
    }

    /** The same with a second socket to watch ({@link Handler#onSideInput}). */
    public static <T> void run(ZContext context, ZMQ.Socket socket, ZMQ.@Nullable Socket side, Mailbox<T> mailbox,
            Handler<T> handler) {
        Consumer<T> commands = handler::onCommand;
        try (ZMQ.Poller poller = context.createPoller(3)) {
            int socketIndex = poller.register(socket, ZMQ.Poller.POLLIN);
            int sideIndex = side == null ? -1 : poller.register(side, ZMQ.Poller.POLLIN);
            int mailboxIndex = mailbox.register(poller);
            long wakeUp = handler.afterPoll(System.nanoTime());
            while (wakeUp != LEAVE) {
                poller.poll(Math.max(1, (wakeUp - System.nanoTime()) / 1_000_000L));
                if (poller.pollin(socketIndex)) {
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
}
