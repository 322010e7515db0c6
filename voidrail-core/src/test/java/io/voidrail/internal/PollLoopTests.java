package io.voidrail.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

class PollLoopTests {

    /** A loop over one PULL socket that counts its wake-ups, input and commands. */
    private static final class Counting implements PollLoop.Handler<Runnable> {

        final ZMQ.Socket socket;
        final AtomicLong wakeUps = new AtomicLong();
        final AtomicInteger received = new AtomicInteger();
        final AtomicInteger commands = new AtomicInteger();
        volatile boolean stop;

        Counting(ZMQ.Socket socket) {
            this.socket = socket;
        }

        @Override
        public void onInput() {
            while (socket.recv(ZMQ.DONTWAIT) != null) {
                received.incrementAndGet();
            }
        }

        @Override
        public void onCommand(Runnable command) {
            commands.incrementAndGet();
            command.run();
        }

        @Override
        public long afterPoll(long now) {
            wakeUps.incrementAndGet();
            return stop ? PollLoop.LEAVE : now + Duration.ofSeconds(30).toNanos();
        }
    }

    @Test
    void anIdleLoopSleepsAndWakesForInputAndForPosts() throws Exception {
        try (ZContext context = new ZContext(1); Mailbox<Runnable> mailbox = new Mailbox<>()) {
            ZMQ.Socket pull = Sockets.create(context, SocketType.PULL);
            int port = pull.bindToRandomPort("tcp://127.0.0.1");
            ZMQ.Socket push = Sockets.create(context, SocketType.PUSH);
            push.connect("tcp://127.0.0.1:" + port);
            Counting handler = new Counting(pull);
            Thread loop = new Thread(() -> PollLoop.run(pull, mailbox, handler), "poll-loop-test");
            loop.start();

            for (int i = 0; i < 200; i++) {
                push.send("item " + i);
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> handler.received.get() == 200);
            for (int i = 0; i < 50; i++) {
                mailbox.post(() -> { });
            }
            await().atMost(Duration.ofSeconds(5)).until(() -> handler.commands.get() == 50);

            // nothing to do and no timer due for 30 s: the loop sleeps instead of spinning (a spinning loop wakes up
            // hundreds of thousands of times a second)
            long before = handler.wakeUps.get();
            await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                    .until(() -> handler.wakeUps.get() - before < 20);

            handler.stop = true;
            mailbox.post(() -> { });
            loop.join(5_000);
            assertThat(loop.isAlive()).isFalse();
        }
    }

    @Test
    void aPostFromAnInterruptedThreadStillWakesTheLoop() throws Exception {
        try (ZContext context = new ZContext(1); Mailbox<Runnable> mailbox = new Mailbox<>()) {
            ZMQ.Socket pull = Sockets.create(context, SocketType.PULL);
            pull.bindToRandomPort("tcp://127.0.0.1");
            Counting handler = new Counting(pull);
            Thread loop = new Thread(() -> PollLoop.run(pull, mailbox, handler), "poll-loop-test");
            loop.start();
            AtomicInteger ran = new AtomicInteger();
            Thread poster = new Thread(() -> {
                Thread.currentThread().interrupt();
                for (int i = 0; i < 3; i++) {
                    mailbox.post(ran::incrementAndGet);
                }
            });
            poster.start();
            poster.join(5_000);
            await().atMost(Duration.ofSeconds(5)).until(() -> ran.get() == 3);
            handler.stop = true;
            mailbox.post(() -> { });
            loop.join(5_000);
            assertThat(loop.isAlive()).isFalse();
        }
    }
}
