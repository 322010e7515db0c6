package io.voidrail.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

class JeroMqSignalsTests {

    @Test
    @Timeout(30)
    void socketsAndIoThreadsVoidRailMakesGetTheLazyMailboxAndStillCarryMessagesOverTcpAndInproc() throws Exception {
        assertThat(JeroMqSignals.available()).isTrue();
        ZContext context = JeroMqSignals.newContext(1);
        try {
            for (Object ioThread : ioThreads(context)) {
                assertThat(field(zmq.io.IOThread.class, "mailbox").get(ioThread)).isInstanceOf(LazyMailbox.class);
                assertThat(slot(context, ((zmq.io.IOThread) ioThread).getTid())).isInstanceOf(LazyMailbox.class);
            }
            ZMQ.Socket router = Sockets.create(context, SocketType.ROUTER);
            int port = router.bindToRandomPort("tcp://127.0.0.1");
            router.bind("inproc://lazy-mailbox-test");
            ZMQ.Socket overTcp = Sockets.create(context, SocketType.DEALER);
            overTcp.setIdentity("tcp".getBytes(StandardCharsets.UTF_8));
            overTcp.connect("tcp://127.0.0.1:" + port);
            ZMQ.Socket inproc = Sockets.create(context, SocketType.DEALER);
            inproc.setIdentity("inproc".getBytes(StandardCharsets.UTF_8));
            inproc.connect("inproc://lazy-mailbox-test");
            for (ZMQ.Socket socket : List.of(router, overTcp, inproc)) {
                Object mailbox = field(zmq.SocketBase.class, "mailbox").get(socket.base());
                assertThat(mailbox).isInstanceOf(LazyMailbox.class);
                // commands are sent to the context's slot of the socket: the same mailbox
                assertThat(slot(context, socket.base().getTid())).isSameAs(mailbox);
                socket.setReceiveTimeOut(5_000); // blocking receives wait on the lazy mailbox
            }
            for (int i = 0; i < 500; i++) {
                for (ZMQ.Socket dealer : List.of(overTcp, inproc)) {
                    String name = new String(dealer.getIdentity(), StandardCharsets.UTF_8);
                    assertThat(dealer.send("ping " + i)).isTrue();
                    assertThat(router.recvStr()).isEqualTo(name);
                    assertThat(router.recvStr()).isEqualTo("ping " + i);
                    router.sendMore(name);
                    router.send("pong " + i);
                    assertThat(dealer.recvStr()).isEqualTo("pong " + i);
                }
            }
        }
        finally {
            context.close(); // returns only once the reaper has closed every socket: their mailboxes woke it
        }
        assertThat(context.isClosed()).isTrue();
    }

    private static Object slot(ZContext context, int tid) throws ReflectiveOperationException {
        return ((Object[]) field(zmq.Ctx.class, "slots").get(ctx(context)))[tid];
    }

    private static List<?> ioThreads(ZContext context) throws ReflectiveOperationException {
        return (List<?>) field(zmq.Ctx.class, "ioThreads").get(ctx(context));
    }

    private static Object ctx(ZContext context) throws ReflectiveOperationException {
        return field(ZMQ.Context.class, "ctx").get(context.getContext());
    }

    private static Field field(Class<?> type, String name) throws NoSuchFieldException {
        Field field = type.getDeclaredField(name);
        field.setAccessible(true);
        return field;
    }
}
