package io.voidrail.internal;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * A workaround for a race in JeroMQ 0.6.0's {@code zmq.Signaler}, the wake-up pipe of every socket and I/O thread.
 *
 * <p>{@code Signaler.send()} writes its wake-up byte, then counts it ({@code wcursor}); a reader that does not block
 * reads only counted bytes. The write wakes the reader, and the kernel often lets the woken reader run at once on the
 * writer's CPU, before the writer has counted: the reader finds its descriptor readable, has nothing counted to read,
 * selects again, and spins until the writer runs again, a whole scheduler tick (4 ms here) when the other CPU is
 * busy. On two cores this turned a 0.2 ms call into 4-8 ms and made every JeroMQ I/O thread burn a core.
 *
 * <p>The fix counts the byte before it is written: the signaler's write end is wrapped by a channel that adds one
 * to the count for the duration of the write (the signaler then counts the byte for good). A reader that sees the
 * count before the byte waits for a write in progress (microseconds, its writer is running), never for a descheduled
 * thread. It is installed by reflection on the sockets and I/O threads VoidRail creates, once, before they carry
 * traffic; when the JeroMQ version differs and the fields are not found, nothing is changed and a line is logged.
 */
public final class JeroMqSignals {

    private static final Logger log = LoggerFactory.getLogger(JeroMqSignals.class);
    private static final @Nullable Fields FIELDS = Fields.find();

    private JeroMqSignals() {
    }

    /** Whether the workaround applies to this JeroMQ. */
    public static boolean available() {
        return FIELDS != null;
    }

    /** Patches a new socket's signaler and its context's I/O threads (which exist once a socket does). */
    public static ZMQ.Socket patch(ZContext context, ZMQ.Socket socket) {
        Fields fields = FIELDS;
        if (fields != null) {
            try {
                fields.patchMailbox(fields.socketMailbox.get(socket.base()));
                Object ctx = fields.contextCtx.get(context.getContext());
                for (Object ioThread : (List<?>) fields.ioThreads.get(ctx)) {
                    fields.patchMailbox(fields.ioThreadMailbox.get(ioThread));
                }
            }
            catch (ReflectiveOperationException | RuntimeException ex) {
                log.debug("JeroMQ signaler workaround not applied", ex);
            }
        }
        return socket;
    }

    /** Reflective access to the JeroMQ fields the workaround needs. */
    private record Fields(Field socketMailbox, Field contextCtx, Field ioThreads, Field ioThreadMailbox, Field signaler, Field sink,
            Field count) {

        static @Nullable Fields find() {
            try {
                return new Fields(open(zmq.SocketBase.class, "mailbox"), open(ZMQ.Context.class, "ctx"),
                        open(zmq.Ctx.class, "ioThreads"),
                        open(zmq.io.IOThread.class, "mailbox"), open(zmq.Mailbox.class, "signaler"),
                        open(Class.forName("zmq.Signaler"), "w"), open(Class.forName("zmq.Signaler"), "wcursor"));
            }
            catch (ReflectiveOperationException | RuntimeException ex) {
                LoggerFactory.getLogger(JeroMqSignals.class).info(
                        "JeroMQ signaler workaround unavailable with this JeroMQ ({}); latency may suffer", ex.toString());
                return null;
            }
        }

        private static Field open(Class<?> type, String name) throws NoSuchFieldException {
            Field field = type.getDeclaredField(name);
            field.setAccessible(true);
            return field;
        }

        void patchMailbox(@Nullable Object mailbox) throws IllegalAccessException {
            if (!(mailbox instanceof zmq.Mailbox)) {
                return; // thread-safe sockets have another mailbox
            }
            Object target = signaler.get(mailbox);
            synchronized (target) {
                Object current = sink.get(target);
                if (current instanceof CountingSink || !(current instanceof Pipe.SinkChannel original)) {
                    return;
                }
                sink.set(target, new CountingSink(original, (AtomicLong) count.get(target)));
            }
        }
    }

    /** The signaler's write end, counting the byte while it is written. */
    static final class CountingSink extends Pipe.SinkChannel {

        private final Pipe.SinkChannel delegate;
        private final AtomicLong count;

        CountingSink(Pipe.SinkChannel delegate, AtomicLong count) {
            super(delegate.provider());
            this.delegate = delegate;
            this.count = count;
        }

        @Override
        public int write(ByteBuffer source) throws IOException {
            count.incrementAndGet();
            try {
                return delegate.write(source);
            }
            finally {
                count.decrementAndGet(); // Signaler.send() counts a written byte itself, right after
            }
        }

        @Override
        public long write(ByteBuffer[] sources, int offset, int length) throws IOException {
            return delegate.write(sources, offset, length);
        }

        @Override
        public long write(ByteBuffer[] sources) throws IOException {
            return delegate.write(sources);
        }

        @Override
        protected void implCloseSelectableChannel() throws IOException {
            delegate.close();
        }

        @Override
        protected void implConfigureBlocking(boolean block) throws IOException {
            delegate.configureBlocking(block);
        }
    }
}
