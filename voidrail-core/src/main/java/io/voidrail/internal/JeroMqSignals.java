package io.voidrail.internal;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.channels.Pipe;
import java.nio.channels.Selector;
import java.util.Deque;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * Two workarounds in JeroMQ 0.6.0's command mailboxes ({@code zmq.Mailbox}), the wake-up path of every socket and
 * I/O thread, both by putting a {@link LazyMailbox} in the place of a mailbox not used yet.
 *
 * <p>A race: {@code Signaler.send()} writes its wake-up byte, then counts it ({@code wcursor}); a reader that does
 * not block reads only counted bytes. The write wakes the reader, and the kernel often lets the woken reader run at
 * once on the writer's CPU, before the writer has counted: the reader finds its descriptor readable, has nothing
 * counted to read, selects again, and spins until the writer runs again, a whole scheduler tick (4 ms here) when the
 * other CPU is busy. On two cores this turned a 0.2 ms call into 4-8 ms and made every JeroMQ I/O thread burn a core.
 * The lazy mailbox counts a byte before writing it.
 *
 * <p>A cost: JeroMQ writes a byte for every command and reads one back for each, two system calls per command even
 * while the reader is busy; the lazy mailbox writes one only when its reader may sleep, as libzmq does.
 *
 * <p>A socket's mailbox is replaced when VoidRail creates the socket ({@link #patch}), an I/O thread's when VoidRail
 * creates the context ({@link #newContext}), before either carries a command. Installed by reflection; when the
 * JeroMQ version differs and the fields are not found, nothing is changed and a line is logged.
 */
public final class JeroMqSignals {

    private static final Logger log = LoggerFactory.getLogger(JeroMqSignals.class);
    private static final @Nullable Fields FIELDS = Fields.find();

    private JeroMqSignals() {
    }

    /** Whether the workarounds apply to this JeroMQ. */
    public static boolean available() {
        return FIELDS != null;
    }

    /**
     * A new context with {@code ioThreads} I/O threads, whose mailboxes are replaced before any socket of it can send
     * them a command (a socket made and closed at once starts them).
     */
    public static ZContext newContext(int ioThreads) {
        ZContext context = new ZContext(ioThreads);
        Fields fields = FIELDS;
        if (fields != null) {
            ZMQ.Socket starter = context.createSocket(SocketType.PAIR);
            try {
                Object ctx = fields.contextCtx.get(context.getContext());
                for (Object ioThread : (List<?>) fields.ioThreads.get(ctx)) {
                    zmq.io.IOThread thread = (zmq.io.IOThread) ioThread;
                    fields.replace(ctx, thread.getTid(), thread, fields.ioThreadMailbox, "iothread-" + thread.getTid());
                }
            }
            catch (ReflectiveOperationException | IOException | RuntimeException ex) {
                log.debug("JeroMQ mailbox workaround not applied to the I/O threads", ex);
            }
            finally {
                context.destroySocket(starter);
            }
        }
        return context;
    }

    /** Replaces a new socket's mailbox (before the socket binds, connects or sends). */
    public static ZMQ.Socket patch(ZContext context, ZMQ.Socket socket) {
        Fields fields = FIELDS;
        if (fields != null) {
            try {
                zmq.SocketBase base = socket.base();
                fields.replace(fields.contextCtx.get(context.getContext()), base.getTid(), base, fields.socketMailbox,
                        "socket-" + base.getTid());
            }
            catch (ReflectiveOperationException | IOException | RuntimeException ex) {
                log.debug("JeroMQ mailbox workaround not applied", ex);
            }
        }
        return socket;
    }

    /** The lazy mailbox of a socket VoidRail made, if the workaround applies. */
    static @Nullable LazyMailbox mailboxOf(ZMQ.Socket socket) {
        Fields fields = FIELDS;
        try {
            return fields != null && fields.socketMailbox.get(socket.base()) instanceof LazyMailbox lazy ? lazy : null;
        }
        catch (IllegalAccessException ex) {
            return null;
        }
    }

    /** Reflective access to the JeroMQ fields the workarounds need. */
    private record Fields(Field socketMailbox, Field contextCtx, Field ioThreads, Field ioThreadMailbox, Field slots,
            Field commands, Field signaler, Field source, Field sink, Field selector) {

        static @Nullable Fields find() {
            try {
                Class<?> signaler = Class.forName("zmq.Signaler");
                return new Fields(open(zmq.SocketBase.class, "mailbox"), open(ZMQ.Context.class, "ctx"),
                        open(zmq.Ctx.class, "ioThreads"), open(zmq.io.IOThread.class, "mailbox"),
                        open(zmq.Ctx.class, "slots"), open(zmq.Mailbox.class, "cpipe"),
                        open(zmq.Mailbox.class, "signaler"), open(signaler, "r"), open(signaler, "w"),
                        open(signaler, "selector"));
            }
            catch (ReflectiveOperationException | RuntimeException ex) {
                LoggerFactory.getLogger(JeroMqSignals.class).info(
                        "JeroMQ mailbox workaround unavailable with this JeroMQ ({}); latency may suffer", ex.toString());
                return null;
            }
        }

        private static Field open(Class<?> type, String name) throws NoSuchFieldException {
            Field field = type.getDeclaredField(name);
            field.setAccessible(true);
            return field;
        }

        /** Puts a lazy mailbox in {@code owner}'s field and in the context's slot {@code tid}, where commands go. */
        @SuppressWarnings("unchecked")
        void replace(Object ctx, int tid, Object owner, Field mailboxField, String name)
                throws ReflectiveOperationException, IOException {
            if (!(mailboxField.get(owner) instanceof zmq.Mailbox original) || original instanceof LazyMailbox) {
                return; // thread-safe sockets have another mailbox
            }
            Object[] slots = (Object[]) this.slots.get(ctx);
            if (slots[tid] != original) {
                return;
            }
            Object target = signaler.get(original);
            LazyMailbox lazy = new LazyMailbox((zmq.Ctx) ctx, name, tid, original,
                    (Deque<zmq.Command>) commands.get(original), (Pipe.SourceChannel) source.get(target),
                    (Pipe.SinkChannel) sink.get(target), (Selector) selector.get(target));
            mailboxField.set(owner, lazy);
            slots[tid] = lazy;
        }
    }
}
