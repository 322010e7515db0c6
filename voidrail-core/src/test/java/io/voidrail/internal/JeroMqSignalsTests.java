package io.voidrail.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

class JeroMqSignalsTests {

    @Test
    void theWakeUpByteIsCountedWhileItIsWrittenAndOnlyThen() throws IOException {
        AtomicLong count = new AtomicLong(7);
        Pipe pipe = Pipe.open();
        long[] seenDuringWrite = new long[1];
        Pipe.SinkChannel recording = new Pipe.SinkChannel(pipe.sink().provider()) {
            @Override
            public int write(ByteBuffer source) throws IOException {
                seenDuringWrite[0] = count.get();
                return pipe.sink().write(source);
            }

            @Override
            public long write(ByteBuffer[] sources, int offset, int length) {
                throw new UnsupportedOperationException();
            }

            @Override
            public long write(ByteBuffer[] sources) {
                throw new UnsupportedOperationException();
            }

            @Override
            protected void implCloseSelectableChannel() throws IOException {
                pipe.sink().close();
            }

            @Override
            protected void implConfigureBlocking(boolean block) {
            }
        };
        JeroMqSignals.CountingSink sink = new JeroMqSignals.CountingSink(recording, count);

        assertThat(sink.write(ByteBuffer.wrap(new byte[] { 0 }))).isEqualTo(1);

        // a reader woken by the byte already finds it counted; afterwards the signaler's own count takes over
        assertThat(seenDuringWrite[0]).isEqualTo(8);
        assertThat(count.get()).isEqualTo(7);
        ByteBuffer read = ByteBuffer.allocate(4);
        assertThat(pipe.source().read(read)).isEqualTo(1);
        sink.close();
        assertThat(pipe.sink().isOpen()).isFalse();
        pipe.source().close();
    }

    @Test
    void socketsMadeByVoidRailHaveTheirSignalersAndTheirIoThreadsPatchedAndStillCarryMessages() throws Exception {
        assertThat(JeroMqSignals.available()).isTrue();
        try (ZContext context = new ZContext(1)) {
            ZMQ.Socket router = Sockets.create(context, SocketType.ROUTER);
            int port = router.bindToRandomPort("tcp://127.0.0.1");
            ZMQ.Socket dealer = Sockets.create(context, SocketType.DEALER);
            dealer.setIdentity("patched".getBytes(StandardCharsets.UTF_8));
            dealer.connect("tcp://127.0.0.1:" + port);
            assertThat(sinkOf(mailboxOf(router))).isInstanceOf(JeroMqSignals.CountingSink.class);
            assertThat(sinkOf(mailboxOf(dealer))).isInstanceOf(JeroMqSignals.CountingSink.class);
            for (Object ioThread : ioThreads(context)) {
                assertThat(sinkOf(field(zmq.io.IOThread.class, "mailbox").get(ioThread)))
                        .isInstanceOf(JeroMqSignals.CountingSink.class);
            }
            router.setReceiveTimeOut(5_000);
            dealer.setReceiveTimeOut(5_000);
            for (int i = 0; i < 500; i++) {
                assertThat(dealer.send("ping " + i)).isTrue();
                assertThat(router.recvStr()).isEqualTo("patched");
                assertThat(router.recvStr()).isEqualTo("ping " + i);
                router.sendMore("patched");
                router.send("pong " + i);
                assertThat(dealer.recvStr()).isEqualTo("pong " + i);
            }
        }
    }

    private static Object mailboxOf(ZMQ.Socket socket) throws ReflectiveOperationException {
        return field(zmq.SocketBase.class, "mailbox").get(socket.base());
    }

    private static Object sinkOf(Object mailbox) throws ReflectiveOperationException {
        Object signaler = field(zmq.Mailbox.class, "signaler").get(mailbox);
        return field(signaler.getClass(), "w").get(signaler);
    }

    private static List<?> ioThreads(ZContext context) throws ReflectiveOperationException {
        Object ctx = field(ZMQ.Context.class, "ctx").get(context.getContext());
        return (List<?>) field(zmq.Ctx.class, "ioThreads").get(ctx);
    }

    private static Field field(Class<?> type, String name) throws NoSuchFieldException {
        Field field = type.getDeclaredField(name);
        field.setAccessible(true);
        return field;
    }
}
